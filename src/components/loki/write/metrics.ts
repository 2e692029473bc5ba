// loki.write's client metrics, with Alloy's names and labels (host = the
// endpoint's host:port, tenant = X-Scope-OrgID, reason = why entries were dropped).

import { Counter, Histogram, type Registry } from "prom-client";

export type DropReason = "ingester_error" | "rate_limited" | "stream_limited" | "queue_full";

export class WriteMetrics {
  readonly encodedBytes: Counter;
  readonly sentBytes: Counter;
  readonly droppedBytes: Counter;
  readonly sentEntries: Counter;
  readonly droppedEntries: Counter;
  readonly requestDuration: Histogram;
  readonly requestSize: Histogram;
  readonly batchRetries: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    const ht = ["host", "tenant"];
    const htr = ["host", "tenant", "reason"];
    this.encodedBytes = new Counter({ name: "loki_write_encoded_bytes_total", help: "Number of bytes encoded and ready to send.", labelNames: ht, registers });
    this.sentBytes = new Counter({ name: "loki_write_sent_bytes_total", help: "Number of bytes sent.", labelNames: ht, registers });
    this.droppedBytes = new Counter({
      name: "loki_write_dropped_bytes_total",
      help: "Number of bytes dropped because failed to be sent to the ingester after all retries.",
      labelNames: htr,
      registers,
    });
    this.sentEntries = new Counter({ name: "loki_write_sent_entries_total", help: "Number of log entries sent to the ingester.", labelNames: ht, registers });
    this.droppedEntries = new Counter({
      name: "loki_write_dropped_entries_total",
      help: "Number of log entries dropped because failed to be sent to the ingester after all retries.",
      labelNames: htr,
      registers,
    });
    this.requestDuration = new Histogram({
      name: "loki_write_request_duration_seconds",
      help: "Duration of send requests.",
      labelNames: ["status_code", "host", "tenant"],
      registers,
    });
    this.requestSize = new Histogram({
      name: "loki_write_request_size_bytes",
      help: "Number of bytes for encoded requests.",
      labelNames: ["host", "tenant"],
      buckets: [1024, 8192, 65536, 262144, 1048576, 4194304, 16777216],
      registers,
    });
    this.batchRetries = new Counter({ name: "loki_write_batch_retries_total", help: "Number of times batches has had to be retried.", labelNames: ht, registers });
  }

  dropped(host: string, tenant: string, reason: DropReason, entries: number, bytes: number): void {
    this.droppedEntries.inc({ host, tenant, reason }, entries);
    this.droppedBytes.inc({ host, tenant, reason }, bytes);
  }
}
