// OTLP benchmarks: codec speed and receiver throughput, in spans per second.
//
//   ./node_modules/.bin/bun scripts/bench/otlp-codecs.ts            codecs + gRPC/HTTP server throughput
//   ./node_modules/.bin/bun scripts/bench/otlp-codecs.ts --soak     also 1,000,000 spans in 10,000 gRPC requests
//
// Server throughput uses pre-encoded 100-span requests sent by client processes of their own
// (`--client ...` mode of this script), so the numbers are the server's, not the client's.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { decodeExportRequest, encodeExportRequest } from "../../src/telemetry/otlp/codec.ts";
import type { OtelConsumer } from "../../src/telemetry/otlp/consumer.ts";
import { OtlpGrpcClient } from "../../src/telemetry/otlp/grpc_client.ts";
import { startOtlpGrpcServer } from "../../src/telemetry/otlp/grpc_server.ts";
import { OtlpHttpClient } from "../../src/telemetry/otlp/http_client.ts";
import { startOtlpHttpServer } from "../../src/telemetry/otlp/http_server.ts";
import { scanExportRequest } from "../../src/telemetry/otlp/wire_scan.ts";
import { create } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest } from "../../src/telemetry/otlp/pdata.ts";

const SPANS_PER_REQUEST = 100;

const str = (key: string, value: string) => ({ key, value: { value: { case: "stringValue" as const, value } } });
const int = (key: string, value: number) => ({ key, value: { value: { case: "intValue" as const, value: BigInt(value) } } });

/** `spans` HTTP-server-like spans under one resource and scope (~200 bytes each). */
export function typicalTraces(spans: number, seed = 0): ExportTraceServiceRequest {
  const id = (n: number, s: number) => Uint8Array.from({ length: n }, (_, i) => (s * 131 + i * 17 + seed) & 0xff);
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", "checkout"), str("service.version", "1.4.2"), str("host.name", "node-17"), str("telemetry.sdk.language", "go")] },
        scopeSpans: [
          {
            scope: { name: "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", version: "0.49.0" },
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId: id(16, i),
              spanId: id(8, i + 7),
              parentSpanId: id(8, i + 3),
              name: "GET /api/cart/{id}",
              kind: 2,
              startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i * 1000),
              endTimeUnixNano: 1_700_000_000_002_000_000n + BigInt(i * 1000),
              attributes: [
                str("http.request.method", "GET"),
                str("url.path", `/api/cart/${i}`),
                int("http.response.status_code", 200),
                str("server.address", "cart.internal"),
                int("server.port", 8080),
              ],
              status: { code: 1 },
            })),
          },
        ],
      },
    ],
  });
}

interface ClientReport {
  sent: number;
  errors: number;
  firstError?: string;
  maxLatencyMs: number;
}

async function runClient(kind: "grpc" | "http", target: string, requests: number, concurrency: number): Promise<ClientReport> {
  const body = encodeExportRequest("traces", typicalTraces(SPANS_PER_REQUEST), "protobuf");
  const send =
    kind === "grpc"
      ? (() => {
          const c = new OtlpGrpcClient({ endpoint: target, insecure: true, compression: "none", timeoutMs: 60_000 });
          return { call: () => c.exportBytes("traces", body), close: () => c.close() };
        })()
      : (() => {
          const c = new OtlpHttpClient({ urls: { traces: target }, compression: "none", timeoutMs: 60_000 });
          return { call: () => c.exportBytes("traces", body), close: () => {} };
        })();
  const report: ClientReport = { sent: 0, errors: 0, maxLatencyMs: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const start = performance.now();
        try {
          await send.call();
          report.sent++;
        } catch (err) {
          report.errors++;
          report.firstError ??= (err as Error).message;
        }
        report.maxLatencyMs = Math.max(report.maxLatencyMs, performance.now() - start);
      }
    }),
  );
  send.close();
  return report;
}

function spawnClient(kind: "grpc" | "http", target: string, requests: number, concurrency: number): Promise<ClientReport> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [self, "--client", kind, target, String(requests), String(concurrency)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`client process exited with ${code}`));
      resolve(JSON.parse(out) as ClientReport);
    });
  });
}

