// A batch is what travels between otelcol components: one export request, plus, while
// nothing has changed it, its protobuf bytes, so an exporter can forward them without
// encoding again. A batch received as bytes (`encodedBatch`) is decoded only when a
// consumer first reads `request`; until then it holds nothing but the bytes.

import { fromBinary } from "@bufbuild/protobuf";
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportMetricsServiceRequest } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { countDataPoints, countLogRecords, countSpans } from "./count.ts";
import type { ExportRequest, Signal } from "./pdata.ts";
import { pdata } from "./schemas.ts";
import { decodeOtlpProtobuf } from "./otlp_protobuf.ts";
import { readExportRequest } from "./request_reader.ts";
import { writeExportRequest } from "./request_writer.ts";
import { scanExportRequest } from "./wire_scan.ts";

/** Who sent a batch, as a receiver saw it (the Collector's client.Info). */
export interface ClientInfo {
  /** Remote address as `host:port`, when known. */
  readonly address?: string;
  /** Request headers (gRPC metadata), lower-case keys; only filled with `include_metadata`. */
  readonly metadata?: ReadonlyMap<string, readonly string[]>;
}

export interface BatchOptions {
  /** The exact protobuf encoding of the request, if the sender supplied one. */
  encoded?: Uint8Array;
  client?: ClientInfo;
}

abstract class OtlpBatch<M extends ExportTraceServiceRequest | ExportMetricsServiceRequest | ExportLogsServiceRequest> {
  abstract readonly signal: Signal;
  #request: M | undefined;
  #encoded: Uint8Array | undefined;
  /** Items counted from the bytes, while the request is not decoded. */
  #items: number | undefined;
  /** Holders that will each call `release()`; 0 while the garbage collector frees the bytes (see `ownBytes`). */
  #holders = 0;
  #released = false;
  readonly client: ClientInfo | undefined;

  /** `request` is the decoded request; pass undefined only with `encoded` and `items` (see encodedBatch). */
  constructor(request: M | undefined, opts: BatchOptions = {}, items?: number) {
    if (request === undefined && (opts.encoded === undefined || items === undefined)) throw new Error("a batch needs its request or its bytes");
    this.#request = request;
    this.#encoded = opts.encoded;
    this.#items = request === undefined ? items : undefined;
    this.client = opts.client;
  }

