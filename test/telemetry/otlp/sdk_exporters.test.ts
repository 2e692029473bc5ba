// The OpenTelemetry JS SDK's own OTLP exporters (gRPC, HTTP/protobuf, HTTP/JSON) against our
// servers: what the SDK records must arrive with the same counts, attributes, resource and scope.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
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
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { LogsBatch, MetricsBatch, TracesBatch } from "../../../src/telemetry/otlp/batch.ts";
import type { OtelConsumer } from "../../../src/telemetry/otlp/consumer.ts";
import { startOtlpGrpcServer, type OtlpServerHandle } from "../../../src/telemetry/otlp/grpc_server.ts";
import { startOtlpHttpServer, type OtlpHttpServerHandle } from "../../../src/telemetry/otlp/http_server.ts";
import type { AnyValue, KeyValue } from "../../../src/telemetry/otlp/pdata.ts";
import { waitFor } from "./fixtures.ts";

const traces: TracesBatch[] = [];
const metrics: MetricsBatch[] = [];
const logs: LogsBatch[] = [];
const consumer: OtelConsumer = {
  async consumeTraces(b) {
    traces.push(b);
  },
  async consumeMetrics(b) {
    metrics.push(b);
  },
  async consumeLogs(b) {
    logs.push(b);
  },
};

let grpcServer: OtlpServerHandle;
let httpServer: OtlpHttpServerHandle;
beforeAll(async () => {
  grpcServer = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0" }, consumer);
  httpServer = await startOtlpHttpServer({ endpoint: "127.0.0.1:0" }, consumer);
});
afterAll(async () => {
  await grpcServer.close();
  await httpServer.close();
});

/** Attributes as plain JS values, for deep comparison with what the SDK was given. */
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
    case "bytesValue":
      return Array.from(x.value);
    default:
      return undefined;
  }
}
function plainAttrs(kvs: KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(kvs.map((kv) => [kv.key, plain(kv.value)]));
}

const ATTRS = { "http.method": "GET", "http.status_code": 200, ratio: 0.25, cached: true, tags: ["a", "b"] };
const RESOURCE = { "service.name": "sdk-test", "deployment.environment": "ci", "host.count": 3 };

const transports = [
  {
    name: "gRPC",
    traces: () => new TracesGrpc({ url: `http://${grpcServer.address}` }),
    metrics: () => new MetricsGrpc({ url: `http://${grpcServer.address}` }),
    logs: () => new LogsGrpc({ url: `http://${grpcServer.address}` }),
  },
  {
    name: "HTTP/protobuf",
    traces: () => new TracesProto({ url: `http://127.0.0.1:${httpServer.port}/v1/traces` }),
    metrics: () => new MetricsProto({ url: `http://127.0.0.1:${httpServer.port}/v1/metrics` }),
    logs: () => new LogsProto({ url: `http://127.0.0.1:${httpServer.port}/v1/logs` }),
  },
  {
    name: "HTTP/JSON",
    traces: () => new TracesJson({ url: `http://127.0.0.1:${httpServer.port}/v1/traces` }),
    metrics: () => new MetricsJson({ url: `http://127.0.0.1:${httpServer.port}/v1/metrics` }),
    logs: () => new LogsJson({ url: `http://127.0.0.1:${httpServer.port}/v1/logs` }),
  },
];

