// prometheus.scrape: scrapes `targets` on `scrape_interval` and forwards the
// samples to `forward_to`. The job label defaults to the component ID, as in
// Alloy. Targets at the memory address are scraped in-process through ctx.fetch.
// `clustering` is accepted, but targets are not distributed across peers here.

import { formatDuration } from "../../../syntax/duration.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../../runtime/component.ts";
import { HTTPClient } from "../../common/http_client/client.ts";
import { scrapeConfig, type Arguments, type ScrapeConfig } from "./arguments.ts";
import { ForwardingReceiver } from "./forward.ts";
import { ScrapeMetrics } from "./metrics.ts";
import { ScrapePool } from "./pool.ts";

type Ctx = ComponentContext<Record<string, never>>;

class PrometheusScrape implements ComponentInstance<Arguments> {
  private readonly metrics: ScrapeMetrics;
  private readonly receiver: ForwardingReceiver;
  private pool: ScrapePool;
  private cfg: ScrapeConfig;
  private syncing: Promise<void> = Promise.resolve();
  private clusteringWarned = false;

  constructor(
    private readonly ctx: Ctx,
    private args: Arguments,
  ) {
    // Checked before any metric is registered, so a refused build leaves nothing behind.
    this.checkArgs(args, true);
    this.metrics = new ScrapeMetrics(ctx.registry);
    this.receiver = new ForwardingReceiver(ctx.registry, ctx.liveDebugging);
    this.receiver.setChildren(args.forward_to);
    this.cfg = scrapeConfig(ctx.globalID, args);
    this.pool = new ScrapePool(this.cfg, this.deps(args), ctx.logger);
  }

  private deps(args: Arguments) {
    return {
      client: new HTTPClient(args, this.ctx.fetch),
      receiver: this.receiver,
      logger: this.ctx.logger,
      metrics: this.metrics,
      parentSignal: this.ctx.signal,
    };
  }

  private checkArgs(args: Arguments, first: boolean): void {
    if (args.honor_metadata && this.ctx.stability !== "experimental") {
      throw new Error("honor_metadata is an experimental feature, and must be enabled by setting the stability.level flag to experimental");
    }
    if (!first) {
      if (this.args.scrape_native_histograms !== args.scrape_native_histograms) throw new Error("scrape_native_histograms cannot be updated at runtime");
      if (this.args.extra_metrics !== args.extra_metrics) throw new Error("extra_metrics cannot be updated at runtime");
    }
    if (args.clustering?.enabled && !this.clusteringWarned) {
      this.clusteringWarned = true;
      this.ctx.logger.warn("clustering is enabled for this component, but target distribution is not in effect in this build; every target is scraped locally");
    }
    if (first && args.enable_protobuf_negotiation) {
      this.ctx.logger.warn("enable_protobuf_negotiation is deprecated and will be removed in a future major release, use scrape_protocols instead");
    }
  }

  /** Starts the loops for the first targets; called once the component is built. */
  start(): void {
    this.queue(() => this.pool.sync(this.args.targets));
  }

  private queue(fn: () => Promise<void>): Promise<void> {
    const next = this.syncing.then(fn);
    this.syncing = next.catch((err: unknown) => this.ctx.logger.error("applying scrape targets failed", { err: String(err) }));
    return this.syncing;
  }

  update(args: Arguments): void {
    this.checkArgs(args, false);
    const cfg = scrapeConfig(this.ctx.globalID, args);
    const configChanged = JSON.stringify(cfg) !== JSON.stringify(this.cfg) || clientChanged(this.args, args);
    this.args = args;
    this.receiver.setChildren(args.forward_to);
    this.metrics.targets.set(args.targets.length);
    if (configChanged) {
      this.cfg = cfg;
      const deps = this.deps(args);
      this.queue(() => this.pool.reload(cfg, deps, args.targets));
    } else {
      this.queue(() => this.pool.sync(args.targets));
    }
    this.ctx.logger.debug("scrape config was updated");
  }

  async run(signal: AbortSignal): Promise<void> {
    this.metrics.targets.set(this.args.targets.length);
    this.start();
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    await this.syncing;
    await this.pool.stop();
  }

  debugInfo(): unknown {
    const target = this.pool.activeLoops.map((l) => {
      const status: Record<string, unknown> = {
        job: this.cfg.jobName,
        url: l.target.url,
        health: l.health,
        labels: l.target.publicLabels.toObject(),
        last_scrape: l.lastScrape === 0 ? "0001-01-01T00:00:00Z" : new Date(l.lastScrape).toISOString(),
      };
      if (l.lastError !== "") status.last_error = l.lastError;
      if (l.lastScrape !== 0) status.last_scrape_duration = formatDuration(l.lastScrapeDurationMs);
      return status;
    });
    return { target };
  }
}

const clientKeys = [
  "bearer_token",
  "bearer_token_file",
  "enable_http2",
  "follow_redirects",
  "http_headers",
  "proxy_url",
  "no_proxy",
  "proxy_from_environment",
  "proxy_connect_header",
  "basic_auth",
  "authorization",
  "oauth2",
  "tls_config",
] as const;

function clientChanged(a: Arguments, b: Arguments): boolean {
  return clientKeys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Loaded on the first prometheus.scrape in a config (see index.ts). */
export const build: BuildComponent<typeof Arguments> = (ctx, args) => new PrometheusScrape(ctx as Ctx, args);
