// The metrics part of the OTLP request writer (see request_writer.ts).

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
import { checkKnown, writeAttributes, writeDoubleField, writeResourceField, writeScopeField } from "./request_writer_common.ts";
import { cannotWrite, type WireWriter } from "./wire_writer.ts";

export function writeResourceMetrics(w: WireWriter, m: ResourceMetrics): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeResourceField(w, 0x0a, m.resource);
  for (const sm of m.scopeMetrics) writeScopeMetrics(w, sm);
  if (m.schemaUrl !== "") {
    w.uint32(0x1a);
    w.string(m.schemaUrl);
  }
  w.endAt(start);
}

function writeScopeMetrics(w: WireWriter, m: ScopeMetrics): void {
  checkKnown(m);
  w.uint32(0x12);
  const start = w.begin();
  writeScopeField(w, 0x0a, m.scope);
  for (const metric of m.metrics) writeMetric(w, metric);
  if (m.schemaUrl !== "") {
    w.uint32(0x1a);
    w.string(m.schemaUrl);
  }
  w.endAt(start);
}

function writeMetric(w: WireWriter, m: Metric): void {
  checkKnown(m);
  w.uint32(0x12);
  const start = w.begin();
  if (m.name !== "") {
    w.uint32(0x0a);
    w.string(m.name);
  }
  if (m.description !== "") {
    w.uint32(0x12);
    w.string(m.description);
  }
  if (m.unit !== "") {
    w.uint32(0x1a);
    w.string(m.unit);
  }
  const d = m.data;
  if (d.case !== undefined) {
    checkKnown(d.value);
    w.uint32(d.case === "gauge" ? 0x2a : d.case === "sum" ? 0x3a : d.case === "histogram" ? 0x4a : d.case === "exponentialHistogram" ? 0x52 : 0x5a);
    const s = w.begin();
    switch (d.case) {
      case "gauge":
        for (const p of d.value.dataPoints) writeNumberPoint(w, p);
        break;
      case "sum":
        for (const p of d.value.dataPoints) writeNumberPoint(w, p);
        writeTemporality(w, d.value.aggregationTemporality);
        if (d.value.isMonotonic) {
          w.uint32(0x18);
          w.uint32(1);
        }
        break;
      case "histogram":
        for (const p of d.value.dataPoints) writeHistogramPoint(w, p);
        writeTemporality(w, d.value.aggregationTemporality);
        break;
      case "exponentialHistogram":
        for (const p of d.value.dataPoints) writeExpHistogramPoint(w, p);
        writeTemporality(w, d.value.aggregationTemporality);
        break;
      case "summary":
        for (const p of d.value.dataPoints) writeSummaryPoint(w, p);
        break;
      default:
        cannotWrite();
    }
    w.endAt(s);
  }
  writeAttributes(w, 0x62, m.metadata);
  w.endAt(start);
}

function writeTemporality(w: WireWriter, t: number): void {
  if (t === 0) return;
  w.uint32(0x10);
  w.int32(t);
}

function writeTimes(w: WireWriter, start: bigint, time: bigint): void {
  if (start !== 0n) {
    w.uint32(0x11);
    w.fixed64(start);
  }
  if (time !== 0n) {
    w.uint32(0x19);
    w.fixed64(time);
  }
}

function writeNumberPoint(w: WireWriter, m: NumberDataPoint): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeTimes(w, m.startTimeUnixNano, m.timeUnixNano);
  if (m.value.case === "asDouble") {
    w.uint32(0x21);
    w.double(m.value.value);
  }
  for (const e of m.exemplars) writeExemplar(w, 0x2a, e);
  if (m.value.case === "asInt") {
    w.uint32(0x31);
    w.sfixed64(m.value.value);
  }
  writeAttributes(w, 0x3a, m.attributes);
  if (m.flags !== 0) {
    w.uint32(0x40);
    w.uint32(m.flags);
  }
  w.endAt(start);
}

