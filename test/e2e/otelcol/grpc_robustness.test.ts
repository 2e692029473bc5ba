// @grpc/grpc-js against the compiled binary's OTLP/gRPC receiver: large and gzip requests,
// 200 concurrent streams, a soak (OTELCOL_SOAK_SPANS, default 100,000 spans in requests of
// 100) with zero errors and every span forwarded, and malformed input answered with a status.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { toBinary } from "@bufbuild/protobuf";
import type { AlloyProcess } from "../binary/alloy_process.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/index.ts";
import { traces } from "../../components/otelcol/exporter_sink.ts";
import { canRunBinary, eventually, freePort, OtlpSink, startAlloy, stopAlloy } from "./harness.ts";

const TRACE_EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
const sink = new OtlpSink();
const port = freePort();
let alloy: AlloyProcess | undefined;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  if (!canRunBinary) return;
  alloy = await startAlloy(`
otelcol.receiver.otlp "in" {
  grpc { endpoint = "127.0.0.1:${port}" }
  output { traces = [otelcol.processor.batch.b.input] }
}
otelcol.processor.batch "b" {
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" {
  client {
    endpoint = "${sink.url}"
    compression = "none"
  }
}
`, [port]);
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAlloy(alloy);
  sink.stop();
});

function client(options: grpc.ChannelOptions = {}): grpc.Client {
  const c = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": 64 << 20, ...options });
  clients.push(c);
  return c;
}

function exportRaw(c: grpc.Client, body: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    c.makeUnaryRequest(TRACE_EXPORT, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(body), (err, v) => (err ? reject(err) : resolve(v!))),
  );
}

function bigRequest(spans: number, nameBytes: number, prefix: string): Uint8Array {
  const req = traces(spans, prefix);
  const pad = "x".repeat(nameBytes);
  for (const s of req.resourceSpans[0]!.scopeSpans[0]!.spans) s.name = `${s.name}-${pad}`;
  return toBinary(ExportTraceServiceRequestSchema, req);
}

async function sinkSpans(prefix: string): Promise<number> {
  return sink.spanNames().filter((n) => n.startsWith(`${prefix}-`)).length;
}

describe.skipIf(!canRunBinary)("OTLP/gRPC receiver robustness (grpc-js against the binary)", () => {
  test("requests over 64 KiB and just under 4 MiB are accepted; over 4 MiB is RESOURCE_EXHAUSTED", async () => {
    const c = client();
    const mid = bigRequest(100, 1000, "mid");
    expect(mid.byteLength).toBeGreaterThan(64 * 1024);
    await exportRaw(c, mid);
    const large = bigRequest(1000, 4000, "large");
    expect(large.byteLength).toBeGreaterThan(3.5 * 2 ** 20);
    expect(large.byteLength).toBeLessThan(4 * 2 ** 20);
    await exportRaw(c, large);
    const huge = bigRequest(1100, 4000, "huge");
    expect(huge.byteLength).toBeGreaterThan(4 * 2 ** 20);
    const err = await exportRaw(c, huge).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await eventually(async () => ((await sinkSpans("mid")) === 100 && (await sinkSpans("large")) === 1000 ? true : undefined), "mid and large spans", 20_000);
    expect(await sinkSpans("huge")).toBe(0);
  }, 60_000);

  test("gzip-compressed requests are accepted", async () => {
    const c = client({ "grpc.default_compression_algorithm": 2 });
    await exportRaw(c, bigRequest(300, 500, "gz"));
    await eventually(async () => ((await sinkSpans("gz")) === 300 ? true : undefined), "gzip spans", 20_000);
  }, 60_000);

  test("200 concurrent streams on one connection all succeed", async () => {
    const c = client();
    const bodies = Array.from({ length: 200 }, (_, i) => toBinary(ExportTraceServiceRequestSchema, traces(10, `conc${i}`)));
    const results = await Promise.allSettled(bodies.map((b) => exportRaw(c, b)));
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    await eventually(async () => (sink.spanNames().filter((n) => n.startsWith("conc")).length === 2000 ? true : undefined), "2000 spans", 20_000);
  }, 60_000);

  test("soak: many 100-span requests with zero errors, every span forwarded", async () => {
    const total = Number(process.env.OTELCOL_SOAK_SPANS ?? 100_000);
    const requests = Math.ceil(total / 100);
    const body = toBinary(ExportTraceServiceRequestSchema, traces(100, "soak"));
    const c = client();
    sink.countOnly = true;
    let next = 0;
    let errors = 0;
    const worker = async () => {
      while (next < requests) {
        next++;
        await exportRaw(c, body).catch(() => errors++);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(errors).toBe(0);
    await eventually(async () => (sink.spansByPrefix.get("soak") === requests * 100 ? true : undefined), `${requests * 100} soak spans`, 120_000);
    sink.countOnly = false;
  }, 900_000);

  test("malformed input gets a non-retryable status and the process stays up", async () => {
    const c = client();
    // A length prefix past the end cannot be parsed at all: INTERNAL, as grpc-go answers unmarshal failures.
    const truncated = await exportRaw(c, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(truncated?.code).toBe(grpc.status.INTERNAL);
    // Well-framed but the wrong wire type for resource_spans: INVALID_ARGUMENT.
    const wrongType = await exportRaw(c, new Uint8Array([0x08, 0x01])).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(wrongType?.code).toBe(grpc.status.INVALID_ARGUMENT);
    await exportRaw(c, toBinary(ExportTraceServiceRequestSchema, traces(1, "after")));
    expect(alloy!.proc.exitCode).toBeNull();
  }, 60_000);
});
