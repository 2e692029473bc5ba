// A hand-written writer for OTLP export requests, several times faster than the generic
// reflection-based encoder, for exporters sending batches that were changed or merged.
// Its bytes are identical to protobuf-es's toBinary (tested with generated requests); a
// message it does not handle (unknown fields, entity references) falls back to toBinary.

import { toBinary } from "@bufbuild/protobuf";
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportMetricsServiceRequest } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type { LogRecord, ResourceLogs, ScopeLogs } from "./gen/opentelemetry/proto/logs/v1/logs_pb.ts";
import type { ResourceSpans, ScopeSpans, Span, Span_Event, Span_Link } from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";
import type { ExportRequest, Signal } from "./pdata.ts";
import { pdata } from "./schemas.ts";
import { checkKnown, writeAnyValue, writeAttributes, writeResourceField, writeScopeField } from "./request_writer_common.ts";
import { writeResourceMetrics } from "./request_writer_metrics.ts";
import { CannotWrite, WireWriter } from "./wire_writer.ts";

/** Protobuf bytes of an export request. */
export function writeExportRequest<S extends Signal>(signal: S, request: ExportRequest<S>): Uint8Array<ArrayBuffer> {
  try {
    const w = new WireWriter(16 * 1024);
    checkKnown(request);
    switch (signal) {
      case "traces":
        for (const rs of (request as ExportTraceServiceRequest).resourceSpans) writeResourceSpans(w, rs);
        break;
      case "metrics":
        for (const rm of (request as ExportMetricsServiceRequest).resourceMetrics) writeResourceMetrics(w, rm);
        break;
      case "logs":
        for (const rl of (request as ExportLogsServiceRequest).resourceLogs) writeResourceLogs(w, rl);
        break;
    }
    return w.finish();
  } catch (err) {
    if (!(err instanceof CannotWrite)) throw err;
    return toBinary(pdata().SIGNAL_DESCRIPTORS[signal].request, request as never);
  }
}

function writeResourceSpans(w: WireWriter, m: ResourceSpans): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeResourceField(w, 0x0a, m.resource);
  for (const ss of m.scopeSpans) writeScopeSpans(w, ss);
  if (m.schemaUrl !== "") {
    w.uint32(0x1a);
    w.string(m.schemaUrl);
  }
  w.endAt(start);
}

function writeScopeSpans(w: WireWriter, m: ScopeSpans): void {
  checkKnown(m);
  w.uint32(0x12);
  const start = w.begin();
  writeScopeField(w, 0x0a, m.scope);
  for (const s of m.spans) writeSpan(w, s);
  if (m.schemaUrl !== "") {
    w.uint32(0x1a);
    w.string(m.schemaUrl);
  }
  w.endAt(start);
}

function writeSpan(w: WireWriter, m: Span): void {
  checkKnown(m);
  w.uint32(0x12);
  const start = w.begin();
  if (m.traceId.length > 0) {
    w.uint32(0x0a);
    w.bytes(m.traceId);
  }
  if (m.spanId.length > 0) {
    w.uint32(0x12);
    w.bytes(m.spanId);
  }
  if (m.traceState !== "") {
    w.uint32(0x1a);
    w.string(m.traceState);
  }
  if (m.parentSpanId.length > 0) {
    w.uint32(0x22);
    w.bytes(m.parentSpanId);
  }
  if (m.name !== "") {
    w.uint32(0x2a);
    w.string(m.name);
  }
  if (m.kind !== 0) {
    w.uint32(0x30);
    w.int32(m.kind);
  }
  if (m.startTimeUnixNano !== 0n) {
    w.uint32(0x39);
    w.fixed64(m.startTimeUnixNano);
  }
  if (m.endTimeUnixNano !== 0n) {
    w.uint32(0x41);
    w.fixed64(m.endTimeUnixNano);
  }
  writeAttributes(w, 0x4a, m.attributes);
  if (m.droppedAttributesCount !== 0) {
    w.uint32(0x50);
    w.uint32(m.droppedAttributesCount);
  }
  for (const e of m.events) writeEvent(w, e);
  if (m.droppedEventsCount !== 0) {
    w.uint32(0x60);
    w.uint32(m.droppedEventsCount);
  }
  for (const l of m.links) writeLink(w, l);
  if (m.droppedLinksCount !== 0) {
    w.uint32(0x70);
    w.uint32(m.droppedLinksCount);
  }
  if (m.status !== undefined) {
    checkKnown(m.status);
    w.uint32(0x7a);
    const s = w.begin();
    if (m.status.message !== "") {
      w.uint32(0x12);
      w.string(m.status.message);
    }
    if (m.status.code !== 0) {
      w.uint32(0x18);
      w.int32(m.status.code);
    }
    w.endAt(s);
  }
  if (m.flags !== 0) {
    w.uint32(0x85);
    w.fixed32(m.flags);
  }
  w.endAt(start);
}

