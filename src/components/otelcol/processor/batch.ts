// otelcol.processor.batch: gathers items into batches of send_batch_size (sent at once) or
// whatever arrived within `timeout`, split at send_batch_max_size; with metadata_keys, one
// batcher per combination of those client-metadata values. Accepting is asynchronous, as in
// the Collector: downstream failures are logged, not returned.

import { create } from "@bufbuild/protobuf";
import { Counter, Histogram, Gauge, type Registry } from "prom-client";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { newBatch, undecodedBatch, type AnyBatch, type BatchOptions } from "../../../telemetry/otlp/batch.ts";
import { ConsumerError, consumeBatch, errorMessage, type OtelConsumer } from "../../../telemetry/otlp/consumer.ts";
import type { ExportRequest, ResourceLogs, ResourceMetrics, ResourceSpans } from "../../../telemetry/otlp/pdata.ts";
import { pdata } from "../../../telemetry/otlp/schemas.ts";
import type { Signal } from "../../../telemetry/otlp/signal.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { observed } from "../common/live_debugging.ts";
import { consumerType, Output, outputConsumer } from "../common/output.ts";
import { entryItems, takeItems, type ResourceEntry } from "./batch_split.ts";

const Arguments = schema.block({
  timeout: schema.attr(schema.duration, { default: "200ms" }),
  send_batch_size: schema.attr(schema.uint, { default: 2000 }),
  send_batch_max_size: schema.attr(schema.uint, { default: 3000 }),
  metadata_keys: schema.attr(schema.list(schema.string), { default: [] }),
  metadata_cardinality_limit: schema.attr(schema.uint, { default: 1000 }),
  output: schema.block(Output),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
}, {
  validate: (a) =>
    a.send_batch_max_size > 0 && a.send_batch_max_size < a.send_batch_size ? "send_batch_max_size must be greater or equal to send_batch_size" : undefined,
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(consumerType) });

function buildRequest(signal: Signal, entries: ResourceEntry[]): ExportRequest {
  switch (signal) {
    case "traces":
      return create(pdata().ExportTraceServiceRequestSchema, { resourceSpans: entries as ResourceSpans[] });
    case "metrics":
      return create(pdata().ExportMetricsServiceRequestSchema, { resourceMetrics: entries as ResourceMetrics[] });
    case "logs":
      return create(pdata().ExportLogsServiceRequestSchema, { resourceLogs: entries as ResourceLogs[] });
  }
}

function entriesOf(batch: AnyBatch): ResourceEntry[] {
  switch (batch.signal) {
    case "traces":
      return batch.request.resourceSpans;
    case "metrics":
      return batch.request.resourceMetrics;
    case "logs":
      return batch.request.resourceLogs;
  }
}

class Metrics {
  readonly sendSize: Histogram;
  readonly sizeTrigger: Counter;
  readonly timeoutTrigger: Counter;
  readonly cardinality: Gauge;
  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ["processor"];
    this.sendSize = new Histogram({
      name: "otelcol_processor_batch_batch_send_size",
      help: "Number of units in the batch",
      labelNames,
      buckets: [10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000],
      registers,
    });
    this.sizeTrigger = new Counter({ name: "otelcol_processor_batch_batch_size_trigger_send_total", help: "Number of times the batch was sent due to a size trigger", labelNames, registers });
    this.timeoutTrigger = new Counter({ name: "otelcol_processor_batch_timeout_trigger_send_total", help: "Number of times the batch was sent due to a timeout trigger", labelNames, registers });
    this.cardinality = new Gauge({ name: "otelcol_processor_batch_metadata_cardinality", help: "Number of distinct metadata value combinations being processed", labelNames, registers });
  }
}

/**
 * One received request waiting in a batcher: its bytes in the batcher's buffer
 * (`start`–`end`) when it came encoded, and the batch itself when it is decoded already or
 * has no bytes.
 */
interface Part {
  readonly batch: AnyBatch | undefined;
  readonly start: number;
  readonly end: number;
  readonly items: number;
}

