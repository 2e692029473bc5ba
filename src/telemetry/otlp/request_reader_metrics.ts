// The metrics part of the OTLP request reader (see request_reader.ts).

import type { KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
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
import { readAttributes, readKeyValue, readResource, readScope } from "./request_reader_common.ts";
import { EMPTY_BYTES, unexpected, type WireReader } from "./wire_reader.ts";

export function readResourceMetrics(r: WireReader, end: number): ResourceMetrics {
  const m = { $typeName: "opentelemetry.proto.metrics.v1.ResourceMetrics", scopeMetrics: [], schemaUrl: "" } as unknown as ResourceMetrics;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        if (m.resource !== undefined) unexpected();
        m.resource = readResource(r, r.end());
        break;
      case 0x12:
        m.scopeMetrics.push(readScopeMetrics(r, r.end()));
        break;
      case 0x1a:
        m.schemaUrl = r.string();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readScopeMetrics(r: WireReader, end: number): ScopeMetrics {
  const m = { $typeName: "opentelemetry.proto.metrics.v1.ScopeMetrics", metrics: [], schemaUrl: "" } as unknown as ScopeMetrics;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        if (m.scope !== undefined) unexpected();
        m.scope = readScope(r, r.end());
        break;
      case 0x12:
        m.metrics.push(readMetric(r, r.end()));
        break;
      case 0x1a:
        m.schemaUrl = r.string();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readMetric(r: WireReader, end: number): Metric {
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.Metric",
    name: "",
    description: "",
    unit: "",
    data: { case: undefined },
    metadata: [],
  } as unknown as Metric;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case 0x0a:
        m.name = r.string();
        break;
      case 0x12:
        m.description = r.string();
        break;
      case 0x1a:
        m.unit = r.string();
        break;
      case 0x62:
        readAttributes(r, m.metadata);
        break;
      case 0x2a:
      case 0x3a:
      case 0x4a:
      case 0x52:
      case 0x5a:
        // A second data field would merge or switch cases; leave that to fromBinary.
        if (m.data.case !== undefined) unexpected();
        m.data = readData(r, tag, r.end());
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readData(r: WireReader, tag: number, end: number): Metric["data"] {
  let temporality = 0;
  let monotonic = false;
  const points: unknown[] = [];
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a: {
        const e = r.end();
        points.push(
          tag === 0x2a || tag === 0x3a
            ? readNumberPoint(r, e)
            : tag === 0x4a
              ? readHistogramPoint(r, e)
              : tag === 0x52
                ? readExpHistogramPoint(r, e)
                : readSummaryPoint(r, e),
        );
        break;
      }
      case 0x10:
        if (tag === 0x2a || tag === 0x5a) unexpected(); // gauge and summary have no temporality
        temporality = r.int32();
        break;
      case 0x18:
        if (tag !== 0x3a) unexpected();
        monotonic = r.bool();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  switch (tag) {
    case 0x2a:
      return { case: "gauge", value: { $typeName: "opentelemetry.proto.metrics.v1.Gauge", dataPoints: points } as never };
    case 0x3a:
      return {
        case: "sum",
        value: { $typeName: "opentelemetry.proto.metrics.v1.Sum", dataPoints: points, aggregationTemporality: temporality, isMonotonic: monotonic } as never,
      };
    case 0x4a:
      return {
        case: "histogram",
        value: { $typeName: "opentelemetry.proto.metrics.v1.Histogram", dataPoints: points, aggregationTemporality: temporality } as never,
      };
    case 0x52:
      return {
        case: "exponentialHistogram",
        value: { $typeName: "opentelemetry.proto.metrics.v1.ExponentialHistogram", dataPoints: points, aggregationTemporality: temporality } as never,
      };
    default:
      return { case: "summary", value: { $typeName: "opentelemetry.proto.metrics.v1.Summary", dataPoints: points } as never };
  }
}

function readNumberPoint(r: WireReader, end: number): NumberDataPoint {
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.NumberDataPoint",
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    value: { case: undefined },
    exemplars: [],
    flags: 0,
  } as unknown as NumberDataPoint;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x3a:
        readAttributes(r, m.attributes);
        break;
      case 0x11:
        m.startTimeUnixNano = r.fixed64();
        break;
      case 0x19:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x21:
        m.value = { case: "asDouble", value: r.double() };
        break;
      case 0x31:
        m.value = { case: "asInt", value: r.sfixed64() };
        break;
      case 0x2a:
        m.exemplars.push(readExemplar(r, r.end()));
        break;
      case 0x40:
        m.flags = r.uint32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readHistogramPoint(r: WireReader, end: number): HistogramDataPoint {
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
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case 0x4a:
        readAttributes(r, m.attributes);
        break;
      case 0x11:
        m.startTimeUnixNano = r.fixed64();
        break;
      case 0x19:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x21:
        m.count = r.fixed64();
        break;
      case 0x29:
        m.sum = r.double();
        break;
      case 0x31:
      case 0x32:
        r.fixed64List(m.bucketCounts, tag & 7);
        break;
      case 0x39:
      case 0x3a:
        r.doubleList(m.explicitBounds, tag & 7);
        break;
      case 0x42:
        m.exemplars.push(readExemplar(r, r.end()));
        break;
      case 0x50:
        m.flags = r.uint32();
        break;
      case 0x59:
        m.min = r.double();
        break;
      case 0x61:
        m.max = r.double();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readExpHistogramPoint(r: WireReader, end: number): ExponentialHistogramDataPoint {
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
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        readAttributes(r, m.attributes);
        break;
      case 0x11:
        m.startTimeUnixNano = r.fixed64();
        break;
      case 0x19:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x21:
        m.count = r.fixed64();
        break;
      case 0x29:
        m.sum = r.double();
        break;
      case 0x30:
        m.scale = r.sint32();
        break;
      case 0x39:
        m.zeroCount = r.fixed64();
        break;
      case 0x42:
        if (m.positive !== undefined) unexpected();
        m.positive = readBuckets(r, r.end());
        break;
      case 0x4a:
        if (m.negative !== undefined) unexpected();
        m.negative = readBuckets(r, r.end());
        break;
      case 0x50:
        m.flags = r.uint32();
        break;
      case 0x5a:
        m.exemplars.push(readExemplar(r, r.end()));
        break;
      case 0x61:
        m.min = r.double();
        break;
      case 0x69:
        m.max = r.double();
        break;
      case 0x71:
        m.zeroThreshold = r.double();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readBuckets(r: WireReader, end: number): ExponentialHistogramDataPoint_Buckets {
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets",
    offset: 0,
    bucketCounts: [],
  } as unknown as ExponentialHistogramDataPoint_Buckets;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case 0x08:
        m.offset = r.sint32();
        break;
      case 0x10:
      case 0x12:
        r.uint64List(m.bucketCounts, tag & 7);
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readSummaryPoint(r: WireReader, end: number): SummaryDataPoint {
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
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x3a:
        readAttributes(r, m.attributes);
        break;
      case 0x11:
        m.startTimeUnixNano = r.fixed64();
        break;
      case 0x19:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x21:
        m.count = r.fixed64();
        break;
      case 0x29:
        m.sum = r.double();
        break;
      case 0x32:
        m.quantileValues.push(readQuantile(r, r.end()));
        break;
      case 0x40:
        m.flags = r.uint32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readQuantile(r: WireReader, end: number): SummaryDataPoint_ValueAtQuantile {
  const m = { $typeName: "opentelemetry.proto.metrics.v1.SummaryDataPoint.ValueAtQuantile", quantile: 0, value: 0 } as SummaryDataPoint_ValueAtQuantile;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x09:
        m.quantile = r.double();
        break;
      case 0x11:
        m.value = r.double();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readExemplar(r: WireReader, end: number): Exemplar {
  const m = {
    $typeName: "opentelemetry.proto.metrics.v1.Exemplar",
    filteredAttributes: [],
    timeUnixNano: 0n,
    value: { case: undefined },
    spanId: EMPTY_BYTES,
    traceId: EMPTY_BYTES,
  } as unknown as Exemplar;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x3a:
        (m.filteredAttributes as KeyValue[]).push(readKeyValue(r, r.end()));
        break;
      case 0x11:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x19:
        m.value = { case: "asDouble", value: r.double() };
        break;
      case 0x31:
        m.value = { case: "asInt", value: r.sfixed64() };
        break;
      case 0x22:
        m.spanId = r.bytes();
        break;
      case 0x2a:
        m.traceId = r.bytes();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}
