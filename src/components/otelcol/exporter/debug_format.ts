// Text renderings of batches as the Collector's debug exporter prints them:
// `normal` is one line per span / log record / metric, `detailed` a full dump.

import type { AnyValue, KeyValue, ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, Metric } from "../../../telemetry/otlp/pdata.ts";
import { metricDataPoints } from "../../../telemetry/otlp/count.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export function anyValueString(v: AnyValue | undefined): string {
  const val = v?.value;
  switch (val?.case) {
    case "stringValue":
      return val.value;
    case "boolValue":
      return String(val.value);
    case "intValue":
      return String(val.value);
    case "doubleValue":
      return String(val.value);
    case "bytesValue":
      return Buffer.from(val.value).toString("base64");
    case "arrayValue":
      return `[${val.value.values.map(anyValueString).join(",")}]`;
    case "kvlistValue":
      return `{${val.value.values.map((kv) => `${kv.key}:${anyValueString(kv.value)}`).join(",")}}`;
    default:
      return "";
  }
}

function anyValueTyped(v: AnyValue | undefined): string {
  const c = v?.value.case;
  const names: Record<string, string> = { stringValue: "Str", boolValue: "Bool", intValue: "Int", doubleValue: "Double", bytesValue: "Bytes", arrayValue: "Slice", kvlistValue: "Map" };
  const type = c === undefined ? "Empty" : (names[c] ?? "Str");
  return `${type}(${anyValueString(v)})`;
}

function attrsInline(attrs: KeyValue[]): string {
  return attrs.map((a) => `${a.key}=${anyValueString(a.value)}`).join(" ");
}

function attrsBlock(lines: string[], title: string, attrs: KeyValue[], indent = ""): void {
  if (attrs.length === 0) return;
  lines.push(`${indent}${title}:`);
  for (const a of attrs) lines.push(`${indent}     -> ${a.key}: ${anyValueTyped(a.value)}`);
}

function time(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const rest = String(ns % 1_000_000_000n).padStart(9, "0");
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}.${rest} +0000 UTC`;
}

export function normalTraces(req: ExportTraceServiceRequest): string[] {
  const out: string[] = [];
  for (const rs of req.resourceSpans) {
    out.push(`ResourceTraces #${out.length} ${attrsInline(rs.resource?.attributes ?? [])}`.trimEnd());
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) out.push(`${s.name} ${hex(s.traceId)} ${hex(s.spanId)} ${attrsInline(s.attributes)}`.trimEnd());
    }
  }
  return out;
}

export function normalLogs(req: ExportLogsServiceRequest): string[] {
  const out: string[] = [];
  for (const rl of req.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const l of sl.logRecords) out.push(`${anyValueString(l.body)} ${attrsInline(l.attributes)}`.trimEnd());
    }
  }
  return out;
}

export function normalMetrics(req: ExportMetricsServiceRequest): string[] {
  const out: string[] = [];
  for (const rm of req.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) out.push(`${m.name} ${m.data.case ?? "empty"} data points: ${metricDataPoints(m)}`);
    }
  }
  return out;
}

export function detailedTraces(req: ExportTraceServiceRequest): string {
  const lines: string[] = [];
  req.resourceSpans.forEach((rs, i) => {
    lines.push(`ResourceSpans #${i}`, `Resource SchemaURL: ${rs.schemaUrl}`);
    attrsBlock(lines, "Resource attributes", rs.resource?.attributes ?? []);
    rs.scopeSpans.forEach((ss, j) => {
      lines.push(`ScopeSpans #${j}`, `ScopeSpans SchemaURL: ${ss.schemaUrl}`, `InstrumentationScope ${ss.scope?.name ?? ""} ${ss.scope?.version ?? ""}`.trimEnd());
      attrsBlock(lines, "InstrumentationScope attributes", ss.scope?.attributes ?? []);
      ss.spans.forEach((s, k) => {
        lines.push(
          `Span #${k}`,
          `    Trace ID       : ${hex(s.traceId)}`,
          `    Parent ID      : ${hex(s.parentSpanId)}`,
          `    ID             : ${hex(s.spanId)}`,
          `    Name           : ${s.name}`,
          `    Kind           : ${spanKind(s.kind)}`,
          `    Start time     : ${time(s.startTimeUnixNano)}`,
          `    End time       : ${time(s.endTimeUnixNano)}`,
          `    Status code    : ${["Unset", "Ok", "Error"][s.status?.code ?? 0] ?? "Unset"}`,
          `    Status message : ${s.status?.message ?? ""}`,
        );
        attrsBlock(lines, "Attributes", s.attributes);
        s.events.forEach((e, n) => {
          lines.push(`SpanEvent #${n}`, `     -> Name: ${e.name}`, `     -> Timestamp: ${time(e.timeUnixNano)}`, `     -> DroppedAttributesCount: ${e.droppedAttributesCount}`);
          attrsBlock(lines, "     -> Attributes:", e.attributes);
        });
      });
    });
  });
  return lines.join("\n");
}

