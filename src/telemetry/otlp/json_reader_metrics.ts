// The metrics part of the OTLP/JSON request reader (see json_reader.ts).

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
  SummaryDataPoint_ValueAtQuantile,
} from "./gen/opentelemetry/proto/metrics/v1/metrics_pb.ts";
import {
  arr,
  bool,
  double,
  hexId,
  int32,
  int64,
  isSchemaUrl,
  obj,
  readAttributes,
  readResource,
  readScope,
  str,
  uint32,
  uint64,
  type Json,
  type JsonObj,
} from "./json_reader_common.ts";
import { EMPTY_BYTES, unexpected } from "./wire_reader.ts";

export function readResourceMetricsJson(v: Json | undefined): ResourceMetrics {
  const o = obj(v);
  const m = { $typeName: "opentelemetry.proto.metrics.v1.ResourceMetrics", scopeMetrics: [], schemaUrl: "" } as unknown as ResourceMetrics;
  for (const key in o) {
    const x = o[key];
    if (key === "resource") m.resource = readResource(x);
    else if (key === "scopeMetrics" || key === "scope_metrics") m.scopeMetrics = arr(x).map(readScopeMetrics);
    else if (isSchemaUrl(key)) m.schemaUrl = str(x);
  }
  return m;
}

function readScopeMetrics(v: Json | undefined): ScopeMetrics {
  const o = obj(v);
  const m = { $typeName: "opentelemetry.proto.metrics.v1.ScopeMetrics", metrics: [], schemaUrl: "" } as unknown as ScopeMetrics;
  for (const key in o) {
    const x = o[key];
    if (key === "scope") m.scope = readScope(x);
    else if (key === "metrics") m.metrics = arr(x).map(readMetric);
    else if (isSchemaUrl(key)) m.schemaUrl = str(x);
  }
  return m;
}

function readMetric(v: Json | undefined): Metric {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.Metric",
    name: "",
    description: "",
    unit: "",
    data: { case: undefined },
    metadata: [],
  } as unknown as Metric;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "name":
      case "description":
      case "unit":
        m[key] = str(x);
        continue;
      case "metadata":
        m.metadata = readAttributes(x);
        continue;
      case "gauge":
        setData(m, { case: "gauge", value: { $typeName: "opentelemetry.proto.metrics.v1.Gauge", dataPoints: points(obj(x), readNumberPoint) } as never });
        continue;
      case "sum": {
        const d = obj(x);
        setData(m, {
          case: "sum",
          value: {
            $typeName: "opentelemetry.proto.metrics.v1.Sum",
            dataPoints: points(d, readNumberPoint),
            aggregationTemporality: temporality(d),
            isMonotonic: pick(d, "isMonotonic", "is_monotonic", bool, false),
          } as never,
        });
        continue;
      }
      case "histogram": {
        const d = obj(x);
        setData(m, {
          case: "histogram",
          value: { $typeName: "opentelemetry.proto.metrics.v1.Histogram", dataPoints: points(d, readHistogramPoint), aggregationTemporality: temporality(d) } as never,
        });
        continue;
      }
      case "exponentialHistogram":
      case "exponential_histogram": {
        const d = obj(x);
        setData(m, {
          case: "exponentialHistogram",
          value: {
            $typeName: "opentelemetry.proto.metrics.v1.ExponentialHistogram",
            dataPoints: points(d, readExpPoint),
            aggregationTemporality: temporality(d),
          } as never,
        });
        continue;
      }
      case "summary":
        setData(m, { case: "summary", value: { $typeName: "opentelemetry.proto.metrics.v1.Summary", dataPoints: points(obj(x), readSummaryPoint) } as never });
        continue;
    }
  }
  return m;
}

function setData(m: Metric, data: Metric["data"]): void {
  // Two data fields in one metric is an error for the generic decoder to report.
  if (m.data.case !== undefined) unexpected();
  m.data = data;
}

function pick<T>(o: JsonObj, camel: string, snake: string, read: (v: Json) => T, dflt: T): T {
  const v = o[camel] ?? o[snake];
  return v === undefined ? dflt : read(v);
}

function points<T>(o: JsonObj, read: (v: Json) => T): T[] {
  const v = o.dataPoints ?? o.data_points;
  return v === undefined ? [] : arr(v).map(read);
}

function temporality(o: JsonObj): number {
  return pick(o, "aggregationTemporality", "aggregation_temporality", int32, 0);
}

function readNumberPoint(v: Json | undefined): NumberDataPoint {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.NumberDataPoint",
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    value: { case: undefined },
    exemplars: [],
    flags: 0,
  } as unknown as NumberDataPoint;
  let values = 0;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "attributes":
        m.attributes = readAttributes(x);
        break;
      case "startTimeUnixNano":
      case "start_time_unix_nano":
        m.startTimeUnixNano = uint64(x);
        break;
      case "timeUnixNano":
      case "time_unix_nano":
        m.timeUnixNano = uint64(x);
        break;
      case "asDouble":
      case "as_double":
        m.value = { case: "asDouble", value: double(x) };
        values++;
        break;
      case "asInt":
      case "as_int":
        m.value = { case: "asInt", value: int64(x) };
        values++;
        break;
      case "exemplars":
        m.exemplars = arr(x).map(readExemplar);
        break;
      case "flags":
        m.flags = uint32(x);
        break;
    }
  }
  if (values > 1) unexpected();
  return m;
}

