// Metrics loki.process registers in its component registry: the shared
// `loki_process_dropped_lines_total{reason}` counter, and the label-per-stream
// series of stage.metrics (one series per entry label set, removed after
// max_idle_duration without an update, like Alloy's expiring metricVec).

import { Counter, type Registry } from "prom-client";
import { formatLabels } from "../../../telemetry/loki/labels.ts";
import type { LabelSet } from "../../../telemetry/loki/entry.ts";

export interface DropCounter {
  inc(reason: string, n?: number): void;
}

/** The counter every dropping stage shares (registered once per component). */
export function newDropCounter(registry: Registry): DropCounter {
  const c = new Counter({
    name: "loki_process_dropped_lines_total",
    help: "A count of all log lines dropped as a result of a pipeline stage",
    labelNames: ["reason"],
    registers: [registry],
  });
  return { inc: (reason, n = 1) => c.inc({ reason }, n) };
}

/** A counter that one component registers once and later stages reuse (Alloy's MustRegisterOrGet). */
export function sharedCounter(registry: Registry, name: string, help: string, labelNames: string[] = []): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export type MetricKind = "counter" | "gauge" | "histogram";

interface Series {
  labels: Record<string, string>;
  value: number;
  /** Histogram only: per-bucket counts (not cumulative) and the sum. */
  buckets?: number[];
  sum?: number;
  lastModified: number;
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** Labels of a stage.metrics series: the entry's labels without `__`-prefixed ones. */
function cleanLabels(labels: Readonly<LabelSet>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (!k.startsWith("__")) out[k] = labels[k]!;
  return out;
}

/** A stage.metrics metric: prom-client's registry collects it through `get()`. */
export class ExpiringMetricVec {
  private readonly series = new Map<string, Series>();
  readonly aggregator = "sum";

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricKind,
    private readonly maxIdleMs: number,
    private readonly bucketBounds: readonly number[] = [],
  ) {}

  private with(labels: Readonly<LabelSet>): Series {
    const key = formatLabels(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: cleanLabels(labels), value: 0, lastModified: Date.now() };
      if (this.type === "histogram") {
        s.buckets = new Array<number>(this.bucketBounds.length + 1).fill(0);
        s.sum = 0;
      }
      this.series.set(key, s);
    }
    s.lastModified = Date.now();
    return s;
  }

  add(labels: Readonly<LabelSet>, v: number): void {
    this.with(labels).value += v;
  }

  set(labels: Readonly<LabelSet>, v: number): void {
    this.with(labels).value = v;
  }

  observe(labels: Readonly<LabelSet>, v: number): void {
    const s = this.with(labels);
    let i = this.bucketBounds.findIndex((b) => v <= b);
    if (i < 0) i = this.bucketBounds.length;
    s.buckets![i]!++;
    s.sum! += v;
    s.value++;
  }

  clear(): void {
    this.series.clear();
  }

  get(): { name: string; help: string; type: MetricKind; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      if (this.type !== "histogram") {
        values.push({ value: s.value, labels: s.labels });
        continue;
      }
      let cum = 0;
      this.bucketBounds.forEach((b, i) => {
        cum += s.buckets![i]!;
        values.push({ metricName: `${this.name}_bucket`, value: cum, labels: { ...s.labels, le: b } });
      });
      values.push({ metricName: `${this.name}_bucket`, value: s.value, labels: { ...s.labels, le: "+Inf" } });
      values.push({ metricName: `${this.name}_sum`, value: s.sum!, labels: s.labels });
      values.push({ metricName: `${this.name}_count`, value: s.value, labels: s.labels });
    }
    this.prune();
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Drops series idle for max_idle_duration (whole seconds, as Alloy compares). */
  private prune(): void {
    const nowSec = Math.floor(Date.now() / 1000);
    const maxSec = Math.floor(this.maxIdleMs / 1000);
    for (const [k, s] of this.series) if (nowSec - Math.floor(s.lastModified / 1000) >= maxSec) this.series.delete(k);
  }
}