function spanKind(k: number): string {
  return ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"][k] ?? "Unspecified";
}

export function detailedLogs(req: ExportLogsServiceRequest): string {
  const lines: string[] = [];
  req.resourceLogs.forEach((rl, i) => {
    lines.push(`ResourceLog #${i}`, `Resource SchemaURL: ${rl.schemaUrl}`);
    attrsBlock(lines, "Resource attributes", rl.resource?.attributes ?? []);
    rl.scopeLogs.forEach((sl, j) => {
      lines.push(`ScopeLogs #${j}`, `ScopeLogs SchemaURL: ${sl.schemaUrl}`, `InstrumentationScope ${sl.scope?.name ?? ""} ${sl.scope?.version ?? ""}`.trimEnd());
      sl.logRecords.forEach((l, k) => {
        lines.push(
          `LogRecord #${k}`,
          `ObservedTimestamp: ${time(l.observedTimeUnixNano)}`,
          `Timestamp: ${time(l.timeUnixNano)}`,
          `SeverityText: ${l.severityText}`,
          `SeverityNumber: ${l.severityNumber}`,
          `Body: ${anyValueTyped(l.body)}`,
        );
        attrsBlock(lines, "Attributes", l.attributes);
        lines.push(`Trace ID: ${hex(l.traceId)}`, `Span ID: ${hex(l.spanId)}`, `Flags: ${l.flags}`);
      });
    });
  });
  return lines.join("\n");
}

export function detailedMetrics(req: ExportMetricsServiceRequest): string {
  const lines: string[] = [];
  req.resourceMetrics.forEach((rm, i) => {
    lines.push(`ResourceMetrics #${i}`, `Resource SchemaURL: ${rm.schemaUrl}`);
    attrsBlock(lines, "Resource attributes", rm.resource?.attributes ?? []);
    rm.scopeMetrics.forEach((sm, j) => {
      lines.push(`ScopeMetrics #${j}`, `ScopeMetrics SchemaURL: ${sm.schemaUrl}`, `InstrumentationScope ${sm.scope?.name ?? ""} ${sm.scope?.version ?? ""}`.trimEnd());
      sm.metrics.forEach((m, k) => {
        lines.push(`Metric #${k}`, "Descriptor:", `     -> Name: ${m.name}`, `     -> Description: ${m.description}`, `     -> Unit: ${m.unit}`, `     -> DataType: ${dataType(m)}`);
        pointLines(lines, m);
      });
    });
  });
  return lines.join("\n");
}

function dataType(m: Metric): string {
  return { gauge: "Gauge", sum: "Sum", histogram: "Histogram", exponentialHistogram: "ExponentialHistogram", summary: "Summary" }[m.data.case ?? "gauge"] ?? "Empty";
}

function pointLines(lines: string[], m: Metric): void {
  const d = m.data;
  if (d.case === "gauge" || d.case === "sum") {
    d.value.dataPoints.forEach((p, n) => {
      lines.push(`NumberDataPoints #${n}`);
      attrsBlock(lines, "Data point attributes", p.attributes);
      lines.push(`StartTimestamp: ${time(p.startTimeUnixNano)}`, `Timestamp: ${time(p.timeUnixNano)}`);
      lines.push(p.value.case === "asInt" ? `Value: ${p.value.value}` : `Value: ${Number(p.value.value ?? 0).toFixed(6)}`);
    });
  } else if (d.case === "histogram") {
    d.value.dataPoints.forEach((p, n) => {
      lines.push(`HistogramDataPoints #${n}`);
      attrsBlock(lines, "Data point attributes", p.attributes);
      lines.push(`StartTimestamp: ${time(p.startTimeUnixNano)}`, `Timestamp: ${time(p.timeUnixNano)}`, `Count: ${p.count}`, `Sum: ${(p.sum ?? 0).toFixed(6)}`);
      p.explicitBounds.forEach((b, x) => lines.push(`ExplicitBounds #${x}: ${b.toFixed(6)}`));
      p.bucketCounts.forEach((c, x) => lines.push(`Buckets #${x}, Count: ${c}`));
    });
  } else if (d.case !== undefined) {
    lines.push(`DataPoints: ${metricDataPoints(m)}`);
  }
}
