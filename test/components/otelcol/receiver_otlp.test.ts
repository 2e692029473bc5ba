import { afterEach, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { components } from "../../../src/components/index.ts";
import {
  encodeExportRequest,
  ExportTraceServiceRequestSchema,
  OtlpGrpcClient,
  TracesBatch,
  type ExportTraceServiceRequest,
} from "../../../src/telemetry/otlp/index.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { freePort, logs, metrics, OtlpSink, traces } from "./exporter_sink.ts";

let rt: TestRuntime | undefined;
let sink: OtlpSink | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  sink?.stop();
  sink = undefined;
});

function pipeline(grpcPort: number, httpPort: number, sinkUrl: string, extra = ""): string {
  return `
otelcol.receiver.otlp "in" {
  grpc { endpoint = "127.0.0.1:${grpcPort}" }
  http { endpoint = "127.0.0.1:${httpPort}" }
  output {
    traces  = [otelcol.processor.batch.b.input]
    metrics = [otelcol.processor.batch.b.input]
    logs    = [otelcol.processor.batch.b.input]
  }
}
otelcol.processor.batch "b" {
  timeout = "20ms"
  output {
    traces  = [otelcol.exporter.otlphttp.out.input]
    metrics = [otelcol.exporter.otlphttp.out.input]
    logs    = [otelcol.exporter.otlphttp.out.input]
  }
}
otelcol.exporter.otlphttp "out" {
  client { endpoint = "${sinkUrl}" }
  retry_on_failure { initial_interval = "10ms" }
}
${extra}`;
}

test("traces, metrics and logs sent over gRPC, HTTP/protobuf and HTTP/JSON arrive intact at the next hop", async () => {
  sink = new OtlpSink();
  const [g, h] = [freePort(), freePort()];
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: pipeline(g, h, sink.url) }]);
  expect(res.diagnostics).toEqual([]);

  const sent = traces(5, "grpc");
  const client = new OtlpGrpcClient({ endpoint: `127.0.0.1:${g}`, insecure: true });
  await client.export(new TracesBatch(sent));
  client.close();

  const proto = await fetch(`http://127.0.0.1:${h}/v1/traces`, {
    method: "POST",
    headers: { "Content-Type": "application/x-protobuf" },
    body: toBinary(ExportTraceServiceRequestSchema, traces(3, "proto")),
  });
  expect(proto.status).toBe(200);
  const json = await fetch(`http://127.0.0.1:${h}/v1/logs`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: encodeExportRequest("logs", logs(4), "json"),
  });
  expect(json.status).toBe(200);
  const m = await fetch(`http://127.0.0.1:${h}/v1/metrics`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: encodeExportRequest("metrics", metrics(6), "json"),
  });
  expect(m.status).toBe(200);

  await waitFor(() => sink!.spans() === 8 && sink!.received.some((r) => r.signal === "logs") && sink!.received.some((r) => r.signal === "metrics"), 5000, "all data at the sink");
  const grpcSpans = sink.received
    .filter((r) => r.signal === "traces")
    .flatMap((r) => (r.request as ExportTraceServiceRequest).resourceSpans)
    .flatMap((rs) => rs.scopeSpans.map((ss) => ({ rs, ss })))
    .filter(({ ss }) => ss.spans.some((s) => s.name.startsWith("grpc")));
  expect(grpcSpans.length).toBe(1);
  expect(grpcSpans[0]!.rs.resource).toEqual(sent.resourceSpans[0]!.resource);
  expect(grpcSpans[0]!.ss.scope).toEqual(sent.resourceSpans[0]!.scopeSpans[0]!.scope);
  expect(grpcSpans[0]!.ss.spans).toEqual(sent.resourceSpans[0]!.scopeSpans[0]!.spans);

  const metricsText = await rt.env.hub.metrics();
  expect(metricsText).toMatch(/otelcol_receiver_accepted_spans_total\{[^}]*receiver="otlp"[^}]*transport="grpc"[^}]*\} 5/);
  expect(metricsText).toMatch(/otelcol_receiver_accepted_spans_total\{[^}]*transport="http"[^}]*\} 3/);
  await waitFor(async () => /otelcol_exporter_sent_spans_total\{[^}]*\} 8/.test(await rt!.env.hub.metrics()), 3000, "sent spans metric");
});

