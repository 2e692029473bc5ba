// Exporter self-metrics with the Collector's names (exporterhelper's obsreport).

import { Counter, Gauge, type Registry } from "prom-client";
import type { Signal } from "../../../telemetry/otlp/signal.ts";

const ITEM: Record<Signal, string> = { traces: "spans", metrics: "metric_points", logs: "log_records" };

export class ExporterMetrics {
  readonly #sent: Record<Signal, Counter>;
  readonly #failed: Record<Signal, Counter>;
  readonly #enqueueFailed: Record<Signal, Counter>;
  readonly queueSize: Gauge;
  readonly queueCapacity: Gauge;

  constructor(registry: Registry, readonly exporter: string) {
    const registers = [registry];
    const labelNames = ["exporter"];
    const per = (what: string, help: (item: string) => string) =>
      Object.fromEntries(
        (["traces", "metrics", "logs"] as const).map((s) => [
          s,
          new Counter({ name: `otelcol_exporter_${what}_${ITEM[s]}_total`, help: help(ITEM[s].replace("_", " ")), labelNames, registers }),
        ]),
      ) as Record<Signal, Counter>;
    this.#sent = per("sent", (i) => `Number of ${i} successfully sent to destination.`);
    this.#failed = per("send_failed", (i) => `Number of ${i} in failed attempts to send to destination.`);
    this.#enqueueFailed = per("enqueue_failed", (i) => `Number of ${i} failed to be added to the sending queue.`);
    this.queueSize = new Gauge({ name: "otelcol_exporter_queue_size", help: "Current size of the retry queue (in batches).", labelNames: ["exporter", "data_type"], registers });
    this.queueCapacity = new Gauge({ name: "otelcol_exporter_queue_capacity", help: "Fixed capacity of the retry queue (in batches).", labelNames: ["exporter", "data_type"], registers });
  }

  sent(signal: Signal, n: number): void {
    this.#sent[signal].inc({ exporter: this.exporter }, n);
  }
  sendFailed(signal: Signal, n: number): void {
    this.#failed[signal].inc({ exporter: this.exporter }, n);
  }
  enqueueFailed(signal: Signal, n: number): void {
    this.#enqueueFailed[signal].inc({ exporter: this.exporter }, n);
  }
}
