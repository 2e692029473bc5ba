// Receiver self-metrics with the Collector's names (receiverhelper's obsreport).

import { Counter, type Registry } from "prom-client";
import { isPermanentError } from "../../../telemetry/otlp/consumer.ts";
import type { ExportEvent } from "../../../telemetry/otlp/grpc_server.ts";
import type { Signal } from "../../../telemetry/otlp/signal.ts";

const ITEM: Record<Signal, string> = { traces: "spans", metrics: "metric_points", logs: "log_records" };
const WORD: Record<Signal, string> = { traces: "spans", metrics: "metric points", logs: "log records" };

export class ReceiverMetrics {
  readonly #accepted: Record<Signal, Counter>;
  readonly #refused: Record<Signal, Counter>;
  readonly #failed: Record<Signal, Counter>;

  constructor(registry: Registry, private readonly receiver: string) {
    const registers = [registry];
    const labelNames = ["receiver", "transport"];
    const per = (what: string, help: (w: string) => string) =>
      Object.fromEntries(
        (["traces", "metrics", "logs"] as const).map((s) => [s, new Counter({ name: `otelcol_receiver_${what}_${ITEM[s]}_total`, help: help(WORD[s]), labelNames, registers })]),
      ) as Record<Signal, Counter>;
    this.#accepted = per("accepted", (w) => `Number of ${w} successfully pushed into the pipeline.`);
    this.#refused = per("refused", (w) => `Number of ${w} that could not be pushed into the pipeline.`);
    this.#failed = per("failed", (w) => `Number of ${w} that failed to be processed by the receiver due to internal errors.`);
  }

  /** Counts one request's outcome: refused when the pipeline said no, failed on internal (permanent) errors. */
  record(e: ExportEvent): void {
    const labels = { receiver: this.receiver, transport: e.transport };
    if (e.error === undefined) this.#accepted[e.signal].inc(labels, e.items);
    else if (isPermanentError(e.error)) this.#failed[e.signal].inc(labels, e.items);
    else this.#refused[e.signal].inc(labels, e.items);
  }
}