function readHistogramPoint(v: Json | undefined): HistogramDataPoint {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.HistogramDataPoint",
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    flags: 0,
  } as unknown as HistogramDataPoint;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "attributes":
        m.attributes = readAttributes(x);
        break;
      case "startTimeUnixNano":
      case "start_time_unix_nano":
        m.startTimeUnixNano = uint64(x);
        break;
      case "timeUnixNano":
      case "time_unix_nano":
        m.timeUnixNano = uint64(x);
        break;
      case "count":
        m.count = uint64(x);
        break;
      case "sum":
        m.sum = double(x);
        break;
      case "bucketCounts":
      case "bucket_counts":
        m.bucketCounts = arr(x).map(uint64);
        break;
      case "explicitBounds":
      case "explicit_bounds":
        m.explicitBounds = arr(x).map(double);
        break;
      case "exemplars":
        m.exemplars = arr(x).map(readExemplar);
        break;
      case "flags":
        m.flags = uint32(x);
        break;
      case "min":
        m.min = double(x);
        break;
      case "max":
        m.max = double(x);
        break;
    }
  }
  return m;
}

function readExpPoint(v: Json | undefined): ExponentialHistogramDataPoint {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint",
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    scale: 0,
    zeroCount: 0n,
    flags: 0,
    exemplars: [],
    zeroThreshold: 0,
  } as unknown as ExponentialHistogramDataPoint;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "attributes":
        m.attributes = readAttributes(x);
        break;
      case "startTimeUnixNano":
      case "start_time_unix_nano":
        m.startTimeUnixNano = uint64(x);
        break;
      case "timeUnixNano":
      case "time_unix_nano":
        m.timeUnixNano = uint64(x);
        break;
      case "count":
        m.count = uint64(x);
        break;
      case "sum":
        m.sum = double(x);
        break;
      case "scale":
        m.scale = int32(x);
        break;
      case "zeroCount":
      case "zero_count":
        m.zeroCount = uint64(x);
        break;
      case "positive":
        m.positive = readBuckets(x);
        break;
      case "negative":
        m.negative = readBuckets(x);
        break;
      case "flags":
        m.flags = uint32(x);
        break;
      case "exemplars":
        m.exemplars = arr(x).map(readExemplar);
        break;
      case "min":
        m.min = double(x);
        break;
      case "max":
        m.max = double(x);
        break;
      case "zeroThreshold":
      case "zero_threshold":
        m.zeroThreshold = double(x);
        break;
    }
  }
  return m;
}

function readBuckets(v: Json | undefined): ExponentialHistogramDataPoint_Buckets {
  const o = obj(v);
  return {
    $typeName: "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets",
    offset: pick(o, "offset", "offset", int32, 0),
    bucketCounts: pick(o, "bucketCounts", "bucket_counts", (x) => arr(x).map(uint64), [] as bigint[]),
  } as ExponentialHistogramDataPoint_Buckets;
}

function readSummaryPoint(v: Json | undefined): SummaryDataPoint {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.SummaryDataPoint",
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: 0,
    quantileValues: [],
    flags: 0,
  } as unknown as SummaryDataPoint;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "attributes":
        m.attributes = readAttributes(x);
        break;
      case "startTimeUnixNano":
      case "start_time_unix_nano":
        m.startTimeUnixNano = uint64(x);
        break;
      case "timeUnixNano":
      case "time_unix_nano":
        m.timeUnixNano = uint64(x);
        break;
      case "count":
        m.count = uint64(x);
        break;
      case "sum":
        m.sum = double(x);
        break;
      case "quantileValues":
      case "quantile_values":
        m.quantileValues = arr(x).map(readQuantile);
        break;
      case "flags":
        m.flags = uint32(x);
        break;
    }
  }
  return m;
}

function readQuantile(v: Json | undefined): SummaryDataPoint_ValueAtQuantile {
  const o = obj(v);
  return {
    $typeName: "opentelemetry.proto.metrics.v1.SummaryDataPoint.ValueAtQuantile",
    quantile: pick(o, "quantile", "quantile", double, 0),
    value: pick(o, "value", "value", double, 0),
  } as SummaryDataPoint_ValueAtQuantile;
}

function readExemplar(v: Json | undefined): Exemplar {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.Exemplar",
    filteredAttributes: [],
    timeUnixNano: 0n,
    value: { case: undefined },
    spanId: EMPTY_BYTES,
    traceId: EMPTY_BYTES,
  } as unknown as Exemplar;
  let values = 0;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "filteredAttributes":
      case "filtered_attributes":
        m.filteredAttributes = readAttributes(x);
        break;
      case "timeUnixNano":
      case "time_unix_nano":
        m.timeUnixNano = uint64(x);
        break;
      case "asDouble":
      case "as_double":
        m.value = { case: "asDouble", value: double(x) };
        values++;
        break;
      case "asInt":
      case "as_int":
        m.value = { case: "asInt", value: int64(x) };
        values++;
        break;
      case "spanId":
      case "span_id":
        m.spanId = hexId(x, 8);
        break;
      case "traceId":
      case "trace_id":
        m.traceId = hexId(x, 16);
        break;
    }
  }
  if (values > 1) unexpected();
  return m;
}
