import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { equals } from "@bufbuild/protobuf";
import { LogsBatch, MetricsBatch, TracesBatch, type AnyBatch } from "../../../src/telemetry/otlp/batch.ts";
import { encodeExportRequest } from "../../../src/telemetry/otlp/codec.ts";
import { ConsumerError, type OtelConsumer } from "../../../src/telemetry/otlp/consumer.ts";
import { ExportError } from "../../../src/telemetry/otlp/export_error.ts";
import { OtlpGrpcClient } from "../../../src/telemetry/otlp/grpc_client.ts";
import { startOtlpGrpcServer, type OtlpServerHandle } from "../../../src/telemetry/otlp/grpc_server.ts";
import { OtlpHttpClient, otlpHttpUrls, parseRetryAfter } from "../../../src/telemetry/otlp/http_client.ts";
import { startOtlpHttpServer, type OtlpHttpServerHandle } from "../../../src/telemetry/otlp/http_server.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/pdata.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";
import { makeTestCerts, type TestCerts } from "./tls_fixture.ts";

const got: AnyBatch[] = [];
let behaviour: "ok" | "permanent" | "retryable" | "throttled" | "partial" | "slow" = "ok";
/** A "slow" consumer holds its request until the test has seen the client give up. */
let releaseSlow: () => void = () => {};
const consumer: OtelConsumer = {
  consumeTraces: (b) => handle(b),
  consumeMetrics: (b) => handle(b),
  consumeLogs: (b) => handle(b),
};
async function handle(b: AnyBatch) {
  switch (behaviour) {
    case "permanent":
      throw ConsumerError.permanent("schema violation");
    case "retryable":
      throw ConsumerError.retryable("downstream unavailable");
    case "throttled":
      throw ConsumerError.retryable("over quota", { throttled: true, retryAfterSeconds: 2 });
    case "partial":
      got.push(b);
      return { rejected: 1, message: "1 item dropped" };
    case "slow":
      await new Promise<void>((r) => (releaseSlow = r));
  }
  got.push(b);
}

async function failure(p: Promise<unknown>): Promise<ExportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ExportError) return e;
    throw e;
  }
  throw new Error("expected the export to fail");
}

function withBytes<B extends AnyBatch>(b: B): B {
  return new (b.constructor as new (r: unknown, o: unknown) => B)(b.request, { encoded: b.toBinary() });
}

let certs: TestCerts;
let grpcServer: OtlpServerHandle;
let grpcTls: OtlpServerHandle;
let httpServer: OtlpHttpServerHandle;
let httpTls: OtlpHttpServerHandle;
beforeAll(async () => {
  certs = makeTestCerts();
  grpcServer = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", includeMetadata: true }, consumer);
  grpcTls = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", tls: { cert: certs.cert, key: certs.key } }, consumer);
  httpServer = await startOtlpHttpServer({ endpoint: "127.0.0.1:0", includeMetadata: true }, consumer);
  httpTls = await startOtlpHttpServer({ endpoint: "127.0.0.1:0", tls: { cert: certs.cert, key: certs.key } }, consumer);
});
afterAll(async () => {
  await Promise.all([grpcServer.close(), grpcTls.close(), httpServer.close(), httpTls.close()]);
});

