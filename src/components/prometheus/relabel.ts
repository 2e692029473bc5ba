// prometheus.relabel: relabels every series sent to its `receiver` with the `rule`
// blocks and forwards the result to `forward_to`. Results are cached per series
// (max_cache_size, cache_ttl); a staleness marker evicts its series from the cache.

import { Counter, Gauge } from "prom-client";
import * as schema from "../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../telemetry/prometheus/appendable.ts";
import { MetricsBatch } from "../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../telemetry/prometheus/labels.ts";
import { RelabelCache } from "../../telemetry/prometheus/relabel/cache.ts";
import { relabel } from "../../telemetry/prometheus/relabel/process.ts";
import type { RelabelRule } from "../../telemetry/prometheus/relabel/rule.ts";
import { RelabelRuleBlock, RelabelRules, RELABEL_RULES_TYPE, compileRuleBlocks } from "../discovery/rules.ts";
import { ForwardingReceiver } from "./scrape/forward.ts";

const Arguments = schema.block({
  forward_to: schema.attr(schema.list(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE))),
  rule: schema.blocks(RelabelRuleBlock),
  max_cache_size: schema.attr(schema.int, { default: 100_000 }),
  cache_ttl: schema.attr(schema.duration, { default: 0 }),
}, {
  validate: (a) => {
    if (a.max_cache_size <= 0) return `max_cache_size must be greater than 0 and is ${a.max_cache_size}`;
    return undefined;
  },
});
const Exports = schema.block({
  receiver: schema.attr(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE)),
  rules: schema.attr(schema.capsule<RelabelRules>(RELABEL_RULES_TYPE)),
});

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

class PrometheusRelabel implements ComponentInstance<Args>, MetricsReceiver {
  private rules: RelabelRule[] = [];
  private cache: RelabelCache;
  private readonly forward: ForwardingReceiver;
  private readonly processed: Counter;
  private readonly written: Counter;
  private readonly hits: Counter;
  private readonly misses: Counter;
  private readonly size: Gauge;

  constructor(
    private readonly ctx: Ctx,
    args: Args,
  ) {
    const registers = [ctx.registry];
    this.processed = new Counter({ name: "prometheus_relabel_metrics_processed", help: "Total number of metrics processed", registers });
    this.written = new Counter({ name: "prometheus_relabel_metrics_written", help: "Total number of metrics written", registers });
    this.hits = new Counter({ name: "prometheus_relabel_cache_hits", help: "Total number of cache hits", registers });
    this.misses = new Counter({ name: "prometheus_relabel_cache_misses", help: "Total number of cache misses", registers });
    const self = this;
    this.size = new Gauge({
      name: "prometheus_relabel_cache_size",
      help: "Total size of relabel cache",
      registers,
      collect() {
        this.set(self.cache.size);
      },
    });
    this.forward = new ForwardingReceiver(ctx.registry, ctx.liveDebugging);
    this.cache = new RelabelCache(args.max_cache_size, args.cache_ttl);
    this.update(args);
  }

  update(args: Args): void {
    this.rules = compileRuleBlocks(args.rule);
    this.cache = new RelabelCache(args.max_cache_size, args.cache_ttl);
    this.forward.setChildren(args.forward_to);
    this.ctx.publish({ receiver: this, rules: new RelabelRules(this.rules) });
  }

  private process(series: Labels): Labels | undefined {
    const key = series.key();
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.hits.inc();
      return hit ?? undefined;
    }
    this.misses.inc();
    const out = relabel(series, this.rules);
    const kept = out === undefined || out.size === 0 ? undefined : out;
    this.cache.set(key, kept ?? null);
    return kept;
  }

  async appendBatch(batch: MetricsBatch): Promise<void> {
    const out = new MetricsBatch(Math.max(1, batch.length));
    let processed = 0;
    for (let i = 0; i < batch.length; i++) {
      processed++;
      const s = this.process(batch.series[i]!);
      if (s !== undefined) out.copySample(batch, i, s);
    }
    for (const h of batch.histograms) {
      processed++;
      const s = this.process(h.series);
      if (s !== undefined) out.histograms.push({ ...h, series: s });
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
}

export default defineComponent({
  name: "prometheus.relabel",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new PrometheusRelabel(ctx, args),
});
