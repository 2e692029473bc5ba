// otelcol.processor.batch: gathers items into batches of send_batch_size (sent at once) or
// whatever arrived within `timeout`, split at send_batch_max_size; with metadata_keys, one
// batcher per combination of those client-metadata values. Accepting is asynchronous, as in
// the Collector: downstream failures are logged, not returned.

import { create } from "@bufbuild/protobuf";
import { Counter, Histogram, Gauge, type Registry } from "prom-client";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import {
  ConsumerError,
  consumeBatch,
  errorMessage,
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  newBatch,
  undecodedBatch,
  type AnyBatch,
  type BatchOptions,
  type ExportRequest,
  type OtelConsumer,
  type ResourceLogs,
  type ResourceMetrics,
  type ResourceSpans,
  type Signal,
} from "../../../telemetry/otlp/index.ts";
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
      return create(ExportTraceServiceRequestSchema, { resourceSpans: entries as ResourceSpans[] });
    case "metrics":
      return create(ExportMetricsServiceRequestSchema, { resourceMetrics: entries as ResourceMetrics[] });
    case "logs":
      return create(ExportLogsServiceRequestSchema, { resourceLogs: entries as ResourceLogs[] });
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

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

/** Pending items of one signal for one metadata combination. */
class Batcher {
  /**
   * Whole batches as received, in order, after `#entries`. They stay as they came (undecoded
   * when they arrived as bytes) until a split needs their resource entries: while nothing was
   * split, the concatenation of their bytes is the protobuf encoding of the merged request
   * (repeated fields concatenate), which the exporter forwards without encoding again.
   */
  readonly #batches: AnyBatch[] = [];
  /** Resource entries left over from a split; they go out before `#batches`. */
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
    this.#batches.push(batch);
    this.#count += batch.itemCount();
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
    while (this.#count > 0 || this.#entries.length > 0 || this.#batches.length > 0) this.#send(max > 0 ? max : this.#count);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
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
    for (const b of this.#batches.splice(0)) for (const e of entriesOf(b)) this.#entries.push(e);
    const entries = takeItems(this.signal, this.#entries, max);
    const n = entries.reduce((acc, e) => acc + entryItems(this.signal, e), 0);
    this.#count -= n;
    if (entries.length === 0) return;
    this.proc.metrics.sendSize.observe({ processor: this.proc.id }, n);
    this.proc.deliver(newBatch(this.signal, buildRequest(this.signal, entries), opts));
  }

  /** Everything pending as one batch (undefined when nothing is), emptying the batcher. */
  #takeWhole(opts: BatchOptions): AnyBatch | undefined {
    const batches = this.#batches.splice(0);
    if (this.#entries.length === 0 && batches.length > 0 && batches.every((b) => b.encoded !== undefined)) {
      const items = batches.reduce((acc, b) => acc + b.itemCount(), 0);
      const bytes = batches.length === 1 ? batches[0]!.encoded! : concat(batches.map((b) => b.encoded!));
      // Undecoded parts make an undecoded whole; decoded ones are merged as objects as well.
      if (batches.every((b) => !b.isDecoded)) return undecodedBatch(this.signal, bytes, items, opts.client);
      const entries = batches.flatMap((b) => entriesOf(b));
      return newBatch(this.signal, buildRequest(this.signal, entries), { ...opts, encoded: bytes });
    }
    const entries = this.#entries.splice(0);
    for (const b of batches) for (const e of entriesOf(b)) entries.push(e);
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
