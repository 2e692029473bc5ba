// Test-only `test.metrics "x" {}`: exports `receiver`, a MetricsReceiver that keeps
// every batch it gets, so tests can look at what a pipeline forwarded.

import * as schema from "../../../src/syntax/schema/index.ts";
import { defineComponent } from "../../../src/runtime/component.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../../src/telemetry/prometheus/appendable.ts";
import type { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";

export interface SeenSample {
  labels: Record<string, string>;
  name: string;
  t: number;
  v: number;
  stale: boolean;
}

/** Batches received, by component ID. */
export const received = new Map<string, MetricsBatch[]>();

export function samples(id: string): SeenSample[] {
  const out: SeenSample[] = [];
  for (const b of received.get(id) ?? []) {
    b.forEachSample((s, t, v, stale) => out.push({ labels: s.toObject(), name: s.metricName(), t, v, stale }));
  }
  return out;
}

/** The last non-stale sample of `name` (optionally matching some labels). */
export function last(id: string, name: string, match: Record<string, string> = {}): SeenSample | undefined {
  const all = samples(id).filter((s) => s.name === name && !s.stale && Object.entries(match).every(([k, v]) => s.labels[k] === v));
  return all[all.length - 1];
}

const Exports = schema.block({ receiver: schema.attr(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE)) });

export const testMetricsReceiver = defineComponent({
  name: "test.metrics",
  stability: "generally-available",
  args: schema.block({ fail: schema.attr(schema.bool, { default: false }) }),
  exports: Exports,
  build(ctx, args) {
    let fail = args.fail;
    received.set(ctx.id, []);
    const receiver: MetricsReceiver = {
      async appendBatch(batch) {
        if (fail) throw new Error("receiver refused the batch");
        received.get(ctx.id)!.push(batch);
      },
    };
    ctx.publish({ receiver });
    return {
      update(a) {
        fail = a.fail;
      },
    };
  },
});
