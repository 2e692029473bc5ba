// The OpenTelemetry JS SDK exports to the compiled binary over gRPC, HTTP/protobuf and
// HTTP/JSON; receiver → batch → otlphttp → a second binary's receiver → otlphttp → a
// recording server. Everything the SDK recorded arrives with resource, scope and attributes.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { SeverityNumber as ApiSeverity } from "@opentelemetry/api-logs";
import { OTLPLogExporter as LogsGrpc } from "@opentelemetry/exporter-logs-otlp-grpc";
import { OTLPLogExporter as LogsJson } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as LogsProto } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter as MetricsGrpc } from "@opentelemetry/exporter-metrics-otlp-grpc";
import { OTLPMetricExporter as MetricsJson } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as MetricsProto } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as TracesGrpc } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as TracesJson } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as TracesProto } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { AlloyProcess } from "../binary/alloy_process.ts";
import type { AnyValue, ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, KeyValue } from "../../../src/telemetry/otlp/index.ts";
import { canRunBinary, eventually, freePort, OtlpSink, startAlloy, stopAlloy } from "./harness.ts";

const sink = new OtlpSink();
let front: AlloyProcess | undefined;
let back: AlloyProcess | undefined;
const ports = { grpc: freePort(), http: freePort(), back: freePort() };

beforeAll(async () => {
  if (!canRunBinary) return;
  back = await startAlloy(`
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${ports.back}" }
  output {
    traces = [otelcol.exporter.otlphttp.sink.input]
    metrics = [otelcol.exporter.otlphttp.sink.input]
    logs = [otelcol.exporter.otlphttp.sink.input]
  }
}
otelcol.exporter.otlphttp "sink" { client { endpoint = "${sink.url}" } }
`, [ports.back]);
  front = await startAlloy(`
otelcol.receiver.otlp "in" {
  grpc { endpoint = "127.0.0.1:${ports.grpc}" }
  http { endpoint = "127.0.0.1:${ports.http}" }
  output {
    traces = [otelcol.processor.batch.b.input]
    metrics = [otelcol.processor.batch.b.input]
    logs = [otelcol.processor.batch.b.input]
  }
}
otelcol.processor.batch "b" {
  timeout = "50ms"
  output {
    traces = [otelcol.exporter.otlphttp.next.input]
    metrics = [otelcol.exporter.otlphttp.next.input]
    logs = [otelcol.exporter.otlphttp.next.input]
  }
}
otelcol.exporter.otlphttp "next" { client { endpoint = "http://127.0.0.1:${ports.back}" } }
`, [ports.grpc, ports.http]);
}, 180_000);

afterAll(async () => {
  await stopAlloy(front);
  await stopAlloy(back);
  sink.stop();
});

function plain(v: AnyValue | undefined): unknown {
  const x = v?.value;
  switch (x?.case) {
    case "stringValue":
    case "boolValue":
    case "doubleValue":
      return x.value;
    case "intValue":
      return Number(x.value);
    case "arrayValue":
      return x.value.values.map(plain);
    case "kvlistValue":
      return plainAttrs(x.value.values);
    default:
      return undefined;
  }
}
function plainAttrs(kvs: KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(kvs.map((kv) => [kv.key, plain(kv.value)]));
}

const ATTRS = { "http.method": "GET", "http.status_code": 200, ratio: 0.25, cached: true, tags: ["a", "b"] };

const transports = [
  {
    name: "gRPC",
    traces: () => new TracesGrpc({ url: `http://127.0.0.1:${ports.grpc}` }),
    metrics: () => new MetricsGrpc({ url: `http://127.0.0.1:${ports.grpc}` }),
    logs: () => new LogsGrpc({ url: `http://127.0.0.1:${ports.grpc}` }),
  },
  {
    name: "HTTP/protobuf",
    traces: () => new TracesProto({ url: `http://127.0.0.1:${ports.http}/v1/traces` }),
    metrics: () => new MetricsProto({ url: `http://127.0.0.1:${ports.http}/v1/metrics` }),
    logs: () => new LogsProto({ url: `http://127.0.0.1:${ports.http}/v1/logs` }),
  },
  {
    name: "HTTP/JSON",
    traces: () => new TracesJson({ url: `http://127.0.0.1:${ports.http}/v1/traces` }),
    metrics: () => new MetricsJson({ url: `http://127.0.0.1:${ports.http}/v1/metrics` }),
    logs: () => new LogsJson({ url: `http://127.0.0.1:${ports.http}/v1/logs` }),
  },
];

