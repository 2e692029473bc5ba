// Malformed OTLP/HTTP requests against the compiled binary: each gets the right 4xx and the
// process keeps serving.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import type { AlloyProcess } from "../binary/alloy_process.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/index.ts";
import { traces } from "../../components/otelcol/exporter_sink.ts";
import { canRunBinary, freePort, OtlpSink, startAlloy, stopAlloy } from "./harness.ts";

const sink = new OtlpSink();
const port = freePort();
let alloy: AlloyProcess | undefined;
const url = `http://127.0.0.1:${port}/v1/traces`;

beforeAll(async () => {
  if (!canRunBinary) return;
  alloy = await startAlloy(`
otelcol.receiver.otlp "in" {
  http {
    endpoint = "127.0.0.1:${port}"
    max_request_body_size = "1MiB"
  }
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" { client { endpoint = "${sink.url}" } }
`, [port]);
}, 180_000);

afterAll(async () => {
  await stopAlloy(alloy);
  sink.stop();
});

const proto = { "Content-Type": "application/x-protobuf" };

describe.skipIf(!canRunBinary)("OTLP/HTTP bad input against the binary", () => {
  test("garbage protobuf is 400", async () => {
    const r = await fetch(url, { method: "POST", headers: proto, body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]) });
    expect(r.status).toBe(400);
  });
  test("an unsupported content type is 415", async () => {
    const r = await fetch(url, { method: "POST", headers: { "Content-Type": "text/csv" }, body: "a,b" });
    expect(r.status).toBe(415);
  });
  test("bad JSON is 400", async () => {
    const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"resourceSpans": [' });
    expect(r.status).toBe(400);
  });
  test("a body over max_request_body_size is 413", async () => {
    const r = await fetch(url, { method: "POST", headers: proto, body: new Uint8Array(2 * 1024 * 1024) });
    expect(r.status).toBe(413);
  });
  test("truncated gzip is 400", async () => {
    const gz = Bun.gzipSync(toBinary(ExportTraceServiceRequestSchema, traces(50)));
    const r = await fetch(url, { method: "POST", headers: { ...proto, "Content-Encoding": "gzip" }, body: gz.subarray(0, Math.floor(gz.length / 2)) });
    expect(r.status).toBe(400);
  });
  test("GET is 405 and unknown paths 404", async () => {
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(`http://127.0.0.1:${port}/v1/nope`, { method: "POST", headers: proto, body: "" })).status).toBe(404);
  });
  test("after all that, a valid request still goes through", async () => {
    const r = await fetch(url, { method: "POST", headers: proto, body: toBinary(ExportTraceServiceRequestSchema, traces(3, "fine")) });
    expect(r.status).toBe(200);
    expect(alloy!.proc.exitCode).toBeNull();
  });
});