/** Pending items of one signal for one metadata combination. */
class Batcher {
  /**
   * Requests as received, in order, after `#entries`. Their bytes are copied into `#buffer`
   * on arrival, so each request's own buffer is released at once (freed there and then when
   * the receiver owned it) instead of aging in the heap until the batch is sent. While
   * nothing was split and every part has bytes, the buffer is the protobuf encoding of the
   * merged request (repeated fields concatenate), which the exporter forwards without
   * encoding again; only a split decodes the parts.
   */
  #parts: Part[] = [];
  #buffer: Uint8Array = new Uint8Array(0);
  #used = 0;
  /** Whether every part so far has bytes in the buffer. */
  #allEncoded = true;
  /** Resource entries left over from a split; they go out before `#parts`. */
  readonly #entries: ResourceEntry[] = [];
  #count = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly proc: BatchProcessor,
    private readonly signal: Signal,
    private readonly metadata: ReadonlyMap<string, readonly string[]> | undefined,
  ) {}

  get count(): number {
    return this.#count;
  }

  add(batch: AnyBatch): void {
    const a = this.proc.args;
    this.#addPart(batch);
    while (a.send_batch_size > 0 && this.#count >= a.send_batch_size) {
      this.proc.metrics.sizeTrigger.inc({ processor: this.proc.id });
      this.#send(a.send_batch_max_size > 0 ? a.send_batch_max_size : this.#count);
    }
    if (a.timeout <= 0) this.flush();
    else if (this.#count > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (this.#count > 0) this.proc.metrics.timeoutTrigger.inc({ processor: this.proc.id });
        this.flush();
      }, a.timeout);
    } else if (this.#count === 0) this.#clearTimer();
  }

  /** Sends everything pending, in pieces of at most send_batch_max_size. */
  flush(): void {
    this.#clearTimer();
    const max = this.proc.args.send_batch_max_size;
    while (this.#count > 0 || this.#entries.length > 0 || this.#parts.length > 0) this.#send(max > 0 ? max : this.#count);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #addPart(batch: AnyBatch): void {
    const items = batch.itemCount();
    this.#count += items;
    const bytes = batch.encoded;
    if (bytes === undefined || !this.#allEncoded) {
      this.#allEncoded = false;
      this.#parts.push({ batch, start: 0, end: 0, items });
      return;
    }
    const start = this.#used;
    this.#reserve(bytes.byteLength);
    this.#buffer.set(bytes, start);
    this.#used += bytes.byteLength;
    const keep = batch.isDecoded;
    this.#parts.push({ batch: keep ? batch : undefined, start, end: this.#used, items });
    // Only the copy is kept: the request's own buffer can go now.
    if (!keep) batch.release();
  }

  #reserve(more: number): void {
    const need = this.#used + more;
    if (need <= this.#buffer.byteLength) return;
    // Sized for what the last batch needed plus an eighth, so a steady stream whose batches
    // vary a little allocates one buffer per batch; the exporter sends a view of it, and
    // the whole buffer lives as long as that send, so growth is by half rather than double.
    const grown = new Uint8Array(Math.max(need, Math.ceil(this.#buffer.byteLength * 1.5), this.#lastSize + (this.#lastSize >>> 3)));
    grown.set(this.#buffer.subarray(0, this.#used));
    this.#buffer = grown;
  }
  #lastSize = 0;

  /**
   * Takes the pending parts and the buffer holding their bytes, leaving the batcher empty of
   * them; `whole` says whether the buffer encodes all of them.
   */
  #takeParts(): { parts: Part[]; bytes: Uint8Array; whole: boolean } {
    const parts = this.#parts;
    const bytes = this.#buffer.subarray(0, this.#used);
    const whole = this.#allEncoded && parts.length > 0;
    this.#lastSize = Math.max(this.#used, 1024);
    this.#parts = [];
    this.#buffer = new Uint8Array(0);
    this.#used = 0;
    this.#allEncoded = true;
    return { parts, bytes, whole };
  }

  /** Resource entries of parts, decoding those that exist only as bytes. */
  #entriesOf(parts: readonly Part[], bytes: Uint8Array): ResourceEntry[] {
    const out: ResourceEntry[] = [];
    for (const p of parts) {
      const b = p.batch ?? undecodedBatch(this.signal, bytes.subarray(p.start, p.end), p.items);
      for (const e of entriesOf(b)) out.push(e);
    }
    return out;
  }

  #send(max: number): void {
    const opts: BatchOptions = this.metadata ? { client: { metadata: this.metadata } } : {};
    if (max >= this.#count) {
      const n = this.#count;
      const whole = this.#takeWhole(opts);
      this.#count = 0;
      if (whole === undefined) return;
      this.proc.metrics.sendSize.observe({ processor: this.proc.id }, n);
      this.proc.deliver(whole);
      return;
    }
    // A split needs the resource entries of everything pending.
    const { parts, bytes } = this.#takeParts();
    for (const e of this.#entriesOf(parts, bytes)) this.#entries.push(e);
    const entries = takeItems(this.signal, this.#entries, max);
    const n = entries.reduce((acc, e) => acc + entryItems(this.signal, e), 0);
    this.#count -= n;
    if (entries.length === 0) return;
    this.proc.metrics.sendSize.observe({ processor: this.proc.id }, n);
    this.proc.deliver(newBatch(this.signal, buildRequest(this.signal, entries), opts));
  }

  /** Everything pending as one batch (undefined when nothing is), emptying the batcher. */
  #takeWhole(opts: BatchOptions): AnyBatch | undefined {
    const { parts, bytes, whole } = this.#takeParts();
    if (this.#entries.length === 0 && whole) {
      const items = parts.reduce((acc, p) => acc + p.items, 0);
      // Undecoded parts make an undecoded whole; decoded ones are merged as objects as well.
      // The buffer was the batcher's alone and it has let go of it.
      if (parts.every((p) => p.batch === undefined)) return undecodedBatch(this.signal, bytes, items, opts.client).ownBytes();
      return newBatch(this.signal, buildRequest(this.signal, this.#entriesOf(parts, bytes)), { ...opts, encoded: bytes });
    }
    const entries = this.#entries.splice(0);
    for (const e of this.#entriesOf(parts, bytes)) entries.push(e);
    if (entries.length === 0) return undefined;
    return newBatch(this.signal, buildRequest(this.signal, entries), opts);
  }
}

class BatchProcessor implements ComponentInstance<Args>, OtelConsumer {
  readonly capabilities = { mutatesData: false };
  readonly metrics: Metrics;
  readonly #batchers = new Map<string, Batcher>();
  #next: OtelConsumer;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, public args: Args) {
    this.metrics = new Metrics(ctx.registry);
    this.#next = observed(ctx.liveDebugging, outputConsumer(args.output));
    ctx.publish({ input: this });
  }

  get id(): string {
    return "batch";
  }

  update(args: Args): void {
    const keysChanged = args.metadata_keys.join("\0") !== this.args.metadata_keys.join("\0");
    this.args = args;
    this.#next = observed(this.ctx.liveDebugging, outputConsumer(args.output));
    if (keysChanged) this.#flushAll(true);
  }

  async consumeTraces(b: AnyBatch): Promise<void> {
    this.#accept(b);
  }
  async consumeMetrics(b: AnyBatch): Promise<void> {
    this.#accept(b);
  }
  async consumeLogs(b: AnyBatch): Promise<void> {
    this.#accept(b);
  }

  #accept(batch: AnyBatch): void {
    if (batch.itemCount() === 0 && entriesOf(batch).length === 0) return;
    const keys = this.args.metadata_keys;
    let metadata: Map<string, readonly string[]> | undefined;
    let key = batch.signal;
    if (keys.length > 0) {
      metadata = new Map();
      const parts: string[] = [];
      for (const k of keys) {
        const values = batch.client?.metadata?.get(k.toLowerCase()) ?? [];
        if (values.length > 0) metadata.set(k, values);
        parts.push(JSON.stringify(values));
      }
      key = `${batch.signal}\0${parts.join("\0")}` as Signal;
    }
    let b = this.#batchers.get(key);
    if (!b) {
      if (keys.length > 0 && this.#batchers.size >= this.args.metadata_cardinality_limit) {
        throw ConsumerError.permanent("too many batcher metadata-value combinations");
      }
      b = new Batcher(this, batch.signal, metadata);
      this.#batchers.set(key, b);
      this.metrics.cardinality.set({ processor: this.id }, this.#batchers.size);
    }
    b.add(batch);
    // Idle metadata batchers are dropped so the cardinality limit counts live combinations.
    if (keys.length > 0 && b.count === 0) this.#batchers.delete(key);
  }

  deliver(batch: AnyBatch): void {
    const p = consumeBatch(this.#next, batch).catch((err) => {
      this.ctx.logger.warn("Sender failed", { error: errorMessage(err), items: batch.itemCount() });
    });
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  }

  #flushAll(drop: boolean): void {
    for (const b of this.#batchers.values()) b.flush();
    if (drop) this.#batchers.clear();
  }

  async stop(): Promise<void> {
    this.#flushAll(true);
    await Promise.all(this.#inFlight);
  }
}

export default defineComponent({
  name: "otelcol.processor.batch",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new BatchProcessor(ctx, args),
});