  /** The decoded request (decoded now if the batch arrived as bytes). Change it in place only after calling `markMutated()`. */
  get request(): M {
    if (this.#request === undefined) {
      if (this.#released) throw new Error(`${this.signal} batch used after its last holder released it`);
      this.#request = decodeBytes(this.signal, this.#encoded!) as M;
      this.#items = undefined;
    }
    return this.#request;
  }

  /** False while the request exists only as bytes. */
  get isDecoded(): boolean {
    return this.#request !== undefined;
  }

  /** The original protobuf bytes, or undefined once the batch was mutated or was never encoded. */
  get encoded(): Uint8Array | undefined {
    return this.#encoded;
  }

  /** Drops the original bytes: they no longer describe `request`. Call before changing it. */
  markMutated(): void {
    void this.request;
    this.#encoded = undefined;
    // The decoded request may still view the old bytes: they are left to the collector.
    this.#holders = 0;
  }

  /** Protobuf bytes of the request: the original ones when still valid, else freshly encoded. */
  toBinary(): Uint8Array {
    return this.#encoded ?? writeExportRequest(this.signal, this.request as ExportRequest);
  }

  /**
   * Declares that nothing outside this batch references the buffer under its bytes, so the
   * buffer can be freed as soon as the batch is released rather than at a later garbage
   * collection. A pipeline at a steady rate then reuses the same memory for every request
   * instead of piling up dead buffers between collections. The caller hands the batch to
   * one consumer and keeps nothing of it.
   */
  ownBytes(): this {
    if (this.#encoded?.buffer instanceof ArrayBuffer) this.#holders = 1;
    return this;
  }

  /** `n` more consumers receive this same batch (a fan-out's readers); each releases it once. */
  share(n: number): void {
    if (this.#holders > 0) this.#holders += n;
  }

  /**
   * A holder is done with the batch and keeps nothing read from it: neither the batch, its
   * request, nor any part of them. A consumer that passes the batch on instead hands its
   * share to the next one and does not release. After the last holder the bytes are freed.
   */
  release(): void {
    if (this.#holders === 0 || --this.#holders > 0) return;
    const bytes = this.#encoded;
    this.#encoded = undefined;
    this.#request = undefined;
    this.#released = true;
    if (bytes) freeBuffer(bytes);
  }

  /** Number of spans, data points or log records. */
  itemCount(): number {
    return this.#items ?? this.countItems(this.request);
  }

  protected abstract countItems(request: M): number;

  /** A deep copy that a mutating consumer may change freely; keeps the bytes (they still match). */
  abstract clone(): this;

  /** The same request without the original bytes, for a consumer that may change it in place. */
  abstract forMutation(): this;

  /** For clone(): a copy that stays undecoded when this batch is, else undefined. */
  protected undecodedCopy(): { encoded: Uint8Array; items: number } | undefined {
    if (this.#request !== undefined || this.#encoded === undefined || this.#items === undefined) return undefined;
    return { encoded: this.#encoded.slice(), items: this.#items };
  }

  protected copyOptions(keepBytes: boolean): BatchOptions {
    const opts: BatchOptions = {};
    if (keepBytes && this.#encoded) opts.encoded = this.#encoded;
    if (this.client) opts.client = this.client;
    return opts;
  }
}

export class TracesBatch extends OtlpBatch<ExportTraceServiceRequest> {
  readonly signal = "traces";
  protected countItems(request: ExportTraceServiceRequest): number {
    return countSpans(request);
  }
  clone(): this {
    const raw = this.undecodedCopy();
    if (raw) return new TracesBatch(undefined, { ...this.copyOptions(false), encoded: raw.encoded }, raw.items) as this;
    return new TracesBatch(cloneRequest("traces", this.request, this.encoded), this.copyOptions(true)) as this;
  }
  forMutation(): this {
    return new TracesBatch(this.request, this.copyOptions(false)) as this;
  }
}

export class MetricsBatch extends OtlpBatch<ExportMetricsServiceRequest> {
  readonly signal = "metrics";
  protected countItems(request: ExportMetricsServiceRequest): number {
    return countDataPoints(request);
  }
  clone(): this {
    const raw = this.undecodedCopy();
    if (raw) return new MetricsBatch(undefined, { ...this.copyOptions(false), encoded: raw.encoded }, raw.items) as this;
    return new MetricsBatch(cloneRequest("metrics", this.request, this.encoded), this.copyOptions(true)) as this;
  }
  forMutation(): this {
    return new MetricsBatch(this.request, this.copyOptions(false)) as this;
  }
}

export class LogsBatch extends OtlpBatch<ExportLogsServiceRequest> {
  readonly signal = "logs";
  protected countItems(request: ExportLogsServiceRequest): number {
    return countLogRecords(request);
  }
  clone(): this {
    const raw = this.undecodedCopy();
    if (raw) return new LogsBatch(undefined, { ...this.copyOptions(false), encoded: raw.encoded }, raw.items) as this;
    return new LogsBatch(cloneRequest("logs", this.request, this.encoded), this.copyOptions(true)) as this;
  }
  forMutation(): this {
    return new LogsBatch(this.request, this.copyOptions(false)) as this;
  }
}

export type AnyBatch = TracesBatch | MetricsBatch | LogsBatch;

/**
 * A deep copy through the protobuf encoding: reading fresh bytes is an order of magnitude
 * faster than reflection-based cloning, and the copy's byte fields view a private buffer.
 */
function cloneRequest<S extends Signal>(signal: S, request: ExportRequest<S>, encoded: Uint8Array | undefined): ExportRequest<S> {
  const bytes = encoded ? encoded.slice() : writeExportRequest(signal, request);
  return readExportRequest(signal, bytes) ?? (fromBinary(pdata().SIGNAL_DESCRIPTORS[signal].request, bytes) as unknown as ExportRequest<S>);
}

/** The batch class for a signal's request. */
export function newBatch(signal: Signal, request: ExportRequest, opts: BatchOptions = {}): AnyBatch {
  switch (signal) {
    case "traces":
      return new TracesBatch(request as ExportRequest<"traces">, opts);
    case "metrics":
      return new MetricsBatch(request as ExportRequest<"metrics">, opts);
    case "logs":
      return new LogsBatch(request as ExportRequest<"logs">, opts);
  }
}

/** Decodes protobuf bytes the scanner vouched for (or any bytes: PayloadError if invalid). */
function decodeBytes(signal: Signal, bytes: Uint8Array): ExportRequest {
  return readExportRequest(signal, bytes) ?? (decodeOtlpProtobuf(pdata().SIGNAL_DESCRIPTORS[signal].request, bytes) as unknown as ExportRequest);
}

function batchOf(signal: Signal, request: ExportRequest | undefined, opts: BatchOptions, items?: number): AnyBatch {
  switch (signal) {
    case "traces":
      return new TracesBatch(request as ExportRequest<"traces"> | undefined, opts, items);
    case "metrics":
      return new MetricsBatch(request as ExportRequest<"metrics"> | undefined, opts, items);
    case "logs":
      return new LogsBatch(request as ExportRequest<"logs"> | undefined, opts, items);
  }
}

/**
 * A batch for a protobuf export request as received. Bytes the wire scan vouches for stay
 * undecoded until a consumer reads `request`; anything else is decoded here, so malformed
 * input throws PayloadError("invalid") at the receiver, as before.
 */
export function encodedBatch(signal: Signal, bytes: Uint8Array, client?: ClientInfo): AnyBatch {
  const opts: BatchOptions = client ? { encoded: bytes, client } : { encoded: bytes };
  const items = scanExportRequest(signal, bytes);
  if (items !== undefined) return batchOf(signal, undefined, opts, items);
  return batchOf(signal, decodeBytes(signal, bytes), opts);
}

/**
 * Whether `bytes` span their whole buffer, as a body read or inflated into memory of its own
 * does; a slice of a pooled or larger buffer never does. Such bytes may be owned by a batch.
 */
export function isWholeBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

/**
 * Hands the memory under `bytes` back at once instead of at a later garbage collection, by
 * detaching its buffer: every view of that buffer becomes empty. Only for a buffer nothing
 * else references any more.
 */
export function freeBuffer(bytes: Uint8Array): void {
  (bytes.buffer as ArrayBuffer).transfer(0);
}

/**
 * A batch for bytes that are already known to be a valid request of `items` items (the
 * concatenation of undecoded batches' bytes, a request read back from a queue file).
 */
export function undecodedBatch(signal: Signal, bytes: Uint8Array, items: number, client?: ClientInfo): AnyBatch {
  return batchOf(signal, undefined, client ? { encoded: bytes, client } : { encoded: bytes }, items);
}
