import { afterEach, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { components } from "../../../src/components/index.ts";
import { ExportTraceServiceRequestSchema, OtlpGrpcClient, TracesBatch, type ExportError } from "../../../src/telemetry/otlp/index.ts";
import { limitsOf, residentBytes } from "../../../src/components/otelcol/processor/memory_limiter.ts";
import { testRuntime, type TestRuntime } from "../../runtime/helpers.ts";
import { freePort, OtlpSink, traces } from "./exporter_sink.ts";

let rt: TestRuntime | undefined;
let sink: OtlpSink | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  sink?.stop();
  sink = undefined;
});

const cfg = (h: number, g: number, limit: string, sinkUrl: string) => `
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${h}" }
  grpc { endpoint = "127.0.0.1:${g}" }
  output { traces = [otelcol.processor.memory_limiter.m.input] }
}
otelcol.processor.memory_limiter "m" {
  check_interval = "10ms"
  limit = "${limit}"
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" { client { endpoint = "${sinkUrl}" } }`;

test("above the soft limit data is refused with a retryable status (HTTP 503)", async () => {
  sink = new OtlpSink();
  const [h, g] = [freePort(), freePort()];
  rt = testRuntime({ extra: components });
  // Any running process uses more than 2 MiB, so the limiter refuses.
  const res = await rt.load([{ name: "main.alloy", text: cfg(h, g, "2MiB", sink.url) }]);
  expect(res.diagnostics).toEqual([]);
  const r = await fetch(`http://127.0.0.1:${h}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(2)) });
  expect(r.status).toBe(503);
  // Over gRPC the same refusal is UNAVAILABLE, which OTLP clients retry.
  const client = new OtlpGrpcClient({ endpoint: `127.0.0.1:${g}`, insecure: true });
  const err = await client.export(new TracesBatch(traces(1))).then(() => undefined, (e: ExportError) => e);
  client.close();
  expect(err?.grpcCode).toBe(14);
  expect(err?.retryable).toBe(true);
  expect(sink.spans()).toBe(0);
  expect(rt.logLines.some((l) => l.includes("Refusing data"))).toBe(true);
});

test("below the limit data passes", async () => {
  sink = new OtlpSink();
  const [h, g] = [freePort(), freePort()];
  rt = testRuntime({ extra: components });
  await rt.load([{ name: "main.alloy", text: cfg(h, g, "64GiB", sink.url) }]);
  const r = await fetch(`http://127.0.0.1:${h}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(2)) });
  expect(r.status).toBe(200);
});

test("limits: spike_limit defaults to 20% of limit; percentages use total memory", () => {
  const base = { check_interval: 1000, limit: 0, spike_limit: 0, limit_percentage: 0, spike_limit_percentage: 0, output: { traces: [], metrics: [], logs: [] }, debug_metrics: { disable_high_cardinality_metrics: true, level: "detailed" as const } };
  expect(limitsOf({ ...base, limit: 1000 })).toEqual({ hard: 1000, soft: 800 });
  expect(limitsOf({ ...base, limit: 1000, spike_limit: 100 })).toEqual({ hard: 1000, soft: 900 });
  expect(limitsOf({ ...base, limit_percentage: 50, spike_limit_percentage: 10 }, 1000)).toEqual({ hard: 500, soft: 400 });
  expect(residentBytes()).toBeGreaterThan(1 << 20);
});

test("check_interval is required and limits are validated", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `otelcol.processor.memory_limiter "m" {\n check_interval = "1s"\n output {}\n}` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("either limit or limit_percentage");
});

test("above the soft limit a garbage collection comes first, at most every 10 s; above the hard limit at every check", async () => {
  const { Registry } = await import("prom-client");
  const { default: def } = await import("../../../src/components/otelcol/processor/memory_limiter.ts");
  // Limits no real process reaches, so the check at construction (with the real measurement) does nothing.
  const GiB = 2 ** 30;
  const ctx = {
    id: "otelcol.processor.memory_limiter.t",
    registry: new Registry(),
    liveDebugging: { isActive: () => false, publish: () => {} },
    logger: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
    publish: () => {},
  };
  const args = { check_interval: 3_600_000, limit: 100 * GiB, spike_limit: 20 * GiB, limit_percentage: 0, spike_limit_percentage: 0, output: { traces: [], metrics: [], logs: [] }, debug_metrics: {} };
  const limiter = (await def.build(ctx as never, args as never)) as unknown as { measure: () => number; collectGarbage: () => void; check(): void; stop(): void; consumeTraces(b: unknown): Promise<unknown> };
  let used = 90 * GiB;
  let collections = 0;
  limiter.measure = () => used;
  limiter.collectGarbage = () => {
    collections++;
    used = 85 * GiB;
  };
  const refused = () => limiter.consumeTraces(new TracesBatch(traces(1))).then(() => false, () => true);
  try {
    // Above soft (80 GiB): one collection, still above: refused.
    limiter.check();
    expect(collections).toBe(1);
    expect(await refused()).toBe(true);
    // Within 10 s no second collection for the soft limit.
    used = 90 * GiB;
    limiter.check();
    expect(collections).toBe(1);
    // Above the hard limit: a collection at every check.
    used = 120 * GiB;
    limiter.check();
    used = 120 * GiB;
    limiter.check();
    expect(collections).toBe(3);
    used = 10 * GiB;
    limiter.check();
    expect(await refused()).toBe(false);
  } finally {
    limiter.stop();
  }
});
