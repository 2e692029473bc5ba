import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { TracesBatch } from "../../../src/telemetry/otlp/batch.ts";
import { encodeExportRequest } from "../../../src/telemetry/otlp/codec.ts";
import { ConsumerError, type OtelConsumer } from "../../../src/telemetry/otlp/consumer.ts";
import { startOtlpGrpcServer, type OtlpServerHandle } from "../../../src/telemetry/otlp/grpc_server.ts";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  KeyValueSchema,
  RetryInfoSchema,
  RpcStatusSchema,
} from "../../../src/telemetry/otlp/pdata.ts";
import { grpcOutcome, RawGrpcClient } from "./grpc_raw_client.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";

const MiB = 1024 * 1024;
let spans = 0;
let last: TracesBatch | undefined;
let failWith: unknown;
const consumer: OtelConsumer = {
  async consumeTraces(b) {
    if (failWith) throw failWith;
    last = b;
    spans += b.itemCount();
    if (b.request.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name === "partial") return { rejected: 1, message: "one dropped" };
  },
  async consumeMetrics() {},
  async consumeLogs() {},
};

let server: OtlpServerHandle;
let client: RawGrpcClient;
beforeAll(async () => {
  server = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", includeMetadata: true }, consumer);
  client = new RawGrpcClient(server.address);
});
afterAll(async () => {
  client.close();
  await server.close();
});

/** A one-span request whose protobuf encoding is exactly `size` bytes. */
function requestOfSize(size: number): Uint8Array {
  const req = tracesRequest(1);
  const span = req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  const attr = { key: "pad", value: { value: { case: "stringValue" as const, value: "" } } };
  span.attributes.push(create(KeyValueSchema, attr));
  let pad = size - toBinary(ExportTraceServiceRequestSchema, req).length;
  // Length prefixes grow with the padding; converge on the exact size.
  for (let i = 0; i < 5; i++) {
    (span.attributes.at(-1)!.value!.value as { value: string }).value = "x".repeat(Math.max(0, pad));
    const now = toBinary(ExportTraceServiceRequestSchema, req).length;
    if (now === size) break;
    pad += size - now;
  }
  const bytes = toBinary(ExportTraceServiceRequestSchema, req);
  if (bytes.length !== size) throw new Error(`could not build a ${size}-byte request (got ${bytes.length})`);
  return bytes;
}

