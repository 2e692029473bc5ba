// prometheus.relabel: relabels every series sent to its `receiver` with the `rule`
// blocks and forwards the result to `forward_to`. Results are cached per series
// (max_cache_size, least recently used out first; cache_ttl, expired entries
// removed by a periodic scan); a staleness marker removes its series' entry, as
// the series is not expected back.

import { Counter, Gauge } from "prom-client";
import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import type { MetricsReceiver } from "../../telemetry/prometheus/appendable.ts";
import { MetricsBatch } from "../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../telemetry/prometheus/labels.ts";
import { relabel } from "../../telemetry/prometheus/relabel/process.ts";
import type { RelabelRule } from "../../telemetry/prometheus/relabel/rule.ts";
import { compileRuleBlocks, RelabelRules } from "../discovery/rules.ts";
import { ForwardingReceiver } from "./scrape/forward.ts";
import type { Arguments, Exports } from "./relabel.ts";

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

interface CacheEntry {
  /** The relabeled series, or undefined when the rules drop it. */
  result: Labels | undefined;
  at: number;
}

/** Series identity → relabel result; Map order is recency order (a hit re-inserts). */
class ResultCache {
  private map = new Map<string, CacheEntry>();

  constructor(
    private readonly maxSize: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): CacheEntry | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e;
  }

  set(key: string, result: Labels | undefined): void {
    this.map.set(key, { result, at: Date.now() });
    if (this.map.size > this.maxSize) this.map.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Removes entries older than the TTL; returns how many. */
  evictExpired(now = Date.now()): number {
    if (this.ttlMs <= 0) return 0;
    let n = 0;
    for (const [k, e] of this.map) {
      if (now - e.at > this.ttlMs) {
        this.map.delete(k);
        n++;
      }
    }
    return n;
  }
}

class PrometheusRelabel implements ComponentInstance<Args>, MetricsReceiver {
  private rules: RelabelRule[] = [];
  private cache: ResultCache;
  private ttlMs = 0;
  private wakeScan: (() => void) | undefined;
  private readonly forward: ForwardingReceiver;
  private readonly processed: Counter;
  private readonly written: Counter;
  private readonly hits: Counter;
  private readonly misses: Counter;
  private readonly ttlEvictions: Counter;

  constructor(
    private readonly ctx: Ctx,
    args: Args,
  ) {
    const registers = [ctx.registry];
    this.processed = new Counter({ name: "prometheus_relabel_metrics_processed", help: "Total number of metrics processed", registers });
    this.written = new Counter({ name: "prometheus_relabel_metrics_written", help: "Total number of metrics written", registers });
    this.hits = new Counter({ name: "prometheus_relabel_cache_hits", help: "Total number of cache hits", registers });
    this.misses = new Counter({ name: "prometheus_relabel_cache_misses", help: "Total number of cache misses", registers });
    this.ttlEvictions = new Counter({
      name: "prometheus_relabel_cache_ttl_evictions_total",
      help: "Cache entries removed by the periodic TTL scan.",
      registers,
    });
    new Counter({
      name: "prometheus_relabel_cache_ttl_rebuilds_total",
      help: "Number of times the TTL cache's internal map has been rebuilt to release bucket memory after a shrink.",
      registers,
    });
    const self = this;
    new Gauge({
      name: "prometheus_relabel_cache_size",
      help: "Total size of relabel cache",
      registers,
      collect() {
        this.set(self.cache.size);
      },
    });
    this.forward = new ForwardingReceiver(ctx.registry, ctx.liveDebugging);
    this.cache = new ResultCache(args.max_cache_size, args.cache_ttl);
    this.update(args);
  }

  update(args: Args): void {
    this.rules = compileRuleBlocks(args.rule);
    this.cache = new ResultCache(args.max_cache_size, args.cache_ttl);
    this.ttlMs = args.cache_ttl;
    this.wakeScan?.();
    this.forward.setChildren(args.forward_to);
    this.ctx.publish({ receiver: this, rules: new RelabelRules(this.rules) });
  }

  private process(series: Labels): Labels | undefined {
    const key = series.key();
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.hits.inc();
      return hit.result;
    }
    this.misses.inc();
    const out = relabel(series, this.rules);
    const kept = out === undefined || out.size === 0 ? undefined : out;
    this.cache.set(key, kept);
    return kept;
  }

  async appendBatch(batch: MetricsBatch): Promise<void> {
    const out = new MetricsBatch(Math.max(1, batch.length));
    let processed = 0;
    for (let i = 0; i < batch.length; i++) {
      processed++;
      const series = batch.series[i]!;
      const s = this.process(series);
      if (s !== undefined) out.copySample(batch, i, s);
      if (batch.isStale(i)) this.cache.delete(series.key());
    }
    for (const h of batch.histograms) {
      processed++;
      const s = this.process(h.series);
      if (s !== undefined) out.histograms.push({ ...h, series: s });
      if (h.stale) this.cache.delete(h.series.key());
    }
    for (const e of batch.exemplars) {
      const s = this.process(e.series);
      if (s !== undefined) out.exemplars.push({ series: s, exemplar: e.exemplar });
    }
    for (const m of batch.metadata) {
      const s = this.process(m.series);
      if (s !== undefined) out.metadata.push({ series: s, metadata: m.metadata });
    }
    this.processed.inc(processed);
    this.written.inc(out.length + out.histograms.length);
    if (out.isEmpty()) return;
    await this.forward.appendBatch(out);
  }

  /** The periodic TTL scan (only while cache_ttl is set). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const wait = this.ttlMs > 0 ? this.ttlMs : 2 ** 31 - 1;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const t = setTimeout(done, wait);
        signal.addEventListener("abort", done, { once: true });
        this.wakeScan = done;
      });
      this.wakeScan = undefined;
      const n = this.cache.evictExpired();
      if (n > 0) this.ttlEvictions.inc(n);
    }
  }
}

/** Loaded with the first block of this component in a config (see relabel.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new PrometheusRelabel(ctx, args);
