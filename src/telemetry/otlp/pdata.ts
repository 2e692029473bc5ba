// The OTLP data model as the pipeline carries it: the generated protobuf-es messages
// of opentelemetry-proto v1, re-exported under one roof, plus a table describing each
// signal's export request, response and gRPC service. Importing this module builds every
// descriptor (some MiB of heap and JIT work), so code on the path of each request reaches
// it through `pdata()` in schemas.ts, on first need, and reads signal.ts otherwise.

import type { DescMessage, DescService } from "@bufbuild/protobuf";
import { SIGNAL_FACTS, type Signal, type SignalFacts } from "./signal.ts";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
  LogsService,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import {
  ExportMetricsServiceRequestSchema,
  ExportMetricsServiceResponseSchema,
  MetricsService,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  TraceService,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";

export * from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
export * from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
export * from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";
export * from "./gen/opentelemetry/proto/metrics/v1/metrics_pb.ts";
export * from "./gen/opentelemetry/proto/logs/v1/logs_pb.ts";
export * from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
export * from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
export * from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
export { type Status as RpcStatus, StatusSchema as RpcStatusSchema } from "./gen/google/rpc/status_pb.ts";
export { type RetryInfo, RetryInfoSchema } from "./gen/google/rpc/error_details_pb.ts";

export { type Signal, SIGNALS, SIGNAL_FACTS, type SignalFacts } from "./signal.ts";

export interface SignalDescriptor extends SignalFacts {
  readonly request: DescMessage;
  readonly response: DescMessage;
  readonly service: DescService;
}

export const SIGNAL_DESCRIPTORS: { readonly [S in Signal]: SignalDescriptor } = {
  traces: { ...SIGNAL_FACTS.traces, request: ExportTraceServiceRequestSchema, response: ExportTraceServiceResponseSchema, service: TraceService },
  metrics: { ...SIGNAL_FACTS.metrics, request: ExportMetricsServiceRequestSchema, response: ExportMetricsServiceResponseSchema, service: MetricsService },
  logs: { ...SIGNAL_FACTS.logs, request: ExportLogsServiceRequestSchema, response: ExportLogsServiceResponseSchema, service: LogsService },
};

import type {
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type {
  ExportMetricsServiceRequest,
  ExportMetricsServiceResponse,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";

/** Export request message of a signal. */
export type ExportRequest<S extends Signal = Signal> = {
  traces: ExportTraceServiceRequest;
  metrics: ExportMetricsServiceRequest;
  logs: ExportLogsServiceRequest;
}[S];

/** Export response message of a signal. */
export type ExportResponse<S extends Signal = Signal> = {
  traces: ExportTraceServiceResponse;
  metrics: ExportMetricsServiceResponse;
  logs: ExportLogsServiceResponse;
}[S];
