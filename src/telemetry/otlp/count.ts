// Item counts for self-metrics (accepted/refused spans, metric points, log records),
// matching what the Collector counts: spans, data points of every metric type, log records.

import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportMetricsServiceRequest } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type { Metric } from "./gen/opentelemetry/proto/metrics/v1/metrics_pb.ts";

export function countSpans(req: Pick<ExportTraceServiceRequest, "resourceSpans">): number {
  let n = 0;
  for (const rs of req.resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

export function countLogRecords(req: Pick<ExportLogsServiceRequest, "resourceLogs">): number {
  let n = 0;
  for (const rl of req.resourceLogs) for (const sl of rl.scopeLogs) n += sl.logRecords.length;
  return n;
}

export function countDataPoints(req: Pick<ExportMetricsServiceRequest, "resourceMetrics">): number {
  let n = 0;
  for (const rm of req.resourceMetrics) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += metricDataPoints(m);
  return n;
}

/** Data points of one metric, whatever its type; a metric with no data counts zero. */
export function metricDataPoints(m: Metric): number {
  const d = m.data;
  switch (d.case) {
    case "gauge":
    case "sum":
    case "histogram":
    case "exponentialHistogram":
    case "summary":
      return d.value.dataPoints.length;
    default:
      return 0;
  }
}

/** Number of metrics (not points) in a request, as the Collector's `metrics` count. */
export function countMetrics(req: Pick<ExportMetricsServiceRequest, "resourceMetrics">): number {
  let n = 0;
  for (const rm of req.resourceMetrics) for (const sm of rm.scopeMetrics) n += sm.metrics.length;
  return n;
}
