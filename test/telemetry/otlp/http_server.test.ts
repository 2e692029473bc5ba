import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { equals, fromBinary } from "@bufbuild/protobuf";
import zlib from "node:zlib";
import { LogsBatch, MetricsBatch, TracesBatch } from "../../../src/telemetry/otlp/batch.ts";
import { decodeExportResponse, encodeExportRequest } from "../../../src/telemetry/otlp/codec.ts";
import { ConsumerError, type OtelConsumer } from "../../../src/telemetry/otlp/consumer.ts";
import { startOtlpHttpServer, type OtlpHttpServerHandle } from "../../../src/telemetry/otlp/http_server.ts";
import { ExportTraceServiceRequestSchema, RpcStatusSchema } from "../../../src/telemetry/otlp/pdata.ts";
import { partialSuccessOf } from "../../../src/telemetry/otlp/response.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";

const received: { traces: TracesBatch[]; metrics: MetricsBatch[]; logs: LogsBatch[] } = { traces: [], metrics: [], logs: [] };
let failWith: unknown;
const consumer: OtelConsumer = {
  async consumeTraces(b) {
    if (failWith) throw failWith;
    received.traces.push(b);
    if (b.itemCount() === 7) return { rejected: 2, message: "2 spans too old" };
  },
  async consumeMetrics(b) {
    received.metrics.push(b);
  },
  async consumeLogs(b) {
    received.logs.push(b);
  },
};