describe("OpenTelemetry JS SDK exporters against our OTLP servers", () => {
  for (const t of transports) {
    test(`traces over ${t.name} arrive intact`, async () => {
      traces.length = 0;
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes(RESOURCE),
        spanProcessors: [new SimpleSpanProcessor(t.traces())],
      });
      const tracer = provider.getTracer("checkout", "1.2.3");
      const parent = tracer.startSpan("parent", { kind: SpanKind.SERVER, attributes: ATTRS });
      const ids = [parent.spanContext()];
      for (let i = 0; i < 4; i++) {
        const child = tracer.startSpan(`child-${i}`, { attributes: { i } });
        child.addEvent("cache miss", { key: `k${i}` });
        child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
        ids.push(child.spanContext());
        child.end();
      }
      parent.end();
      await provider.forceFlush();
      await waitFor(() => traces.reduce((n, b) => n + b.itemCount(), 0) >= 5, "5 spans");
      await provider.shutdown();

      const spans = traces.flatMap((b) => b.request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ s, rs, ss })))));
      expect(spans.length).toBe(5);
      for (const { rs, ss } of spans) {
        expect(plainAttrs(rs.resource!.attributes)).toMatchObject(RESOURCE);
        expect([ss.scope!.name, ss.scope!.version]).toEqual(["checkout", "1.2.3"]);
      }
      const p = spans.find((x) => x.s.name === "parent")!.s;
      expect(plainAttrs(p.attributes)).toEqual(ATTRS);
      expect(p.kind).toBe(2);
      expect(Buffer.from(p.traceId).toString("hex")).toBe(ids[0]!.traceId);
      expect(Buffer.from(p.spanId).toString("hex")).toBe(ids[0]!.spanId);
      const c = spans.find((x) => x.s.name === "child-2")!.s;
      expect(plainAttrs(c.attributes)).toEqual({ i: 2 });
      expect(c.events[0]!.name).toBe("cache miss");
      expect(plainAttrs(c.events[0]!.attributes)).toEqual({ key: "k2" });
      expect([c.status!.code, c.status!.message]).toEqual([2, "boom"]);
      expect(c.endTimeUnixNano).toBeGreaterThanOrEqual(c.startTimeUnixNano);
    }, 30_000);

    test(`metrics over ${t.name} arrive intact`, async () => {
      metrics.length = 0;
      const reader = new PeriodicExportingMetricReader({ exporter: t.metrics(), exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ resource: resourceFromAttributes(RESOURCE), readers: [reader] });
      const meter = provider.getMeter("billing", "0.1.0");
      const counter = meter.createCounter("requests_total", { unit: "1", description: "requests" });
      counter.add(3, { route: "/a" });
      counter.add(4, { route: "/b" });
      const hist = meter.createHistogram("latency", { unit: "ms" });
      hist.record(12, { route: "/a" });
      hist.record(80, { route: "/a" });
      await provider.forceFlush();
      await waitFor(() => metrics.length > 0, "a metrics export");
      await provider.shutdown();

      const rm = metrics[0]!.request.resourceMetrics[0]!;
      expect(plainAttrs(rm.resource!.attributes)).toMatchObject(RESOURCE);
      const sm = rm.scopeMetrics.find((s) => s.scope?.name === "billing")!;
      expect(sm.scope!.version).toBe("0.1.0");
      const sum = sm.metrics.find((m) => m.name === "requests_total")!;
      expect([sum.unit, sum.description]).toEqual(["1", "requests"]);
      if (sum.data.case !== "sum") throw new Error(`requests_total is ${sum.data.case}`);
      expect(sum.data.value.isMonotonic).toBe(true);
      const points = sum.data.value.dataPoints.map((p) => [plainAttrs(p.attributes), p.value.value]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(points).toEqual([
        [{ route: "/a" }, 3],
        [{ route: "/b" }, 4],
      ]);
      const h = sm.metrics.find((m) => m.name === "latency")!;
      if (h.data.case !== "histogram") throw new Error(`latency is ${h.data.case}`);
      const hp = h.data.value.dataPoints[0]!;
      expect([hp.count, hp.sum, hp.min, hp.max]).toEqual([2n, 92, 12, 80]);
      expect(hp.bucketCounts.reduce((a, b) => a + b, 0n)).toBe(2n);
      expect(metrics[0]!.itemCount()).toBe(3);
    }, 30_000);

    test(`logs over ${t.name} arrive intact`, async () => {
      logs.length = 0;
      const provider = new LoggerProvider({
        resource: resourceFromAttributes(RESOURCE),
        processors: [new SimpleLogRecordProcessor({ exporter: t.logs() })],
      });
      const logger = provider.getLogger("audit", "2.0.0");
      for (let i = 0; i < 3; i++) {
        logger.emit({ severityNumber: ApiSeverity.WARN, severityText: "WARN", body: `disk ${i} almost full`, attributes: { disk: i, mount: "/data" } });
      }
      await provider.forceFlush();
      await waitFor(() => logs.reduce((n, b) => n + b.itemCount(), 0) >= 3, "3 log records");
      await provider.shutdown();

      const records = logs.flatMap((b) => b.request.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({ r, rl, sl })))));
      expect(records.length).toBe(3);
      for (const { r, rl, sl } of records) {
        expect(plainAttrs(rl.resource!.attributes)).toMatchObject(RESOURCE);
        expect([sl.scope!.name, sl.scope!.version]).toEqual(["audit", "2.0.0"]);
        expect([r.severityNumber, r.severityText]).toEqual([13, "WARN"]);
      }
      const bodies = records.map(({ r }) => plain(r.body)).sort();
      expect(bodies).toEqual(["disk 0 almost full", "disk 1 almost full", "disk 2 almost full"]);
      expect(plainAttrs(records.find(({ r }) => plain(r.body) === "disk 1 almost full")!.r.attributes)).toEqual({ disk: 1, mount: "/data" });
    }, 30_000);
  }
});
