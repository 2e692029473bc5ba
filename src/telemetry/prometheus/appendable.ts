// The metrics appendable: what prometheus.scrape, prometheus.relabel,
// prometheus.remote_write, prometheus.receive_http (and otelcol's Prometheus bridges)
// pass to each other as the `MetricsReceiver` capsule. It is the counterpart of
// Alloy's storage.Appendable.
//
// Design (batch, not per-sample calls):
//   A producer fills one MetricsBatch per transaction (a scrape, a remote-write
//   request) and hands it over with `receiver.appendBatch(batch)`. The batch is the
//   transaction: handing it over is Commit, never handing it over is Rollback. This
//   keeps the per-sample cost to three array writes on the producer side and one
//   loop per stage downstream, with no per-sample virtual call through every hop of
//   a fan-out and no per-sample promise. For code written in Alloy's style,
//   `newAppender(receiver)` gives append/appendExemplar/appendHistogram/
//   updateMetadata/commit/rollback on top of a batch.
//
// Contract:
//   * A batch is immutable once handed over. Receivers never modify it; a stage that
//     changes labels builds a new batch (MetricsBatch.mapSeries). Receivers may keep
//     a reference (e.g. queue it); the producer allocates a fresh batch per commit.
//   * `appendBatch` resolves when the receiver has taken the data: for
//     prometheus.remote_write, once it is in the WAL (durability per the WAL's
//     fsync policy). It rejects when the data was not taken; the producer reports it
//     (scrape: the scrape fails) and does not retry on its own.
//   * Labels objects are shared, not copied: stages cache by Labels identity or by
//     `labels.key()`. A producer that reuses its Labels objects across transactions
//     (the scrape loop's series cache) makes every downstream cache hit cheap.
//   * Staleness markers travel as raw bits in the value column (batch.isStale(i));
//     never re-create a value through a JS number when forwarding (use copySample).

import { MetricsBatch } from "./batch.ts";
import type { Exemplar } from "./exemplar.ts";
import type { NativeHistogram } from "./histogram.ts";
import type { Labels } from "./labels.ts";
import type { Metadata } from "./metadata.ts";

/** The capsule type name Alloy shows for a metrics receiver (`capsule("storage.Appendable")`). */
export const METRICS_RECEIVER_TYPE = "storage.Appendable";

export interface MetricsReceiver {
  /** Takes a committed batch. See the contract above. */
  appendBatch(batch: MetricsBatch): Promise<void>;
}

export function isMetricsReceiver(v: unknown): v is MetricsReceiver {
  return typeof v === "object" && v !== null && typeof (v as { appendBatch?: unknown }).appendBatch === "function";
}

/** Alloy-style transactional appender over a batch. */
export interface Appender {
  append(series: Labels, timestamp: number, value: number): void;
  appendStaleMarker(series: Labels, timestamp: number): void;
  appendExemplar(series: Labels, exemplar: Exemplar): void;
  appendHistogram(series: Labels, timestamp: number, histogram: NativeHistogram): void;
  updateMetadata(series: Labels, metadata: Metadata): void;
  /** Hands the batch to the receiver; the appender can be used again afterwards. */
  commit(): Promise<void>;
  /** Discards everything appended since the last commit. */
  rollback(): void;
  /** The pending batch (read-only use: limits, counting). */
  readonly pending: MetricsBatch;
}

export function newAppender(receiver: MetricsReceiver, capacity?: number): Appender {
  return new BatchAppender(receiver, capacity);
}

class BatchAppender implements Appender {
  pending: MetricsBatch;

  constructor(
    private readonly receiver: MetricsReceiver,
    private readonly capacity?: number,
  ) {
    this.pending = new MetricsBatch(capacity);
  }

  append(series: Labels, timestamp: number, value: number): void {
    this.pending.appendSample(series, timestamp, value);
  }
  appendStaleMarker(series: Labels, timestamp: number): void {
    this.pending.appendStaleMarker(series, timestamp);
  }
  appendExemplar(series: Labels, exemplar: Exemplar): void {
    this.pending.appendExemplar(series, exemplar);
  }
  appendHistogram(series: Labels, timestamp: number, histogram: NativeHistogram): void {
    this.pending.appendHistogram(series, timestamp, histogram);
  }
  updateMetadata(series: Labels, metadata: Metadata): void {
    this.pending.updateMetadata(series, metadata);
  }
  commit(): Promise<void> {
    const batch = this.pending;
    this.pending = new MetricsBatch(this.capacity ?? Math.max(64, batch.length));
    if (batch.isEmpty()) return Promise.resolve();
    return this.receiver.appendBatch(batch);
  }
  rollback(): void {
    this.pending = new MetricsBatch(this.capacity);
  }
}

/**
 * Sends every batch to all current children (a component's `forward_to`), in
 * parallel. The children list can be replaced at any time (component update);
 * a batch in flight keeps the list it started with. Rejects with an AggregateError
 * naming how many children failed when any did; the others still got the batch.
 */
export class FanOut implements MetricsReceiver {
  #children: readonly MetricsReceiver[];

  constructor(children: readonly MetricsReceiver[] = []) {
    this.#children = children.slice();
  }

  get children(): readonly MetricsReceiver[] {
    return this.#children;
  }

  setChildren(children: readonly MetricsReceiver[]): void {
    this.#children = children.slice();
  }

  async appendBatch(batch: MetricsBatch): Promise<void> {
    const children = this.#children;
    if (children.length === 0) return;
    if (children.length === 1) return children[0]!.appendBatch(batch);
    const results = await Promise.allSettled(children.map((c) => c.appendBatch(batch)));
    const errors: unknown[] = [];
    for (const r of results) if (r.status === "rejected") errors.push(r.reason);
    if (errors.length > 0) {
      const first = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
      throw new AggregateError(errors, `${errors.length} of ${children.length} receivers failed: ${first}`);
    }
  }
}

/** A receiver from a function, for tests and small adapters. */
export function receiverFunc(fn: (batch: MetricsBatch) => void | Promise<void>): MetricsReceiver {
  return {
    async appendBatch(batch) {
      await fn(batch);
    },
  };
}

/** A receiver that drops everything (forward_to = []). */
export const discardReceiver: MetricsReceiver = { appendBatch: () => Promise.resolve() };
