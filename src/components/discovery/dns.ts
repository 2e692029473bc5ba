// discovery.dns: targets from DNS SRV, A, AAAA, MX or NS lookups (Prometheus's
// dns_sd), refreshed every refresh_interval. SRV records carry their own port;
// the other types use `port`.

import { Resolver } from "node:dns/promises";
import * as schema from "../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";
import { Counter } from "prom-client";
import { RefreshMetrics } from "./refresh_metrics.ts";
import { sleep, targetOf } from "./target_group.ts";

export type RecordType = "SRV" | "A" | "AAAA" | "MX" | "NS";

/** The lookups discovery.dns needs; node's Resolver satisfies it, tests inject their own. */
export interface DNSResolver {
  resolveSrv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
  resolveNs(name: string): Promise<string[]>;
}

const Arguments = schema.block(
  {
    names: schema.attr(schema.list(schema.string)),
    refresh_interval: schema.attr(schema.duration, { default: "30s" }),
    type: schema.attr(schema.string, { default: "SRV" }),
    port: schema.attr(schema.int, { default: 0 }),
  },
  {
    validate: (a) => {
      if (a.names.length === 0) return "DNS-SD config must contain at least one SRV record name";
      switch (a.type.toUpperCase()) {
        case "SRV":
          break;
        case "A":
        case "AAAA":
        case "MX":
        case "NS":
          if (a.port === 0) return "a port is required in DNS-SD configs for all record types except SRV";
          break;
        default:
          return `invalid DNS-SD records type ${a.type}`;
      }
      return undefined;
    },
  },
);
const Exports = schema.block({ targets: schema.attr(schema.targets) });

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

/** Go's net.JoinHostPort. */
function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** DNS names as Go's resolver returns them: rooted, with the trailing dot. */
function rooted(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

/** The targets for one name, labelled as Prometheus's dns_sd does. */
export async function lookupTargets(resolver: DNSResolver, name: string, type: RecordType, port: number): Promise<Record<string, string>[]> {
  const target = (address: string, meta: Record<string, string> = {}) =>
    targetOf({ __address__: address, __meta_dns_name: name, ...meta });
  switch (type) {
    case "SRV":
      return (await resolver.resolveSrv(name)).map((r) =>
        target(hostPort(r.name.replace(/\.+$/, ""), r.port), {
          __meta_dns_srv_record_target: rooted(r.name),
          __meta_dns_srv_record_port: String(r.port),
        }),
      );
    case "A":
      return (await resolver.resolve4(name)).map((a) => target(hostPort(a, port)));
    case "AAAA":
      return (await resolver.resolve6(name)).map((a) => target(hostPort(a, port)));
    case "MX":
      return (await resolver.resolveMx(name)).map((r) =>
        target(hostPort(r.exchange.replace(/\.+$/, ""), port), { __meta_dns_mx_record_target: rooted(r.exchange) }),
      );
    case "NS":
      return (await resolver.resolveNs(name)).map((ns) => target(hostPort(ns.replace(/\.+$/, ""), port), { __meta_dns_ns_record_target: rooted(ns) }));
  }
}

export class DiscoveryDNS implements ComponentInstance<Args> {
  private wake: (() => void) | undefined;
  /** Last good targets per name: a failed lookup keeps them, as Prometheus does. */
  private byName = new Map<string, Record<string, string>[]>();
  private readonly refreshMetrics: RefreshMetrics;
  private readonly lookups: Counter;
  private readonly lookupFailures: Counter;

  constructor(
    private readonly ctx: Ctx,
    private args: Args,
    private readonly resolver: DNSResolver = new Resolver(),
  ) {
    ctx.publish({ targets: [] });
    const registers = [ctx.registry];
    this.refreshMetrics = new RefreshMetrics(ctx.registry, "dns");
    this.lookups = new Counter({ name: "prometheus_sd_dns_lookups_total", help: "The number of DNS-SD lookups.", registers });
    this.lookupFailures = new Counter({ name: "prometheus_sd_dns_lookup_failures_total", help: "The number of DNS-SD lookup failures.", registers });
  }

  update(args: Args): void {
    this.args = args;
    this.byName.clear();
    this.wake?.();
  }

  async refresh(): Promise<void> {
    const type = this.args.type.toUpperCase() as RecordType;
    const results = await Promise.all(
      this.args.names.map(async (name) => {
        this.lookups.inc();
        try {
          return [name, await lookupTargets(this.resolver, name, type, this.args.port)] as const;
        } catch (err) {
          this.lookupFailures.inc();
          const code = (err as { code?: string }).code;
          // A name that does not exist has no targets; other failures keep the last answer.
          if (code === "ENOTFOUND" || code === "ENODATA") return [name, []] as const;
          this.ctx.logger.error("Error refreshing DNS targets", { name, code: code ?? "", err: err instanceof Error ? err.message : String(err) });
          return [name, this.byName.get(name) ?? []] as const;
        }
      }),
    );
    this.byName = new Map(results.map(([n, t]) => [n, [...t]]));
    this.ctx.publish({ targets: results.flatMap(([, t]) => t) });
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.refreshMetrics.observe(() => this.refresh());
      await sleep(this.args.refresh_interval, signal, (w) => (this.wake = w));
      this.wake = undefined;
    }
  }
}

export default defineComponent({
  name: "discovery.dns",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new DiscoveryDNS(ctx, args),
});