function measure(name: string, spansPerOp: number, fn: () => unknown, minMs = 1500): void {
  for (let i = 0; i < 50; i++) fn();
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (let i = 0; i < 20; i++) fn();
    ops += 20;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`${name.padEnd(34)} ${Math.round((ops * spansPerOp) / seconds).toLocaleString("en-US").padStart(12)} spans/s`);
}

async function serverThroughput(kind: "grpc" | "http", requests: number, clients: number, concurrency: number) {
  let spans = 0;
  const consumer: OtelConsumer = {
    async consumeTraces(b) {
      spans += b.itemCount();
    },
  };
  const server =
    kind === "grpc"
      ? await startOtlpGrpcServer({ endpoint: "127.0.0.1:0" }, consumer)
      : await startOtlpHttpServer({ endpoint: "127.0.0.1:0" }, consumer);
  const target = kind === "grpc" ? server.address : `http://127.0.0.1:${server.port}/v1/traces`;
  const per = Math.ceil(requests / clients);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const reports = await Promise.all(Array.from({ length: clients }, () => spawnClient(kind, target, per, concurrency)));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const serverCpuSeconds = (used.user + used.system) / 1e6;
  await server.close();
  const errors = reports.reduce((n, r) => n + r.errors, 0);
  const maxLatency = Math.max(...reports.map((r) => r.maxLatencyMs));
  return { spans, seconds, serverCpuSeconds, errors, maxLatency, firstError: reports.find((r) => r.firstError)?.firstError };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--client") {
    const [, kind, target, requests, concurrency] = args;
    const report = await runClient(kind as "grpc" | "http", target!, Number(requests), Number(concurrency));
    process.stdout.write(JSON.stringify(report));
    return;
  }

  const req = typicalTraces(SPANS_PER_REQUEST);
  const pb = encodeExportRequest("traces", req, "protobuf");
  const json = encodeExportRequest("traces", req, "json");
  console.log(`request: ${SPANS_PER_REQUEST} spans, ${pb.length} bytes protobuf, ${json.length} bytes JSON`);
  measure("protobuf decode", SPANS_PER_REQUEST, () => decodeExportRequest("traces", pb, "protobuf"));
  measure("protobuf wire scan (receivers)", SPANS_PER_REQUEST, () => scanExportRequest("traces", pb));
  measure("protobuf encode", SPANS_PER_REQUEST, () => encodeExportRequest("traces", req, "protobuf"));
  measure("JSON decode", SPANS_PER_REQUEST, () => decodeExportRequest("traces", json, "json"));
  measure("JSON encode", SPANS_PER_REQUEST, () => encodeExportRequest("traces", req, "json"));

  for (const kind of ["grpc", "http"] as const) {
    const r = await serverThroughput(kind, 4000, 2, 16);
    console.log(
      `${`${kind === "grpc" ? "OTLP/gRPC" : "OTLP/HTTP"} server (100-span requests)`.padEnd(34)} ${Math.round(r.spans / r.seconds).toLocaleString("en-US").padStart(12)} spans/s` +
        `  (${r.spans} spans in ${r.seconds.toFixed(1)} s, server CPU ${r.serverCpuSeconds.toFixed(1)} s = ${Math.round(r.spans / r.serverCpuSeconds).toLocaleString("en-US")} spans per CPU-second, ${r.errors} errors, max latency ${r.maxLatency.toFixed(0)} ms)`,
    );
  }

  if (args.includes("--soak")) {
    const r = await serverThroughput("grpc", 10_000, 2, 16);
    const ok = r.errors === 0 && r.spans === 1_000_000;
    console.log(
      `soak: ${r.spans.toLocaleString("en-US")} spans in 10,000 gRPC requests, ${r.errors} errors, ${r.seconds.toFixed(1)} s, max latency ${r.maxLatency.toFixed(0)} ms: ${ok ? "PASS" : "FAIL"}`,
    );
    if (r.firstError) console.log(`first error: ${r.firstError}`);
    if (!ok) process.exitCode = 1;
  }
}

await main();
