// discovery.http: target groups from an HTTP endpoint (Prometheus's http_sd),
// polled every refresh_interval. Non-200 answers, other content types and bad
// JSON fail the refresh; the last good targets stay exported.

import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import { HTTPClient } from "../common/http_client/client.ts";
import { Counter } from "prom-client";
import { RefreshMetrics } from "./refresh_metrics.ts";
import { groupTargets, parseTargetGroupsJSON, sleep } from "./target_group.ts";
import type { Arguments, Exports } from "./http.ts";

type Args = schema.Infer<typeof Arguments>;

const JSON_CONTENT_TYPE = /^application\/json(;\s*charset=("utf-8"|utf-8))?$/i;

type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

class DiscoveryHTTP implements ComponentInstance<Args> {
  private client: HTTPClient;
  private wake: (() => void) | undefined;
  private readonly refreshMetrics: RefreshMetrics;
  private readonly failures: Counter;

  constructor(
    private readonly ctx: Ctx,
    private args: Args,
  ) {
    this.client = new HTTPClient(args, ctx.fetch);
    this.refreshMetrics = new RefreshMetrics(ctx.registry, "http");
    this.failures = new Counter({ name: "prometheus_sd_http_failures_total", help: "Number of HTTP service discovery refresh failures.", registers: [ctx.registry] });
    ctx.publish({ targets: [] });
  }

  update(args: Args): void {
    this.args = args;
    this.client = new HTTPClient(args, this.ctx.fetch);
    this.wake?.();
  }

  /** One refresh; returns the error text on failure. */
  async refresh(signal: AbortSignal): Promise<string | undefined> {
    const url = this.args.url;
    try {
      const res = await this.client.request(url, {
        headers: {
          Accept: "application/json",
          "X-Prometheus-Refresh-Interval-Seconds": String(this.args.refresh_interval / 1000),
        },
        signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(this.args.refresh_interval, 1000))]),
      });
      const text = await res.text();
      if (res.status !== 200) return `server returned HTTP status ${res.status} ${res.statusText}`.trimEnd();
      const ct = (res.headers.get("Content-Type") ?? "").trim();
      if (!JSON_CONTENT_TYPE.test(ct)) return `unsupported content type ${JSON.stringify(res.headers.get("Content-Type") ?? "")}`;
      const groups = parseTargetGroupsJSON(text);
      this.ctx.publish({ targets: groupTargets(groups, { __meta_url: url }) });
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const err = await this.refreshMetrics.observe(() => this.refresh(signal), (e) => e !== undefined);
      if (err !== undefined) this.failures.inc();
      if (signal.aborted) break;
      if (err !== undefined) {
        this.ctx.logger.error("Unable to refresh target groups", { err });
        this.ctx.setHealth({ state: "unhealthy", message: `unable to refresh target groups: ${err}` });
      } else {
        this.ctx.setHealth({ state: "healthy", message: "refreshed target groups" });
      }
      await sleep(this.args.refresh_interval, signal, (w) => (this.wake = w));
      this.wake = undefined;
    }
  }
}

/** Loaded with the first block of this component in a config (see http.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new DiscoveryHTTP(ctx, args);