describe("OtlpGrpcClient against the OTLP/gRPC server", () => {
  for (const compression of ["gzip", "zstd", "none"] as const) {
    test(`sends all signals (${compression}); unchanged batches go out as their original bytes`, async () => {
      const client = new OtlpGrpcClient({ endpoint: grpcServer.address, insecure: true, compression, headers: { "x-team": "blue" } });
      try {
        got.length = 0;
        const traces = withBytes(new TracesBatch(tracesRequest(5)));
        expect(await client.export(traces)).toEqual({ rejected: 0, message: "" });
        await client.export(new MetricsBatch(metricsRequest(2)));
        await client.export(new LogsBatch(logsRequest(3)));
        expect(got.map((b) => [b.signal, b.itemCount()])).toEqual([["traces", 5], ["metrics", 4], ["logs", 3]]);
        expect(Buffer.from(got[0]!.encoded!).equals(Buffer.from(traces.encoded!))).toBe(true);
        expect(equals(ExportTraceServiceRequestSchema, (got[0] as TracesBatch).request, traces.request)).toBe(true);
        expect(got[0]!.client?.metadata?.get("x-team")).toEqual(["blue"]);
      } finally {
        client.close();
      }
    });
  }

  test("classifies failures: INVALID_ARGUMENT permanent, UNAVAILABLE retryable, throttling with its delay", async () => {
    const client = new OtlpGrpcClient({ endpoint: `http://${grpcServer.address}` });
    const batch = new TracesBatch(tracesRequest(1));
    try {
      behaviour = "permanent";
      const perm = await failure(client.export(batch));
      expect(perm.permanent).toBe(true);
      expect(perm.message).toContain("schema violation");
      behaviour = "retryable";
      expect((await failure(client.export(batch))).retryable).toBe(true);
      behaviour = "throttled";
      const throttled = await failure(client.export(batch));
      expect(throttled.retryable).toBe(true);
      expect(throttled.retryAfterSeconds).toBe(2);
      behaviour = "partial";
      expect(await client.export(batch)).toEqual({ rejected: 1, message: "1 item dropped" });
      behaviour = "slow";
      const late = await failure(client.export(batch, { timeoutMs: 100 }));
      expect(late.retryable).toBe(true);
      expect(late.message).toContain("DeadlineExceeded");
    } finally {
      releaseSlow();
      behaviour = "ok";
      client.close();
    }
  });

  test("connects over TLS with a trusted CA and refuses an untrusted server", async () => {
    const good = new OtlpGrpcClient({ endpoint: `localhost:${grpcTls.port}`, tls: { ca: certs.ca } });
    const bad = new OtlpGrpcClient({ endpoint: `localhost:${grpcTls.port}`, timeoutMs: 2000 });
    try {
      await good.export(new TracesBatch(tracesRequest(1)));
      const err = await failure(bad.export(new TracesBatch(tracesRequest(1))));
      expect(err.message).toContain("OTLP/gRPC export");
    } finally {
      good.close();
      bad.close();
    }
  });

  test("an unreachable endpoint is a retryable failure", async () => {
    const client = new OtlpGrpcClient({ endpoint: "127.0.0.1:1", insecure: true, timeoutMs: 2000 });
    try {
      expect((await failure(client.export(new TracesBatch(tracesRequest(1))))).retryable).toBe(true);
    } finally {
      client.close();
    }
  });
});