describe.skipIf(!canRunBinary)("OpenTelemetry JS SDK → alloy → alloy → sink", () => {
  for (const t of transports) {
    const service = `sdk-${t.name}`;
    const resource = { "service.name": service, "deployment.environment": "ci", "host.count": 3 };

    test(`traces over ${t.name} arrive intact through two instances`, async () => {
      const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(t.traces())] });
      const tracer = provider.getTracer("checkout", "1.2.3");
      const parent = tracer.startSpan("parent", { kind: SpanKind.SERVER, attributes: ATTRS });
      const sentIds = [parent.spanContext()];
      for (let i = 0; i < 20; i++) {
        const child = tracer.startSpan(`child-${i}`, { attributes: { i } });
        child.addEvent("cache miss", { key: `k${i}` });
        child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
        sentIds.push(child.spanContext());
        child.end();
      }
      parent.end();
      await provider.forceFlush();
      await provider.shutdown();

      const mine = () =>
        sink.received
          .filter((r) => r.signal === "traces")
          .flatMap((r) => (r.request as ExportTraceServiceRequest).resourceSpans)
          .filter((rs) => plainAttrs(rs.resource?.attributes ?? [])["service.name"] === service)
          .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ s, rs, ss }))));
      await eventually(async () => (mine().length >= 21 ? true : undefined), "21 spans at the sink", 20_000);
      const spans = mine();
      expect(spans.length).toBe(21);
      for (const { rs, ss } of spans) {
        expect(plainAttrs(rs.resource!.attributes)).toMatchObject(resource);
        expect([ss.scope!.name, ss.scope!.version]).toEqual(["checkout", "1.2.3"]);
      }
      expect(new Set(spans.map(({ s }) => Buffer.from(s.spanId).toString("hex")))).toEqual(new Set(sentIds.map((c) => c.spanId)));
      const p = spans.find((x) => x.s.name === "parent")!.s;
      expect(plainAttrs(p.attributes)).toEqual(ATTRS);
      expect(p.kind).toBe(2);
      const c = spans.find((x) => x.s.name === "child-7")!.s;
      expect(plainAttrs(c.attributes)).toEqual({ i: 7 });
      expect(c.events[0]!.name).toBe("cache miss");
      expect(plainAttrs(c.events[0]!.attributes)).toEqual({ key: "k7" });
      expect([c.status!.code, c.status!.message]).toEqual([2, "boom"]);
    }, 60_000);

    test(`metrics over ${t.name} arrive intact through two instances`, async () => {
      const reader = new PeriodicExportingMetricReader({ exporter: t.metrics(), exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ resource: resourceFromAttributes(resource), readers: [reader] });
      const meter = provider.getMeter("billing", "0.1.0");
      const counter = meter.createCounter("requests_total", { unit: "1", description: "requests" });
      counter.add(3, { route: "/a" });
      counter.add(4, { route: "/b" });
      const hist = meter.createHistogram("latency", { unit: "ms" });
      hist.record(12, { route: "/a" });
      hist.record(80, { route: "/a" });
      await provider.forceFlush();
      await provider.shutdown();

      const mine = () =>
        sink.received
          .filter((r) => r.signal === "metrics")
          .flatMap((r) => (r.request as ExportMetricsServiceRequest).resourceMetrics)
          .filter((rm) => plainAttrs(rm.resource?.attributes ?? [])["service.name"] === service);
      await eventually(async () => (mine().length > 0 ? true : undefined), "metrics at the sink", 20_000);
      const rm = mine()[0]!;
      expect(plainAttrs(rm.resource!.attributes)).toMatchObject(resource);
      const sm = rm.scopeMetrics.find((s) => s.scope?.name === "billing")!;
      expect(sm.scope!.version).toBe("0.1.0");
      const sum = sm.metrics.find((m) => m.name === "requests_total")!;
      expect([sum.unit, sum.description]).toEqual(["1", "requests"]);
      if (sum.data.case !== "sum") throw new Error(`requests_total is ${sum.data.case}`);
      const points = sum.data.value.dataPoints.map((p) => [plainAttrs(p.attributes), Number(p.value.value)]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(points).toEqual([[{ route: "/a" }, 3], [{ route: "/b" }, 4]]);
      const h = sm.metrics.find((m) => m.name === "latency")!;
      if (h.data.case !== "histogram") throw new Error(`latency is ${h.data.case}`);
      const hp = h.data.value.dataPoints[0]!;
      expect([hp.count, hp.sum, hp.min, hp.max]).toEqual([2n, 92, 12, 80]);
    }, 60_000);

    test(`logs over ${t.name} arrive intact through two instances`, async () => {
      const provider = new LoggerProvider({ resource: resourceFromAttributes(resource), processors: [new SimpleLogRecordProcessor({ exporter: t.logs() })] });
      const logger = provider.getLogger("audit", "2.0.0");
      for (let i = 0; i < 10; i++) {
        logger.emit({ severityNumber: ApiSeverity.WARN, severityText: "WARN", body: `disk ${i} almost full`, attributes: { disk: i, mount: "/data" } });
      }
      await provider.forceFlush();
      await provider.shutdown();
      const mine = () =>
        sink.received
          .filter((r) => r.signal === "logs")
          .flatMap((r) => (r.request as ExportLogsServiceRequest).resourceLogs)
          .filter((rl) => plainAttrs(rl.resource?.attributes ?? [])["service.name"] === service)
          .flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({ r, rl, sl }))));
      await eventually(async () => (mine().length >= 10 ? true : undefined), "10 log records at the sink", 20_000);
      const records = mine();
      expect(records.length).toBe(10);
      for (const { r, rl, sl } of records) {
        expect(plainAttrs(rl.resource!.attributes)).toMatchObject(resource);
        expect([sl.scope!.name, sl.scope!.version]).toEqual(["audit", "2.0.0"]);
        expect([r.severityNumber, r.severityText]).toEqual([13, "WARN"]);
      }
      expect(records.map(({ r }) => plain(r.body)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `disk ${i} almost full`).sort());
      const r3 = records.find(({ r }) => plain(r.body) === "disk 3 almost full")!.r;
      expect(plainAttrs(r3.attributes)).toEqual({ disk: 3, mount: "/data" });
    }, 60_000);
  }
});