function writeHistogramPoint(w: WireWriter, m: HistogramDataPoint): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeTimes(w, m.startTimeUnixNano, m.timeUnixNano);
  if (m.count !== 0n) {
    w.uint32(0x21);
    w.fixed64(m.count);
  }
  if (m.sum !== undefined) {
    w.uint32(0x29);
    w.double(m.sum);
  }
  if (m.bucketCounts.length > 0) {
    w.uint32(0x32);
    w.packedFixed64(m.bucketCounts);
  }
  if (m.explicitBounds.length > 0) {
    w.uint32(0x3a);
    w.packedDouble(m.explicitBounds);
  }
  for (const e of m.exemplars) writeExemplar(w, 0x42, e);
  writeAttributes(w, 0x4a, m.attributes);
  if (m.flags !== 0) {
    w.uint32(0x50);
    w.uint32(m.flags);
  }
  if (m.min !== undefined) {
    w.uint32(0x59);
    w.double(m.min);
  }
  if (m.max !== undefined) {
    w.uint32(0x61);
    w.double(m.max);
  }
  w.endAt(start);
}

function writeExpHistogramPoint(w: WireWriter, m: ExponentialHistogramDataPoint): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeAttributes(w, 0x0a, m.attributes);
  writeTimes(w, m.startTimeUnixNano, m.timeUnixNano);
  if (m.count !== 0n) {
    w.uint32(0x21);
    w.fixed64(m.count);
  }
  if (m.sum !== undefined) {
    w.uint32(0x29);
    w.double(m.sum);
  }
  if (m.scale !== 0) {
    w.uint32(0x30);
    w.sint32(m.scale);
  }
  if (m.zeroCount !== 0n) {
    w.uint32(0x39);
    w.fixed64(m.zeroCount);
  }
  writeBuckets(w, 0x42, m.positive);
  writeBuckets(w, 0x4a, m.negative);
  if (m.flags !== 0) {
    w.uint32(0x50);
    w.uint32(m.flags);
  }
  for (const e of m.exemplars) writeExemplar(w, 0x5a, e);
  if (m.min !== undefined) {
    w.uint32(0x61);
    w.double(m.min);
  }
  if (m.max !== undefined) {
    w.uint32(0x69);
    w.double(m.max);
  }
  writeDoubleField(w, 0x71, m.zeroThreshold);
  w.endAt(start);
}

function writeBuckets(w: WireWriter, tag: number, m: ExponentialHistogramDataPoint_Buckets | undefined): void {
  if (m === undefined) return;
  checkKnown(m);
  w.uint32(tag);
  const start = w.begin();
  if (m.offset !== 0) {
    w.uint32(0x08);
    w.sint32(m.offset);
  }
  if (m.bucketCounts.length > 0) {
    w.uint32(0x12);
    w.packedUint64(m.bucketCounts);
  }
  w.endAt(start);
}

function writeSummaryPoint(w: WireWriter, m: SummaryDataPoint): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeTimes(w, m.startTimeUnixNano, m.timeUnixNano);
  if (m.count !== 0n) {
    w.uint32(0x21);
    w.fixed64(m.count);
  }
  writeDoubleField(w, 0x29, m.sum);
  for (const q of m.quantileValues) {
    checkKnown(q);
    w.uint32(0x32);
    const s = w.begin();
    writeDoubleField(w, 0x09, q.quantile);
    writeDoubleField(w, 0x11, q.value);
    w.endAt(s);
  }
  writeAttributes(w, 0x3a, m.attributes);
  if (m.flags !== 0) {
    w.uint32(0x40);
    w.uint32(m.flags);
  }
  w.endAt(start);
}

function writeExemplar(w: WireWriter, tag: number, m: Exemplar): void {
  checkKnown(m);
  w.uint32(tag);
  const start = w.begin();
  if (m.timeUnixNano !== 0n) {
    w.uint32(0x11);
    w.fixed64(m.timeUnixNano);
  }
  if (m.value.case === "asDouble") {
    w.uint32(0x19);
    w.double(m.value.value);
  }
  if (m.spanId.length > 0) {
    w.uint32(0x22);
    w.bytes(m.spanId);
  }
  if (m.traceId.length > 0) {
    w.uint32(0x2a);
    w.bytes(m.traceId);
  }
  if (m.value.case === "asInt") {
    w.uint32(0x31);
    w.sfixed64(m.value.value);
  }
  writeAttributes(w, 0x3a, m.filteredAttributes);
  w.endAt(start);
}
