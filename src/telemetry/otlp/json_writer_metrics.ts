// The metrics part of the OTLP/JSON request writer (see json_writer.ts).

import type {
  Exemplar,
  ExponentialHistogramDataPoint,
  ExponentialHistogramDataPoint_Buckets,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  ResourceMetrics,
  ScopeMetrics,
  SummaryDataPoint,
} from "./gen/opentelemetry/proto/metrics/v1/metrics_pb.ts";
import {
  checkKnown,
  jsonDouble,
  putAttributes,
  putDouble,
  putId,
  putInt64,
  putNonZero,
  putString,
  resourceJson,
  scopeJson,
  type JsonOut,
} from "./json_writer_common.ts";
import { cannotWrite } from "./wire_writer.ts";

export function resourceMetricsJson(m: ResourceMetrics): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  if (m.resource !== undefined) out.resource = resourceJson(m.resource);
  if (m.scopeMetrics.length > 0) out.scopeMetrics = m.scopeMetrics.map(scopeMetricsJson);
  putString(out, "schemaUrl", m.schemaUrl);
  return out;
}

function scopeMetricsJson(m: ScopeMetrics): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  if (m.scope !== undefined) out.scope = scopeJson(m.scope);
  if (m.metrics.length > 0) out.metrics = m.metrics.map(metricJson);
  putString(out, "schemaUrl", m.schemaUrl);
  return out;
}

function metricJson(m: Metric): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putString(out, "name", m.name);
  putString(out, "description", m.description);
  putString(out, "unit", m.unit);
  const d = m.data;
  if (d.case !== undefined) {
    checkKnown(d.value);
    const data: JsonOut = {};
    switch (d.case) {
      case "gauge":
        if (d.value.dataPoints.length > 0) data.dataPoints = d.value.dataPoints.map(numberPointJson);
        break;
      case "sum":
        if (d.value.dataPoints.length > 0) data.dataPoints = d.value.dataPoints.map(numberPointJson);
        putNonZero(data, "aggregationTemporality", d.value.aggregationTemporality);
        if (d.value.isMonotonic) data.isMonotonic = true;
        break;
      case "histogram":
        if (d.value.dataPoints.length > 0) data.dataPoints = d.value.dataPoints.map(histogramPointJson);
        putNonZero(data, "aggregationTemporality", d.value.aggregationTemporality);
        break;
      case "exponentialHistogram":
        if (d.value.dataPoints.length > 0) data.dataPoints = d.value.dataPoints.map(expPointJson);
        putNonZero(data, "aggregationTemporality", d.value.aggregationTemporality);
        break;
      case "summary":
        if (d.value.dataPoints.length > 0) data.dataPoints = d.value.dataPoints.map(summaryPointJson);
        break;
      default:
        cannotWrite();
    }
    out[d.case] = data;
  }
  putAttributes(out, "metadata", m.metadata);
  return out;
}

function numberPointJson(m: NumberDataPoint): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putAttributes(out, "attributes", m.attributes);
  putInt64(out, "startTimeUnixNano", m.startTimeUnixNano);
  putInt64(out, "timeUnixNano", m.timeUnixNano);
  if (m.value.case === "asDouble") out.asDouble = jsonDouble(m.value.value);
  if (m.value.case === "asInt") out.asInt = m.value.value.toString();
  if (m.exemplars.length > 0) out.exemplars = m.exemplars.map(exemplarJson);
  putNonZero(out, "flags", m.flags);
  return out;
}

function histogramPointJson(m: HistogramDataPoint): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putAttributes(out, "attributes", m.attributes);
  putInt64(out, "startTimeUnixNano", m.startTimeUnixNano);
  putInt64(out, "timeUnixNano", m.timeUnixNano);
  putInt64(out, "count", m.count);
  if (m.sum !== undefined) out.sum = jsonDouble(m.sum);
  if (m.bucketCounts.length > 0) out.bucketCounts = m.bucketCounts.map((c) => c.toString());
  if (m.explicitBounds.length > 0) out.explicitBounds = m.explicitBounds.map(jsonDouble);
  if (m.exemplars.length > 0) out.exemplars = m.exemplars.map(exemplarJson);
  putNonZero(out, "flags", m.flags);
  if (m.min !== undefined) out.min = jsonDouble(m.min);
  if (m.max !== undefined) out.max = jsonDouble(m.max);
  return out;
}

function expPointJson(m: ExponentialHistogramDataPoint): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putAttributes(out, "attributes", m.attributes);
  putInt64(out, "startTimeUnixNano", m.startTimeUnixNano);
  putInt64(out, "timeUnixNano", m.timeUnixNano);
  putInt64(out, "count", m.count);
  if (m.sum !== undefined) out.sum = jsonDouble(m.sum);
  putNonZero(out, "scale", m.scale);
  putInt64(out, "zeroCount", m.zeroCount);
  if (m.positive !== undefined) out.positive = bucketsJson(m.positive);
  if (m.negative !== undefined) out.negative = bucketsJson(m.negative);
  putNonZero(out, "flags", m.flags);
  if (m.exemplars.length > 0) out.exemplars = m.exemplars.map(exemplarJson);
  if (m.min !== undefined) out.min = jsonDouble(m.min);
  if (m.max !== undefined) out.max = jsonDouble(m.max);
  putDouble(out, "zeroThreshold", m.zeroThreshold);
  return out;
}

function bucketsJson(m: ExponentialHistogramDataPoint_Buckets): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putNonZero(out, "offset", m.offset);
  if (m.bucketCounts.length > 0) out.bucketCounts = m.bucketCounts.map((c) => c.toString());
  return out;
}

function summaryPointJson(m: SummaryDataPoint): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putAttributes(out, "attributes", m.attributes);
  putInt64(out, "startTimeUnixNano", m.startTimeUnixNano);
  putInt64(out, "timeUnixNano", m.timeUnixNano);
  putInt64(out, "count", m.count);
  putDouble(out, "sum", m.sum);
  if (m.quantileValues.length > 0) {
    out.quantileValues = m.quantileValues.map((q) => {
      checkKnown(q);
      const v: JsonOut = {};
      putDouble(v, "quantile", q.quantile);
      putDouble(v, "value", q.value);
      return v;
    });
  }
  putNonZero(out, "flags", m.flags);
  return out;
}

function exemplarJson(m: Exemplar): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  putAttributes(out, "filteredAttributes", m.filteredAttributes);
  putInt64(out, "timeUnixNano", m.timeUnixNano);
  if (m.value.case === "asDouble") out.asDouble = jsonDouble(m.value.value);
  if (m.value.case === "asInt") out.asInt = m.value.value.toString();
  putId(out, "spanId", m.spanId);
  putId(out, "traceId", m.traceId);
  return out;
}
