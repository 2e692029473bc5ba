// The fan-out behind a component's forward_to, with Alloy's Fanout metrics
// (prometheus_fanout_latency, prometheus_forwarded_samples_total) and the
// live-debugging events Alloy's scrape interceptor publishes per sample.

import { Counter, Histogram, type Registry } from "prom-client";
import type { LiveDebuggingPublisher } from "../../../runtime/component.ts";
import { sprintf } from "../../../gocompat/fmt.ts";
import { FanOut, type MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import type { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";

export class ForwardingReceiver implements MetricsReceiver {
  readonly fanout = new FanOut();
  private readonly latency: Histogram;
  private readonly forwarded: Counter;

  constructor(
    registry: Registry,
    private readonly debug?: LiveDebuggingPublisher,
  ) {
    const registers = [registry];
    this.latency = new Histogram({
      name: "prometheus_fanout_latency",
      help: "Write latency for sending to direct and indirect components",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.forwarded = new Counter({
      name: "prometheus_forwarded_samples_total",
      help: "Total number of samples sent to downstream components.",
      registers,
    });
  }

  setChildren(children: readonly MetricsReceiver[]): void {
    this.fanout.setChildren(children);
  }

  async appendBatch(batch: MetricsBatch): Promise<void> {
    const start = performance.now();
    try {
      await this.fanout.appendBatch(batch);
    } finally {
      this.latency.observe((performance.now() - start) / 1000);
      this.forwarded.inc(batch.length + batch.histograms.length);
      if (this.debug?.isActive()) publishBatch(this.debug, batch);
    }
  }
}

/** One `prometheus_metric` event per sample, histogram, metadata entry and exemplar, as Alloy's interceptor. */
export function publishBatch(debug: LiveDebuggingPublisher, batch: MetricsBatch): void {
  batch.forEachSample((series, ts, value) => {
    debug.publish({ type: "prometheus_metric", count: 1, text: () => sprintf("sample: ts=%d, labels=%s, value=%f", BigInt(ts), series.toString(), value) });
  });
  for (const h of batch.histograms) {
    debug.publish({
      type: "prometheus_metric",
      count: 1,
      text: () => `histogram: ts=${h.timestamp}, labels=${h.series.toString()}, value=${JSON.stringify(h.histogram)}`,
    });
  }
  for (const m of batch.metadata) {
    debug.publish({
      type: "prometheus_metric",
      count: 1,
      text: () => sprintf("metadata: labels=%s, type=%q, unit=%q, help=%q", m.series.toString(), m.metadata.type, m.metadata.unit, m.metadata.help),
    });
  }
  for (const e of batch.exemplars) {
    debug.publish({
      type: "prometheus_metric",
      count: 1,
      text: () => sprintf("exemplar: ts=%d, labels=%s, exemplar_labels=%s, value=%f", BigInt(e.exemplar.timestamp), e.series.toString(), e.exemplar.labels.toString(), e.exemplar.value),
    });
  }
}