test("bad input gets 4xx answers and the receiver keeps serving", async () => {
  sink = new OtlpSink();
  const [g, h] = [freePort(), freePort()];
  rt = testRuntime({ extra: components });
  await rt.load([{ name: "main.alloy", text: pipeline(g, h, sink.url) }]);
  const url = `http://127.0.0.1:${h}/v1/traces`;
  const garbage = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: new Uint8Array([0xff, 0xff, 0xff, 0x01]) });
  expect(garbage.status).toBe(400);
  const wrongType = await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hello" });
  expect(wrongType.status).toBe(415);
  const badJson = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{not json" });
  expect(badJson.status).toBe(400);
  const gz = Bun.gzipSync(toBinary(ExportTraceServiceRequestSchema, traces(10)));
  const truncated = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" }, body: gz.subarray(0, gz.length - 8) });
  expect(truncated.status).toBe(400);
  const ok = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(2)) });
  expect(ok.status).toBe(200);
});

test("a receiver with bearer auth refuses requests without the token; an exporter with it gets through", async () => {
  sink = new OtlpSink();
  const [h1, h2, g] = [freePort(), freePort(), freePort()];
  rt = testRuntime({ extra: components });
  const res = await rt.load([{
    name: "main.alloy",
    text: `
otelcol.auth.bearer "t" { token = "s3cret" }
otelcol.receiver.otlp "front" {
  http { endpoint = "127.0.0.1:${h1}" }
  output { traces = [otelcol.exporter.otlphttp.hop.input] }
}
otelcol.exporter.otlphttp "hop" {
  client {
    endpoint = "http://127.0.0.1:${h2}"
    auth = otelcol.auth.bearer.t.handler
  }
}
otelcol.receiver.otlp "guarded" {
  http {
    endpoint = "127.0.0.1:${h2}"
    auth = otelcol.auth.bearer.t.handler
  }
  grpc { endpoint = "127.0.0.1:${g}" }
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" { client { endpoint = "${sink.url}" } }
`,
  }]);
  expect(res.diagnostics).toEqual([]);
  const body = toBinary(ExportTraceServiceRequestSchema, traces(2));
  const denied = await fetch(`http://127.0.0.1:${h2}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body });
  expect(denied.status).toBe(401);
  const wrong = await fetch(`http://127.0.0.1:${h2}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf", Authorization: "Bearer nope" }, body });
  expect(wrong.status).toBe(401);
  const via = await fetch(`http://127.0.0.1:${h1}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body });
  expect(via.status).toBe(200);
  await waitFor(() => sink!.spans() === 2, 5000, "spans through the guarded receiver");
});

test("changing the http block restarts the listener on the new endpoint", async () => {
  sink = new OtlpSink();
  const [h1, h2] = [freePort(), freePort()];
  rt = testRuntime({ extra: components });
  const cfg = (port: number) => `
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${port}" }
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" { client { endpoint = "${sink!.url}" } }`;
  await rt.load([{ name: "main.alloy", text: cfg(h1) }]);
  const body = toBinary(ExportTraceServiceRequestSchema, traces(1));
  expect((await fetch(`http://127.0.0.1:${h1}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body })).status).toBe(200);
  await rt.load([{ name: "main.alloy", text: cfg(h2) }]);
  expect((await fetch(`http://127.0.0.1:${h2}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body })).status).toBe(200);
  await expect(fetch(`http://127.0.0.1:${h1}/v1/traces`, { method: "POST", body })).rejects.toThrow();
});

test("a config with neither grpc nor http is refused", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `otelcol.receiver.otlp "in" { output {} }` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("at least one of the grpc or http blocks");
});
