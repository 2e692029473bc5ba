// The three OTLP signals and what is known of each without its protobuf schema: message and
// service names, the default OTLP/HTTP path, what an item is called. Code on the path of
// every request reads these; the generated descriptors (pdata.ts) load only when a message
// is built or decoded through protobuf-es.

export type Signal = "traces" | "metrics" | "logs";

export const SIGNALS: readonly Signal[] = ["traces", "metrics", "logs"];

export interface SignalFacts {
  readonly signal: Signal;
  /** Full protobuf name of the export request message. */
  readonly requestType: string;
  /** Full protobuf name of the export response message. */
  readonly responseType: string;
  /** Full protobuf name of the gRPC service. */
  readonly serviceType: string;
  /** Default OTLP/HTTP path, e.g. `/v1/traces`. */
  readonly httpPath: string;
  /** What one item is called in error messages and self-metrics. */
  readonly itemName: "spans" | "data points" | "log records";
}

export const SIGNAL_FACTS: { readonly [S in Signal]: SignalFacts } = {
  traces: {
    signal: "traces",
    requestType: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
    responseType: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse",
    serviceType: "opentelemetry.proto.collector.trace.v1.TraceService",
    httpPath: "/v1/traces",
    itemName: "spans",
  },
  metrics: {
    signal: "metrics",
    requestType: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
    responseType: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse",
    serviceType: "opentelemetry.proto.collector.metrics.v1.MetricsService",
    httpPath: "/v1/metrics",
    itemName: "data points",
  },
  logs: {
    signal: "logs",
    requestType: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
    responseType: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse",
    serviceType: "opentelemetry.proto.collector.logs.v1.LogsService",
    httpPath: "/v1/logs",
    itemName: "log records",
  },
};