function writeEvent(w: WireWriter, m: Span_Event): void {
  checkKnown(m);
  w.uint32(0x5a);
  const start = w.begin();
  if (m.timeUnixNano !== 0n) {
    w.uint32(0x09);
    w.fixed64(m.timeUnixNano);
  }
  if (m.name !== "") {
    w.uint32(0x12);
    w.string(m.name);
  }
  writeAttributes(w, 0x1a, m.attributes);
  if (m.droppedAttributesCount !== 0) {
    w.uint32(0x20);
    w.uint32(m.droppedAttributesCount);
  }
  w.endAt(start);
}

function writeLink(w: WireWriter, m: Span_Link): void {
  checkKnown(m);
  w.uint32(0x6a);
  const start = w.begin();
  if (m.traceId.length > 0) {
    w.uint32(0x0a);
    w.bytes(m.traceId);
  }
  if (m.spanId.length > 0) {
    w.uint32(0x12);
    w.bytes(m.spanId);
  }
  if (m.traceState !== "") {
    w.uint32(0x1a);
    w.string(m.traceState);
  }
  writeAttributes(w, 0x22, m.attributes);
  if (m.droppedAttributesCount !== 0) {
    w.uint32(0x28);
    w.uint32(m.droppedAttributesCount);
  }
  if (m.flags !== 0) {
    w.uint32(0x35);
    w.fixed32(m.flags);
  }
  w.endAt(start);
}

function writeResourceLogs(w: WireWriter, m: ResourceLogs): void {
  checkKnown(m);
  w.uint32(0x0a);
  const start = w.begin();
  writeResourceField(w, 0x0a, m.resource);
  for (const sl of m.scopeLogs) writeScopeLogs(w, sl);
  if (m.schemaUrl !== "") {
    w.uint32(0x1a);
    w.string(m.schemaUrl);
  }
  w.endAt(start);
}

function writeScopeLogs(w: WireWriter, m: ScopeLogs): void {
  checkKnown(m);
  w.uint32(0x12);
  const start = w.begin();
  writeScopeField(w, 0x0a, m.scope);
  for (const r of m.logRecords) writeLogRecord(w, r);
  if (m.schemaUrl !== "") {
    w.uint32(0x1a);
    w.string(m.schemaUrl);
  }
  w.endAt(start);
}

function writeLogRecord(w: WireWriter, m: LogRecord): void {
  checkKnown(m);
  w.uint32(0x12);
  const start = w.begin();
  if (m.timeUnixNano !== 0n) {
    w.uint32(0x09);
    w.fixed64(m.timeUnixNano);
  }
  if (m.severityNumber !== 0) {
    w.uint32(0x10);
    w.int32(m.severityNumber);
  }
  if (m.severityText !== "") {
    w.uint32(0x1a);
    w.string(m.severityText);
  }
  if (m.body !== undefined) {
    w.uint32(0x2a);
    const s = w.begin();
    writeAnyValue(w, m.body);
    w.endAt(s);
  }
  writeAttributes(w, 0x32, m.attributes);
  if (m.droppedAttributesCount !== 0) {
    w.uint32(0x38);
    w.uint32(m.droppedAttributesCount);
  }
  if (m.flags !== 0) {
    w.uint32(0x45);
    w.fixed32(m.flags);
  }
  if (m.traceId.length > 0) {
    w.uint32(0x4a);
    w.bytes(m.traceId);
  }
  if (m.spanId.length > 0) {
    w.uint32(0x52);
    w.bytes(m.spanId);
  }
  if (m.observedTimeUnixNano !== 0n) {
    w.uint32(0x59);
    w.fixed64(m.observedTimeUnixNano);
  }
  if (m.eventName !== "") {
    w.uint32(0x62);
    w.string(m.eventName);
  }
  w.endAt(start);
}