let server: OtlpHttpServerHandle;
let base: string;
beforeAll(async () => {
  server = await startOtlpHttpServer(
    {
      endpoint: "127.0.0.1:0",
      maxRequestBodySize: 1 << 20,
      includeMetadata: true,
      cors: { allowedOrigins: ["https://*.example.com", "http://localhost:3000"], allowedHeaders: ["X-Custom"], maxAge: 600 },
    },
    consumer,
  );
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

function post(path: string, body: BodyInit, headers: Record<string, string>) {
  return fetch(base + path, { method: "POST", body, headers });
}

describe("OTLP/HTTP server", () => {
  test("protobuf traces, metrics and logs arrive intact with their original bytes", async () => {
    const t = tracesRequest(3);
    const bytes = encodeExportRequest("traces", t, "protobuf");
    const res = await post("/v1/traces", bytes, { "Content-Type": "application/x-protobuf", "X-Tenant": "a" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const batch = received.traces.at(-1)!;
    expect(equals(ExportTraceServiceRequestSchema, batch.request, t)).toBe(true);
    expect(Buffer.from(batch.encoded!).equals(Buffer.from(bytes))).toBe(true);
    expect(batch.client?.metadata?.get("x-tenant")).toEqual(["a"]);
    expect(batch.client?.address).toMatch(/^127\.0\.0\.1:\d+$/);

    expect((await post("/v1/metrics", encodeExportRequest("metrics", metricsRequest(4), "protobuf"), { "Content-Type": "application/x-protobuf" })).status).toBe(200);
    expect(received.metrics.at(-1)!.itemCount()).toBe(6);
    expect((await post("/v1/logs", encodeExportRequest("logs", logsRequest(5), "protobuf"), { "Content-Type": "application/x-protobuf" })).status).toBe(200);
    expect(received.logs.at(-1)!.itemCount()).toBe(5);
  });

  test("JSON requests get JSON responses and no protobuf bytes on the batch", async () => {
    const res = await post("/v1/traces", encodeExportRequest("traces", tracesRequest(2), "json"), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({});
    expect(received.traces.at(-1)!.encoded).toBeUndefined();
    expect(received.traces.at(-1)!.itemCount()).toBe(2);
  });

  test("gzip bodies are accepted", async () => {
    const body = zlib.gzipSync(encodeExportRequest("traces", tracesRequest(4), "protobuf"));
    const res = await post("/v1/traces", body, { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(received.traces.at(-1)!.itemCount()).toBe(4);
  });

  test("a received body is handed on as the batch's own, plain or inflated, so releasing the batch frees it", async () => {
    const bytes = encodeExportRequest("traces", tracesRequest(2), "protobuf");
    // Without a Content-Length the body arrives in chunks.
    const streamed = () => new ReadableStream({ start: (c) => (c.enqueue(bytes.subarray(0, 10)), c.enqueue(bytes.subarray(10)), c.close()) });
    for (const [body, headers] of [
      [bytes, {}],
      [zlib.gzipSync(bytes), { "Content-Encoding": "gzip" }],
      [streamed(), {}],
    ] as const) {
      expect((await post("/v1/traces", body, { "Content-Type": "application/x-protobuf", ...headers })).status).toBe(200);
      const batch = received.traces.at(-1)!;
      const bytes = batch.encoded!;
      expect(bytes.byteLength).toBeGreaterThan(0);
      batch.release();
      expect(bytes.byteLength).toBe(0);
    }
  });

  test("partial success is returned in the response body", async () => {
    const res = await post("/v1/traces", encodeExportRequest("traces", tracesRequest(7), "json"), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    const body = decodeExportResponse("traces", new Uint8Array(await res.arrayBuffer()), "json");
    expect(partialSuccessOf(body)).toEqual({ rejected: 2, message: "2 spans too old" });
  });

  test("bad payloads get 400 with a google.rpc.Status in the request's encoding", async () => {
    const garbage = await post("/v1/traces", new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1]), { "Content-Type": "application/x-protobuf" });
    expect(garbage.status).toBe(400);
    const status = fromBinary(RpcStatusSchema, new Uint8Array(await garbage.arrayBuffer()));
    expect(status.code).toBe(3);
    expect(status.message).toContain("ExportTraceServiceRequest");

    const badJson = await post("/v1/logs", "{oops", { "Content-Type": "application/json" });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { message: string }).message).toContain("invalid JSON");

    const gz = zlib.gzipSync(encodeExportRequest("traces", tracesRequest(50), "protobuf"));
    const truncated = await post("/v1/traces", gz.subarray(0, gz.length - 20), { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" });
    expect(truncated.status).toBe(400);
  });

  test("wrong content type is 415, wrong method 405, unknown path 404", async () => {
    expect((await post("/v1/traces", "x", { "Content-Type": "text/plain" })).status).toBe(415);
    expect((await fetch(base + "/v1/traces")).status).toBe(405);
    expect((await post("/v1/nope", "x", { "Content-Type": "application/json" })).status).toBe(404);
  });

  test("oversized bodies get 413, compressed or not", async () => {
    const big = new Uint8Array(2 << 20);
    expect((await post("/v1/traces", big, { "Content-Type": "application/x-protobuf" })).status).toBe(413);
    const bomb = zlib.gzipSync(new Uint8Array(64 << 20));
    expect((await post("/v1/traces", bomb, { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" })).status).toBe(413);
  });

  test("consumer errors map to 400, 503 and 429 with Retry-After", async () => {
    const body = encodeExportRequest("traces", tracesRequest(1), "protobuf");
    const h = { "Content-Type": "application/x-protobuf" };
    try {
      failWith = ConsumerError.permanent("rejected by policy");
      expect((await post("/v1/traces", body, h)).status).toBe(400);
      failWith = new Error("queue full");
      const unavailable = await post("/v1/traces", body, h);
      expect(unavailable.status).toBe(503);
      expect(fromBinary(RpcStatusSchema, new Uint8Array(await unavailable.arrayBuffer())).message).toBe("queue full");
      failWith = ConsumerError.retryable("slow down", { throttled: true, retryAfterSeconds: 7 });
      const throttled = await post("/v1/traces", body, h);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("7");
    } finally {
      failWith = undefined;
    }
    expect((await post("/v1/traces", body, h)).status).toBe(200);
  });

  test("CORS preflight allows matching origins and requested headers", async () => {
    const ok = await fetch(base + "/v1/traces", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, x-custom" },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(ok.headers.get("access-control-allow-headers")).toBe("content-type, x-custom");
    expect(ok.headers.get("access-control-max-age")).toBe("600");

    const denied = await fetch(base + "/v1/traces", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.com", "Access-Control-Request-Method": "POST" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();

    const actual = await post("/v1/traces", encodeExportRequest("traces", tracesRequest(1), "json"), {
      "Content-Type": "application/json",
      Origin: "http://localhost:3000",
    });
    expect(actual.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });
});

describe("closing the OTLP/HTTP server", () => {
  test("a request in flight when close() is called still gets its answer", async () => {
    const { waitFor } = await import("./fixtures.ts");
    let release: () => void = () => {};
    let started = false;
    const slow: OtelConsumer = {
      consumeTraces: () =>
        new Promise<void>((resolve) => {
          started = true;
          release = resolve;
        }),
    };
    const s = await startOtlpHttpServer({ endpoint: "127.0.0.1:0" }, slow);
    const pending = fetch(`http://127.0.0.1:${s.port}/v1/traces`, {
      method: "POST",
      body: encodeExportRequest("traces", tracesRequest(1), "protobuf"),
      headers: { "Content-Type": "application/x-protobuf" },
    });
    await waitFor(() => started, "the consumer to be called");
    const closing = s.close();
    release();
    expect((await pending).status).toBe(200);
    await closing;
  });
});
