// What otelcol.exporter.otlp and otelcol.exporter.otlphttp share (the Collector's
// exporterhelper): a consumer that queues each batch (or sends it inline when the queue
// is disabled), retries failures with backoff, and counts what was sent or dropped.

import { isDeepStrictEqual } from "node:util";
import type { Registry } from "prom-client";
import type { Logger } from "../../../runtime/logger.ts";
import type { AnyBatch, LogsBatch, MetricsBatch, TracesBatch } from "../../../telemetry/otlp/batch.ts";
import { ConsumerError, errorMessage, type ConsumeResult, type OtelConsumer } from "../../../telemetry/otlp/consumer.ts";
import type { ExportResult } from "../../../telemetry/otlp/export_error.ts";
import { storageOf } from "../common/handler.ts";
import type { QueueArgs, RetryArgs } from "./arguments.ts";
import { FileQueueStore } from "./file_queue_store.ts";
import { ExporterMetrics } from "./metrics.ts";
import { QueueFull, SendingQueue } from "./queue.ts";
import { withRetry } from "./retry.ts";

/** Sends one batch to the destination (one attempt). */
export type SendBatch = (batch: AnyBatch, signal: AbortSignal) => Promise<ExportResult>;

export interface ExporterSettings {
  retry: RetryArgs;
  queue: QueueArgs;
  send: SendBatch;
}

export interface ExporterHost {
  /** Component ID, naming the queue directory and log lines. */
  id: string;
  logger: Logger;
  registry: Registry;
}

export class QueuedExporter implements OtelConsumer {
  readonly capabilities = { mutatesData: false };
  readonly metrics: ExporterMetrics;
  #settings: ExporterSettings | undefined;
  #queue: SendingQueue | undefined;
  #queueArgs: QueueArgs | undefined;
  readonly #stop = new AbortController();

  constructor(private readonly host: ExporterHost, exporterName: string) {
    this.metrics = new ExporterMetrics(host.registry, exporterName);
  }

  /** Applies new settings; the queue is rebuilt only when its own block changed. */
  async configure(settings: ExporterSettings): Promise<void> {
    this.#settings = settings;
    if (this.#queueArgs && isDeepStrictEqual(this.#queueArgs, settings.queue) && this.#queueArgs.storage === settings.queue.storage) return;
    const old = this.#queue;
    const oldPersistent = this.#queueArgs?.storage !== undefined;
    this.#queue = undefined;
    this.#queueArgs = settings.queue;
    // A persistent queue hands over through its files, so its sends must finish first;
    // an in-memory queue hands over what it has not started and finishes the rest alone.
    let carried: AnyBatch[] = [];
    if (old && oldPersistent) await old.stop();
    else if (old) {
      carried = old.takePending();
      void old.stop();
    }
    if (!settings.queue.enabled) {
      for (const b of carried) void this.#deliver(b).catch(() => {});
      return;
    }
    const storage = storageOf(settings.queue.storage, "sending_queue.storage");
    const store = storage
      ? new FileQueueStore(storage.directoryFor(this.host.id, "queue"), (file, err) =>
          this.host.logger.warn("dropping unreadable persisted request", { file, err: errorMessage(err) }))
      : undefined;
    const q = new SendingQueue(settings.queue.queue_size, settings.queue.num_consumers, (b) =>
      this.#deliver(b).then(() => true, () => {
        if (this.#stop.signal.aborted) return false;
        // Dropped for good: nothing here reads the batch again.
        b.release();
        return true;
      }), store, (n) =>
      this.metrics.queueSize.set({ exporter: this.metrics.exporter }, n), {
      blockOnOverflow: settings.queue.block_on_overflow,
      waitForResult: settings.queue.wait_for_result,
    });
    this.metrics.queueCapacity.set({ exporter: this.metrics.exporter }, settings.queue.queue_size);
    await q.start();
    this.#queue = q;
    for (const b of carried) await this.#accept(b).catch(() => {});
  }

  consumeTraces(b: TracesBatch): Promise<ConsumeResult> {
    return this.#accept(b);
  }
  consumeMetrics(b: MetricsBatch): Promise<ConsumeResult> {
    return this.#accept(b);
  }
  consumeLogs(b: LogsBatch): Promise<ConsumeResult> {
    return this.#accept(b);
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#queue?.stop();
  }

  async #accept(batch: AnyBatch): Promise<ConsumeResult> {
    if (batch.itemCount() === 0) return;
    const q = this.#queue;
    if (!q) {
      // No queue: the caller waits for the send and sees its failure.
      await this.#deliver(batch);
      return;
    }
    try {
      await q.offer(batch);
    } catch (err) {
      this.metrics.enqueueFailed(batch.signal, batch.itemCount());
      if (err instanceof QueueFull) this.host.logger.warn("Dropping data because sending_queue is full. Try increasing queue_size.", { dropped_items: batch.itemCount() });
      throw err;
    }
  }

  /** One request through retries; counts the outcome, releases a sent request and rethrows the final failure. */
  async #deliver(batch: AnyBatch): Promise<void> {
    const settings = this.#settings;
    if (!settings) throw ConsumerError.retryable("exporter is not configured");
    const items = batch.itemCount();
    try {
      const result = await withRetry(settings.retry, () => settings.send(batch, this.#stop.signal), this.#stop.signal, (err) => {
        if (!this.#stop.signal.aborted) this.host.logger.debug("Exporting failed. Will retry the request after interval.", { error: errorMessage(err) });
      });
      if (result.rejected > 0) {
        this.host.logger.warn("Partial success response", { message: result.message, dropped_items: result.rejected });
        this.metrics.sendFailed(batch.signal, result.rejected);
      }
      this.metrics.sent(batch.signal, items - result.rejected);
      batch.release();
    } catch (err) {
      if (!this.#stop.signal.aborted) {
        this.metrics.sendFailed(batch.signal, items);
        this.host.logger.error("Exporting failed. Dropping data.", { error: errorMessage(err), dropped_items: items });
      }
      throw err;
    }
  }
}