describe("OtlpHttpClient against the OTLP/HTTP server", () => {
  for (const encoding of ["protobuf", "json"] as const) {
    for (const compression of ["gzip", "zstd", "deflate", "snappy", "none"] as const) {
      test(`sends all signals as ${encoding} (${compression})`, async () => {
        const client = new OtlpHttpClient({
          urls: otlpHttpUrls(`http://127.0.0.1:${httpServer.port}`),
          encoding,
          compression,
          headers: { "X-Team": "green" },
        });
        got.length = 0;
        const traces = withBytes(new TracesBatch(tracesRequest(4)));
        await client.export(traces);
        await client.export(new MetricsBatch(metricsRequest(1)));
        await client.export(new LogsBatch(logsRequest(2)));
        expect(got.map((b) => [b.signal, b.itemCount()])).toEqual([["traces", 4], ["metrics", 3], ["logs", 2]]);
        expect(equals(ExportTraceServiceRequestSchema, (got[0] as TracesBatch).request, traces.request)).toBe(true);
        expect(got[0]!.client?.metadata?.get("x-team")).toEqual(["green"]);
        if (encoding === "protobuf") expect(Buffer.from(got[0]!.encoded!).equals(Buffer.from(traces.encoded!))).toBe(true);
      });
    }
  }

  test("classifies responses: 400 permanent, 503 retryable, 429 with Retry-After, partial success", async () => {
    const client = new OtlpHttpClient({ urls: otlpHttpUrls(`http://127.0.0.1:${httpServer.port}`) });
    const batch = new LogsBatch(logsRequest(1));
    try {
      behaviour = "permanent";
      const perm = await failure(client.export(batch));
      expect([perm.permanent, perm.httpStatus]).toEqual([true, 400]);
      expect(perm.message).toContain("schema violation");
      behaviour = "retryable";
      const unavailable = await failure(client.export(batch));
      expect([unavailable.retryable, unavailable.httpStatus]).toEqual([true, 503]);
      behaviour = "throttled";
      const throttled = await failure(client.export(batch));
      expect([throttled.retryable, throttled.httpStatus, throttled.retryAfterSeconds]).toEqual([true, 429, 2]);
      behaviour = "partial";
      expect(await client.export(batch)).toEqual({ rejected: 1, message: "1 item dropped" });
    } finally {
      behaviour = "ok";
    }
    const wrongPath = new OtlpHttpClient({ urls: { logs: `http://127.0.0.1:${httpServer.port}/nope` } });
    expect((await failure(wrongPath.export(batch))).permanent).toBe(true);
    const down = new OtlpHttpClient({ urls: { logs: "http://127.0.0.1:1/v1/logs" } });
    expect((await failure(down.export(batch))).retryable).toBe(true);
  });

  test("TLS with a trusted CA", async () => {
    const client = new OtlpHttpClient({ urls: otlpHttpUrls(`https://localhost:${httpTls.port}`), tls: { ca: certs.ca } });
    got.length = 0;
    await client.export(new TracesBatch(tracesRequest(2)));
    expect(got[0]!.itemCount()).toBe(2);
  });

  test("Retry-After accepts seconds and HTTP dates", () => {
    expect(parseRetryAfter("30")).toBe(30);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(5);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  test("raw protobuf bytes can be forwarded as they are", async () => {
    const client = new OtlpHttpClient({ urls: otlpHttpUrls(`http://127.0.0.1:${httpServer.port}`), compression: "none" });
    got.length = 0;
    const bytes = encodeExportRequest("traces", tracesRequest(3), "protobuf");
    await client.exportBytes("traces", bytes);
    expect(Buffer.from(got[0]!.encoded!).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("server authentication hook", () => {
  const auth = async (headers: ReadonlyMap<string, readonly string[]>) => {
    if (headers.get("authorization")?.[0] !== "Bearer s3cret") throw new Error("missing or wrong bearer token");
  };

  test("OTLP/gRPC refuses unauthenticated requests with UNAUTHENTICATED", async () => {
    const server = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", auth }, consumer);
    const bad = new OtlpGrpcClient({ endpoint: server.address, insecure: true });
    const good = new OtlpGrpcClient({ endpoint: server.address, insecure: true, headers: { authorization: "Bearer s3cret" } });
    try {
      const err = await failure(bad.export(new TracesBatch(tracesRequest(1))));
      expect([err.grpcCode, err.permanent]).toEqual([16, true]);
      expect(err.message).toContain("wrong bearer token");
      got.length = 0;
      await good.export(new TracesBatch(tracesRequest(2)));
      expect(got[0]!.itemCount()).toBe(2);
    } finally {
      bad.close();
      good.close();
      await server.close();
    }
  });

  test("OTLP/HTTP refuses unauthenticated requests with 401", async () => {
    const server = await startOtlpHttpServer({ endpoint: "127.0.0.1:0", auth }, consumer);
    try {
      const urls = otlpHttpUrls(`http://127.0.0.1:${server.port}`);
      const err = await failure(new OtlpHttpClient({ urls }).export(new LogsBatch(logsRequest(1))));
      expect([err.httpStatus, err.permanent]).toEqual([401, true]);
      expect(err.message).toContain("wrong bearer token");
      got.length = 0;
      await new OtlpHttpClient({ urls, headers: { Authorization: "Bearer s3cret" } }).export(new LogsBatch(logsRequest(2)));
      expect(got[0]!.itemCount()).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe("a consumer without a signal", () => {
  const tracesOnly: OtelConsumer = { consumeTraces: async () => {} };

  test("OTLP/gRPC answers UNIMPLEMENTED for that signal (permanent for the client)", async () => {
    const server = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0" }, tracesOnly);
    const client = new OtlpGrpcClient({ endpoint: server.address, insecure: true });
    try {
      await client.export(new TracesBatch(tracesRequest(1)));
      const err = await failure(client.export(new LogsBatch(logsRequest(1))));
      expect([err.grpcCode, err.permanent]).toEqual([12, true]);
    } finally {
      client.close();
      await server.close();
    }
  });

  test("OTLP/HTTP answers 404 for that signal", async () => {
    const server = await startOtlpHttpServer({ endpoint: "127.0.0.1:0" }, tracesOnly);
    try {
      const client = new OtlpHttpClient({ urls: otlpHttpUrls(`http://127.0.0.1:${server.port}`) });
      await client.export(new TracesBatch(tracesRequest(1)));
      const err = await failure(client.export(new MetricsBatch(metricsRequest(1))));
      expect([err.httpStatus, err.permanent]).toEqual([404, true]);
    } finally {
      await server.close();
    }
  });
});

describe("starting servers", () => {
  test("an endpoint already in use is a clear error, not a crash", async () => {
    const first = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0" }, consumer);
    try {
      const grpcErr = await startOtlpGrpcServer({ endpoint: `127.0.0.1:${first.port}` }, consumer).then(
        () => "started",
        (e: Error) => e.message,
      );
      expect(grpcErr).toMatch(/in use|EADDRINUSE/i);
      const httpErr = await startOtlpHttpServer({ endpoint: `127.0.0.1:${first.port}` }, consumer).then(
        () => "started",
        (e: Error) => e.message,
      );
      expect(httpErr).toMatch(/in use|EADDRINUSE/i);
    } finally {
      await first.close();
    }
  });

  test("a malformed endpoint names what is accepted", async () => {
    const err = await startOtlpHttpServer({ endpoint: "localhost" }, consumer).then(
      () => "started",
      (e: Error) => e.message,
    );
    expect(err).toContain('invalid endpoint "localhost"');
  });
});
