// loki.relabel: applies `rule` blocks to each entry's labels and forwards the
// entry with the new label set; entries whose labels end up empty (or that a
// rule drops) are dropped. Results are cached per label set (max_cache_size,
// least recently used out first) and the cache is purged when rules change.

import { Counter, Gauge } from "prom-client";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import * as schema from "../../syntax/schema/index.ts";
import { newLabelSet, type Entry, type LabelSet } from "../../telemetry/loki/entry.ts";
import { formatLabels, streamKey } from "../../telemetry/loki/labels.ts";
import { FanOut, type LogsReceiver } from "../../telemetry/loki/receiver.ts";
import { relabelTarget } from "../../telemetry/prometheus/relabel/process.ts";
import type { RelabelRule } from "../../telemetry/prometheus/relabel/rule.ts";
import { compileRuleBlocks, RelabelRules } from "../discovery/rules.ts";
import type { Arguments, Exports } from "./relabel.ts";

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

/** Label set text → relabeled labels (null: dropped); Map order is recency order. */
class LabelCache {
  private readonly map = new Map<string, LabelSet | null>();
  constructor(public maxSize: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: string): LabelSet | null | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }
  set(key: string, v: LabelSet | null): void {
    this.map.delete(key);
    this.map.set(key, v);
    this.evict();
  }
  /** Shrinks to maxSize; returns how many entries were evicted. */
  evict(): number {
    let n = 0;
    while (this.map.size > Math.max(0, this.maxSize)) {
      this.map.delete(this.map.keys().next().value as string);
      n++;
    }
    return n;
  }
  clear(): void {
    this.map.clear();
  }
}

class LokiRelabel implements ComponentInstance<Args>, LogsReceiver {
  private readonly fanout = new FanOut();
  private rules: RelabelRule[] = [];
  private rulesKey = "";
  private readonly cache: LabelCache;
  private readonly processed: Counter;
  private readonly written: Counter;
  private readonly hits: Counter;
  private readonly misses: Counter;

  constructor(
    private readonly ctx: Ctx,
    args: Args,
  ) {
    const registers = [ctx.registry];
    this.processed = new Counter({ name: "loki_relabel_entries_processed", help: "Total number of log entries processed", registers });
    this.written = new Counter({ name: "loki_relabel_entries_written", help: "Total number of log entries forwarded", registers });
    this.misses = new Counter({ name: "loki_relabel_cache_misses", help: "Total number of cache misses", registers });
    this.hits = new Counter({ name: "loki_relabel_cache_hits", help: "Total number of cache hits", registers });
    this.cache = new LabelCache(args.max_cache_size);
    const cache = this.cache;
    new Gauge({
      name: "loki_relabel_cache_size",
      help: "Total size of relabel cache",
      registers,
      collect() {
        this.set(cache.size);
      },
    });
    this.update(args);
  }

  update(args: Args): void {
    this.fanout.setTargets(args.forward_to);
    const key = JSON.stringify(args.rule);
    if (key !== this.rulesKey) {
      this.rules = compileRuleBlocks(args.rule);
      this.rulesKey = key;
      this.ctx.logger.debug("received new relabel configs, purging cache");
      this.cache.clear();
    }
    if (args.max_cache_size !== this.cache.maxSize) {
      this.cache.maxSize = args.max_cache_size;
      const evicted = this.cache.evict();
      if (evicted > 0) this.ctx.logger.debug("resizing the cache led to evicting items", { len_items_evicted: evicted });
    }
    this.ctx.publish({ receiver: this, rules: new RelabelRules(this.rules) });
  }

  /** The relabeled label set, or undefined when dropped. */
  private relabel(labels: LabelSet): LabelSet | undefined {
    const key = streamKey(labels);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.hits.inc();
      return hit ?? undefined;
    }
    this.misses.inc();
    const out = relabelTarget(labels, this.rules);
    const result = out === undefined || Object.keys(out).length === 0 ? null : newLabelSet(out);
    this.cache.set(key, result);
    return result ?? undefined;
  }

  send(entries: Entry[]): void | Promise<void> {
    this.processed.inc(entries.length);
    const out: Entry[] = [];
    const debug = this.ctx.liveDebugging.isActive();
    for (const e of entries) {
      const labels = this.relabel(e.labels);
      if (debug) {
        this.ctx.liveDebugging.publish({
          type: "loki_log",
          count: 1,
          text: () => `entry: ${e.line}, labels: ${formatLabels(e.labels)} => ${labels ? formatLabels(labels) : "<dropped>"}`,
        });
      }
      if (!labels) {
        this.ctx.logger.debug("dropping entry after relabeling", { labels: streamKey(e.labels) });
        continue;
      }
      // Entries are shared between receivers: a new object, same line and metadata. Label sets are
      // never changed once sent, so the entries of one stream share the cached set.
      out.push({ labels, timestamp: e.timestamp, line: e.line, structuredMetadata: e.structuredMetadata });
    }
    if (out.length === 0) return;
    this.written.inc(out.length);
    return this.fanout.send(out);
  }
}

/** Loaded with the first block of this component in a config (see relabel.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new LokiRelabel(ctx, args);
