// A batch is what travels between otelcol components: one decoded export request,
// plus, while nothing has changed it, the protobuf bytes it was decoded from, so an
// exporter can forward them without encoding again.

import { fromBinary } from "@bufbuild/protobuf";
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportMetricsServiceRequest } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { countDataPoints, countLogRecords, countSpans } from "./count.ts";
import { SIGNAL_DESCRIPTORS, type ExportRequest, type Signal } from "./pdata.ts";
import { readExportRequest } from "./request_reader.ts";
import { writeExportRequest } from "./request_writer.ts";

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
  #encoded: Uint8Array | undefined;
  readonly client: ClientInfo | undefined;

  constructor(
    /** The decoded request. Change it in place only after calling `markMutated()`. */
    readonly request: M,
    opts: BatchOptions = {},
  ) {
    this.#encoded = opts.encoded;
    this.client = opts.client;
  }

  /** The original protobuf bytes, or undefined once the batch was mutated or was never encoded. */
  get encoded(): Uint8Array | undefined {
    return this.#encoded;
  }

  /** Drops the original bytes: they no longer describe `request`. Call before changing it. */
  markMutated(): void {
    this.#encoded = undefined;
  }

  /** Protobuf bytes of the request: the original ones when still valid, else freshly encoded. */
  toBinary(): Uint8Array {
    return this.#encoded ?? writeExportRequest(this.signal, this.request as ExportRequest);
  }

  /** Number of spans, data points or log records. */
  abstract itemCount(): number;

  /** A deep copy that a mutating consumer may change freely; keeps the bytes (they still match). */
  abstract clone(): this;

  /** The same request without the original bytes, for a consumer that may change it in place. */
  abstract forMutation(): this;

  protected copyOptions(keepBytes: boolean): BatchOptions {
    const opts: BatchOptions = {};
    if (keepBytes && this.#encoded) opts.encoded = this.#encoded;
    if (this.client) opts.client = this.client;
    return opts;
  }
}

export class TracesBatch extends OtlpBatch<ExportTraceServiceRequest> {
  readonly signal = "traces";
  itemCount(): number {
    return countSpans(this.request);
  }
  clone(): this {
    return new TracesBatch(cloneRequest("traces", this.request, this.encoded), this.copyOptions(true)) as this;
  }
  forMutation(): this {
    return new TracesBatch(this.request, this.copyOptions(false)) as this;
  }
}

export class MetricsBatch extends OtlpBatch<ExportMetricsServiceRequest> {
  readonly signal = "metrics";
  itemCount(): number {
    return countDataPoints(this.request);
  }
  clone(): this {
    return new MetricsBatch(cloneRequest("metrics", this.request, this.encoded), this.copyOptions(true)) as this;
  }
  forMutation(): this {
    return new MetricsBatch(this.request, this.copyOptions(false)) as this;
  }
}

export class LogsBatch extends OtlpBatch<ExportLogsServiceRequest> {
  readonly signal = "logs";
  itemCount(): number {
    return countLogRecords(this.request);
  }
  clone(): this {
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
  return readExportRequest(signal, bytes) ?? (fromBinary(SIGNAL_DESCRIPTORS[signal].request, bytes) as unknown as ExportRequest<S>);
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
