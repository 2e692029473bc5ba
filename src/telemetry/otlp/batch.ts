// A batch is what travels between otelcol components: one decoded export request,
// plus, while nothing has changed it, the protobuf bytes it was decoded from, so an
// exporter can forward them without encoding again.

import { clone } from "@bufbuild/protobuf";
import {
  ExportLogsServiceRequestSchema,
  type ExportLogsServiceRequest,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import {
  ExportMetricsServiceRequestSchema,
  type ExportMetricsServiceRequest,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import {
  ExportTraceServiceRequestSchema,
  type ExportTraceServiceRequest,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { countDataPoints, countLogRecords, countSpans } from "./count.ts";
import type { ExportRequest, Signal } from "./pdata.ts";
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
    return new TracesBatch(clone(ExportTraceServiceRequestSchema, this.request), this.copyOptions(true)) as this;
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
    return new MetricsBatch(clone(ExportMetricsServiceRequestSchema, this.request), this.copyOptions(true)) as this;
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
    return new LogsBatch(clone(ExportLogsServiceRequestSchema, this.request), this.copyOptions(true)) as this;
  }
  forMutation(): this {
    return new LogsBatch(this.request, this.copyOptions(false)) as this;
  }
}

export type AnyBatch = TracesBatch | MetricsBatch | LogsBatch;

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