describe("OTLP/gRPC server with a @grpc/grpc-js client", () => {
  test("all three signals are accepted; traces arrive intact with their original bytes and metadata", async () => {
    const t = tracesRequest(3);
    const bytes = encodeExportRequest("traces", t, "protobuf");
    const res = await client.export("traces", bytes, { "x-scope-orgid": "tenant-1" });
    expect(fromBinary(ExportTraceServiceResponseSchema, res).partialSuccess).toBeUndefined();
    expect(equals(ExportTraceServiceRequestSchema, last!.request, t)).toBe(true);
    expect(Buffer.from(last!.encoded!).equals(Buffer.from(bytes))).toBe(true);
    expect(last!.client?.metadata?.get("x-scope-orgid")).toEqual(["tenant-1"]);
    await client.export("metrics", encodeExportRequest("metrics", metricsRequest(), "protobuf"));
    await client.export("logs", encodeExportRequest("logs", logsRequest(), "protobuf"));
  });

  test("bodies over 64 KiB and of exactly 4 MiB are received", async () => {
    for (const size of [64 * 1024 + 1, 300 * 1024, 4 * MiB]) {
      const body = requestOfSize(size);
      await client.export("traces", body);
      expect(last!.encoded!.length).toBe(size);
    }
  }, 30_000);

  test("a message assembled or inflated here is the batch's own; one left in the stream's chunk is not", async () => {
    const owned = async (c: RawGrpcClient, body: Uint8Array) => {
      await c.export("traces", body);
      const bytes = last!.encoded!;
      expect(bytes.length).toBeGreaterThan(0);
      last!.release();
      return bytes.length === 0;
    };
    // Over one DATA frame (16 KiB), the message arrives in several chunks.
    expect(await owned(client, requestOfSize(300 * 1024))).toBe(true);
    expect(await owned(client, encodeExportRequest("traces", tracesRequest(2), "protobuf"))).toBe(false);
    const gz = new RawGrpcClient(server.address, { "grpc.default_compression_algorithm": 2 });
    try {
      expect(await owned(gz, encodeExportRequest("traces", tracesRequest(50), "protobuf"))).toBe(true);
    } finally {
      gz.close();
    }
  }, 30_000);

  test("a message over max_recv_msg_size is RESOURCE_EXHAUSTED and the server stays up", async () => {
    const out = await grpcOutcome(client.export("traces", requestOfSize(4 * MiB + 1)));
    expect(out.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    await client.export("traces", encodeExportRequest("traces", tracesRequest(1), "protobuf"));
  }, 30_000);

  test("gzip-compressed messages are accepted", async () => {
    const gz = new RawGrpcClient(server.address, { "grpc.default_compression_algorithm": 2 });
    try {
      const before = spans;
      await gz.export("traces", encodeExportRequest("traces", tracesRequest(500), "protobuf"));
      expect(spans - before).toBe(500);
      // A highly compressible message larger than the limit once inflated is refused.
      const out = await grpcOutcome(gz.export("traces", requestOfSize(5 * MiB)));
      expect(out.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    } finally {
      gz.close();
    }
  }, 30_000);

  test("200 concurrent streams on one connection all succeed", async () => {
    const body = encodeExportRequest("traces", tracesRequest(10), "protobuf");
    const before = spans;
    await Promise.all(Array.from({ length: 200 }, () => client.export("traces", body)));
    expect(spans - before).toBe(2000);
  }, 30_000);

  test("garbage is refused as a non-retryable error and the server stays up", async () => {
    const truncated = await grpcOutcome(client.export("traces", new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1])));
    // A frame that is not protobuf at the top level fails in the gRPC codec, as grpc-go reports it.
    expect(truncated.code).toBe(GrpcStatus.INTERNAL);
    // Well-framed but invalid content (span field 1 holding a truncated message) is INVALID_ARGUMENT.
    const bad = await grpcOutcome(client.export("traces", new Uint8Array([0x0a, 0x03, 0x12, 0x05, 0x01])));
    expect(bad.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(bad.details).toContain("ExportTraceServiceRequest");
    await client.export("traces", encodeExportRequest("traces", tracesRequest(1), "protobuf"));
  });

  test("consumer errors map to INVALID_ARGUMENT, UNAVAILABLE and RESOURCE_EXHAUSTED with RetryInfo", async () => {
    const body = encodeExportRequest("traces", tracesRequest(1), "protobuf");
    try {
      failWith = ConsumerError.permanent("bad tenant");
      expect((await grpcOutcome(client.export("traces", body))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
      failWith = new Error("exporter queue full");
      const unavailable = await grpcOutcome(client.export("traces", body));
      expect(unavailable.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(unavailable.details).toBe("exporter queue full");
      failWith = ConsumerError.retryable("memory limit", { throttled: true, retryAfterSeconds: 3 });
      const throttled = await grpcOutcome(client.export("traces", body));
      expect(throttled.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      const details = throttled.metadata!.get("grpc-status-details-bin")[0] as Buffer;
      const st = fromBinary(RpcStatusSchema, details);
      expect(st.details[0]!.typeUrl).toContain("google.rpc.RetryInfo");
      expect(fromBinary(RetryInfoSchema, st.details[0]!.value).retryDelay?.seconds).toBe(3n);
    } finally {
      failWith = undefined;
    }
  });

  test("partial success is returned", async () => {
    const req = tracesRequest(2);
    req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = "partial";
    const res = fromBinary(ExportTraceServiceResponseSchema, await client.export("traces", encodeExportRequest("traces", req, "protobuf")));
    expect(res.partialSuccess?.rejectedSpans).toBe(1n);
    expect(res.partialSuccess?.errorMessage).toBe("one dropped");
  });

  test("soak: 100,000 spans in 1,000 requests with no errors", async () => {
    const body = encodeExportRequest("traces", tracesRequest(100), "protobuf");
    const before = spans;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 1000) {
          next++;
          await client.export("traces", body);
        }
      }),
    );
    expect(spans - before).toBe(100_000);
  }, 60_000);
});
