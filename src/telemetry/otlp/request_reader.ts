// A hand-written reader for OTLP export requests, several times faster than the generic
// reflection-based decoder on the receive hot path. It builds exactly the messages
// protobuf-es would (tested against fromBinary); on anything it does not expect — unknown
// fields, odd encodings, malformed data — it returns undefined and the caller uses fromBinary.

import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportMetricsServiceRequest } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { ResourceSpans, ScopeSpans, Span, Span_Event, Span_Link, Status } from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";
import type { LogRecord, ResourceLogs, ScopeLogs } from "./gen/opentelemetry/proto/logs/v1/logs_pb.ts";
import { readResourceMetrics } from "./request_reader_metrics.ts";
import { readAttributes, readAnyValue, readResource, readScope } from "./request_reader_common.ts";
import { EMPTY_BYTES, unexpected, WireReader } from "./wire_reader.ts";
import type { ExportRequest, Signal } from "./pdata.ts";

/** The decoded request, or undefined when the generic decoder must take over. */
export function readExportRequest<S extends Signal>(signal: S, bytes: Uint8Array): ExportRequest<S> | undefined {
  try {
    const r = new WireReader(bytes);
    switch (signal) {
      case "traces":
        return readTraces(r) as ExportRequest<S>;
      case "metrics":
        return readMetrics(r) as ExportRequest<S>;
      case "logs":
        return readLogs(r) as ExportRequest<S>;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function readTraces(r: WireReader): ExportTraceServiceRequest {
  const m = { $typeName: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest", resourceSpans: [] } as unknown as ExportTraceServiceRequest;
  const end = r.buf.length;
  while (r.pos < end) {
    if (r.uint32() !== 0x0a) unexpected();
    m.resourceSpans.push(readResourceSpans(r, r.end()));
  }
  r.done(end);
  return m;
}

function readMetrics(r: WireReader): ExportMetricsServiceRequest {
  const m = { $typeName: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest", resourceMetrics: [] } as unknown as ExportMetricsServiceRequest;
  const end = r.buf.length;
  while (r.pos < end) {
    if (r.uint32() !== 0x0a) unexpected();
    m.resourceMetrics.push(readResourceMetrics(r, r.end()));
  }
  r.done(end);
  return m;
}

function readLogs(r: WireReader): ExportLogsServiceRequest {
  const m = { $typeName: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest", resourceLogs: [] } as unknown as ExportLogsServiceRequest;
  const end = r.buf.length;
  while (r.pos < end) {
    if (r.uint32() !== 0x0a) unexpected();
    m.resourceLogs.push(readResourceLogs(r, r.end()));
  }
  r.done(end);
  return m;
}

// ---- traces ----

function readResourceSpans(r: WireReader, end: number): ResourceSpans {
  const m = { $typeName: "opentelemetry.proto.trace.v1.ResourceSpans", scopeSpans: [], schemaUrl: "" } as unknown as ResourceSpans;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        if (m.resource !== undefined) unexpected();
        m.resource = readResource(r, r.end());
        break;
      case 0x12:
        m.scopeSpans.push(readScopeSpans(r, r.end()));
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

function readScopeSpans(r: WireReader, end: number): ScopeSpans {
  const m = { $typeName: "opentelemetry.proto.trace.v1.ScopeSpans", spans: [], schemaUrl: "" } as unknown as ScopeSpans;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        if (m.scope !== undefined) unexpected();
        m.scope = readScope(r, r.end());
        break;
      case 0x12:
        m.spans.push(readSpan(r, r.end()));
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

function readSpan(r: WireReader, end: number): Span {
  const m = {
    $typeName: "opentelemetry.proto.trace.v1.Span",
    traceId: EMPTY_BYTES,
    spanId: EMPTY_BYTES,
    traceState: "",
    parentSpanId: EMPTY_BYTES,
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
  } as unknown as Span;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        m.traceId = r.bytes();
        break;
      case 0x12:
        m.spanId = r.bytes();
        break;
      case 0x1a:
        m.traceState = r.string();
        break;
      case 0x22:
        m.parentSpanId = r.bytes();
        break;
      case 0x85: // field 16, fixed32 (a two-byte varint tag)
        m.flags = r.fixed32();
        break;
      case 0x2a:
        m.name = r.string();
        break;
      case 0x30:
        m.kind = r.int32();
        break;
      case 0x39:
        m.startTimeUnixNano = r.fixed64();
        break;
      case 0x41:
        m.endTimeUnixNano = r.fixed64();
        break;
      case 0x4a:
        readAttributes(r, m.attributes);
        break;
      case 0x50:
        m.droppedAttributesCount = r.uint32();
        break;
      case 0x5a:
        m.events.push(readEvent(r, r.end()));
        break;
      case 0x60:
        m.droppedEventsCount = r.uint32();
        break;
      case 0x6a:
        m.links.push(readLink(r, r.end()));
        break;
      case 0x70:
        m.droppedLinksCount = r.uint32();
        break;
      case 0x7a:
        if (m.status !== undefined) unexpected();
        m.status = readStatus(r, r.end());
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readEvent(r: WireReader, end: number): Span_Event {
  const m = {
    $typeName: "opentelemetry.proto.trace.v1.Span.Event",
    timeUnixNano: 0n,
    name: "",
    attributes: [],
    droppedAttributesCount: 0,
  } as unknown as Span_Event;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x09:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x12:
        m.name = r.string();
        break;
      case 0x1a:
        readAttributes(r, m.attributes);
        break;
      case 0x20:
        m.droppedAttributesCount = r.uint32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readLink(r: WireReader, end: number): Span_Link {
  const m = {
    $typeName: "opentelemetry.proto.trace.v1.Span.Link",
    traceId: EMPTY_BYTES,
    spanId: EMPTY_BYTES,
    traceState: "",
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  } as unknown as Span_Link;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        m.traceId = r.bytes();
        break;
      case 0x12:
        m.spanId = r.bytes();
        break;
      case 0x1a:
        m.traceState = r.string();
        break;
      case 0x22:
        readAttributes(r, m.attributes);
        break;
      case 0x28:
        m.droppedAttributesCount = r.uint32();
        break;
      case 0x35:
        m.flags = r.fixed32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

function readStatus(r: WireReader, end: number): Status {
  const m = { $typeName: "opentelemetry.proto.trace.v1.Status", message: "", code: 0 } as Status;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x12:
        m.message = r.string();
        break;
      case 0x18:
        m.code = r.int32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

// ---- logs ----

function readResourceLogs(r: WireReader, end: number): ResourceLogs {
  const m = { $typeName: "opentelemetry.proto.logs.v1.ResourceLogs", scopeLogs: [], schemaUrl: "" } as unknown as ResourceLogs;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        if (m.resource !== undefined) unexpected();
        m.resource = readResource(r, r.end());
        break;
      case 0x12:
        m.scopeLogs.push(readScopeLogs(r, r.end()));
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

function readScopeLogs(r: WireReader, end: number): ScopeLogs {
  const m = { $typeName: "opentelemetry.proto.logs.v1.ScopeLogs", logRecords: [], schemaUrl: "" } as unknown as ScopeLogs;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        if (m.scope !== undefined) unexpected();
        m.scope = readScope(r, r.end());
        break;
      case 0x12:
        m.logRecords.push(readLogRecord(r, r.end()));
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

function readLogRecord(r: WireReader, end: number): LogRecord {
  const m = {
    $typeName: "opentelemetry.proto.logs.v1.LogRecord",
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: "",
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: EMPTY_BYTES,
    spanId: EMPTY_BYTES,
    eventName: "",
  } as unknown as LogRecord;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x09:
        m.timeUnixNano = r.fixed64();
        break;
      case 0x59:
        m.observedTimeUnixNano = r.fixed64();
        break;
      case 0x10:
        m.severityNumber = r.int32();
        break;
      case 0x1a:
        m.severityText = r.string();
        break;
      case 0x2a:
        if (m.body !== undefined) unexpected();
        m.body = readAnyValue(r, r.end());
        break;
      case 0x32:
        readAttributes(r, m.attributes);
        break;
      case 0x38:
        m.droppedAttributesCount = r.uint32();
        break;
      case 0x45:
        m.flags = r.fixed32();
        break;
      case 0x4a:
        m.traceId = r.bytes();
        break;
      case 0x52:
        m.spanId = r.bytes();
        break;
      case 0x62:
        m.eventName = r.string();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}
