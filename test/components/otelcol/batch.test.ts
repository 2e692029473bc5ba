import { afterEach, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { components } from "../../../src/components/index.ts";
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest, type OtelConsumer, type TracesBatch } from "../../../src/telemetry/otlp/index.ts";
import { takeItems } from "../../../src/components/otelcol/processor/batch_split.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { freePort, metrics, OtlpSink, traces } from "./exporter_sink.ts";

let rt: TestRuntime | undefined;
let sink: OtlpSink | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  sink?.stop();
  sink = undefined;
});

async function start(batchArgs: string, headersToSend: Record<string, string>[] = []): Promise<number> {
  sink = new OtlpSink();
  const h = freePort();
  rt = testRuntime({ extra: components });
  const res = await rt.load([{
    name: "main.alloy",
    text: `
otelcol.receiver.otlp "in" {
  http {
    endpoint = "127.0.0.1:${h}"
    include_metadata = true
  }
  output { traces = [otelcol.processor.batch.b.input] }
}
otelcol.processor.batch "b" {
  ${batchArgs}
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" {
  client { endpoint = "${sink.url}" }
  sending_queue { num_consumers = 1 }
}`,
  }]);
  expect(res.diagnostics).toEqual([]);
  void headersToSend;
  return h;
}

async function post(port: number, req: ExportTraceServiceRequest, headers: Record<string, string> = {}): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf", ...headers }, body: toBinary(ExportTraceServiceRequestSchema, req) });
  return r.status;
}

test("batches reach send_batch_size at once and are split at send_batch_max_size", async () => {
  const h = await start(`timeout = "1h"\n  send_batch_size = 10\n  send_batch_max_size = 10`);
  expect(await post(h, traces(25, "a"))).toBe(200);
  await waitFor(() => sink!.spans() === 20, 3000, "two full batches");
  expect(sink!.received.map((r) => (r.request as ExportTraceServiceRequest).resourceSpans[0]!.scopeSpans[0]!.spans.length)).toEqual([10, 10]);
  // The rest waits for the timeout (an hour here) or for more items.
  expect(await post(h, traces(5, "b"))).toBe(200);
  await waitFor(() => sink!.spans() === 30, 3000, "third batch");
  expect(sink!.spanNames().slice(0, 25)).toEqual(Array.from({ length: 25 }, (_, i) => `a-${i}`));
});

test("a partial batch is sent when the timeout passes", async () => {
  const h = await start(`timeout = "50ms"\n  send_batch_size = 1000`);
  const t0 = Date.now();
  expect(await post(h, traces(3))).toBe(200);
  await waitFor(() => sink!.spans() === 3, 3000, "timeout flush");
  expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
  const m = await rt!.env.hub.metrics();
  expect(m).toMatch(/otelcol_processor_batch_timeout_trigger_send_total\{[^}]*\} 1/);
});

test("with metadata_keys, batches hold one tenant each", async () => {
  const h = await start(`timeout = "50ms"\n  metadata_keys = ["x-tenant"]`);
  expect(await post(h, traces(2, "a"), { "X-Tenant": "a" })).toBe(200);
  expect(await post(h, traces(3, "b"), { "X-Tenant": "b" })).toBe(200);
  expect(await post(h, traces(1, "a2"), { "X-Tenant": "a" })).toBe(200);
  await waitFor(() => sink!.spans() === 6, 3000, "both tenants");
  const groups = sink!.received.map((r) => (r.request as ExportTraceServiceRequest).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name[0]))).join(""));
  expect(groups.sort()).toEqual(["aaa", "bbb"]);
});

test("send_batch_max_size below send_batch_size is refused", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `otelcol.processor.batch "b" {\n send_batch_size = 10\n send_batch_max_size = 5\n output {}\n}` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("send_batch_max_size must be greater or equal to send_batch_size");
});

test("splitting metrics keeps every data point once, with its metric and resource", () => {
  const req = metrics(7);
  const entries = [...req.resourceMetrics];
  const first = takeItems("metrics", entries, 3);
  const second = takeItems("metrics", entries, 3);
  const third = takeItems("metrics", entries, 3);
  const points = [first, second, third].map((part) =>
    part.flatMap((rm) => (rm as typeof req.resourceMetrics[0]).scopeMetrics.flatMap((sm) => sm.metrics.flatMap((m) => (m.data.case === "sum" ? m.data.value.dataPoints.map((p) => p.value.value) : [])))),
  );
  expect(points).toEqual([[0n, 1n, 2n], [3n, 4n, 5n], [6n]]);
  expect(entries).toEqual([]);
  expect((first[0] as typeof req.resourceMetrics[0]).resource).toEqual(req.resourceMetrics[0]!.resource);
});

test("merged whole requests carry the concatenated original bytes, which decode to the merged request", async () => {
  const { Registry } = await import("prom-client");
  const { default: def } = await import("../../../src/components/otelcol/processor/batch.ts");
  const { TracesBatch, fromBinaryExport } = await loadOtlp();
  const got: InstanceType<typeof TracesBatch>[] = [];
  const capture = { consumeTraces: async (b: InstanceType<typeof TracesBatch>) => void got.push(b) };
  let input: { consumeTraces(b: InstanceType<typeof TracesBatch>): Promise<unknown> } | undefined;
  const ctx = {
    id: "otelcol.processor.batch.t",
    registry: new Registry(),
    liveDebugging: { isActive: () => false, publish: () => {} },
    logger: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
    publish: (e: { input: typeof input }) => (input = e.input),
  };
  const args = { timeout: 3_600_000, send_batch_size: 5, send_batch_max_size: 0, metadata_keys: [], metadata_cardinality_limit: 1000, output: { traces: [capture], metrics: [], logs: [] }, debug_metrics: {} };
  const inst = await def.build(ctx as never, args as never);
  const a = traces(2, "a");
  const b = traces(3, "b", "other");
  await input!.consumeTraces(new TracesBatch(a, { encoded: toBinary(ExportTraceServiceRequestSchema, a) }));
  await input!.consumeTraces(new TracesBatch(b, { encoded: toBinary(ExportTraceServiceRequestSchema, b) }));
  await waitFor(() => got.length === 1, 2000, "one merged batch");
  const merged = got[0]!;
  expect(merged.encoded).toBeDefined();
  const decoded = fromBinaryExport(merged.encoded!);
  expect(decoded.resourceSpans).toEqual([...a.resourceSpans, ...b.resourceSpans]);
  expect(merged.request.resourceSpans).toEqual(decoded.resourceSpans);
  await inst.stop?.();
});

test("requests received as bytes stay undecoded through batching unless a split needs them; mixed parts keep their order", async () => {
  const { Registry } = await import("prom-client");
  const { default: def } = await import("../../../src/components/otelcol/processor/batch.ts");
  const otlp = await import("../../../src/telemetry/otlp/index.ts");
  const got: import("../../../src/telemetry/otlp/index.ts").AnyBatch[] = [];
  let input: { consumeTraces(b: unknown): Promise<unknown> } | undefined;
  const ctx = () => ({
    id: "otelcol.processor.batch.t",
    registry: new Registry(),
    liveDebugging: { isActive: () => false, publish: () => {} },
    logger: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
    publish: (e: { input: typeof input }) => (input = e.input),
  });
  const args = (size: number, max: number) => ({ timeout: 3_600_000, send_batch_size: size, send_batch_max_size: max, metadata_keys: [], metadata_cardinality_limit: 1000, output: { traces: [{ consumeTraces: async (b: never) => void got.push(b) }], metrics: [], logs: [] }, debug_metrics: {} });
  const bytes = (r: ExportTraceServiceRequest) => toBinary(ExportTraceServiceRequestSchema, r);
  const names = (b: import("../../../src/telemetry/otlp/index.ts").AnyBatch) => (b.request as ExportTraceServiceRequest).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.name)));

  const whole = await def.build(ctx() as never, args(5, 0) as never);
  await input!.consumeTraces(otlp.encodedBatch("traces", bytes(traces(2, "a"))));
  await input!.consumeTraces(otlp.encodedBatch("traces", bytes(traces(3, "b"))));
  await waitFor(() => got.length === 1, 2000, "one merged batch");
  expect(got[0]!.isDecoded).toBe(false);
  expect(got[0]!.itemCount()).toBe(5);
  expect(Buffer.from(got[0]!.encoded!).equals(Buffer.concat([bytes(traces(2, "a")), bytes(traces(3, "b"))]))).toBe(true);
  await whole.stop?.();

  got.length = 0;
  const split = await def.build(ctx() as never, args(5, 4) as never);
  await input!.consumeTraces(otlp.encodedBatch("traces", bytes(traces(2, "c"))));
  await input!.consumeTraces(new otlp.TracesBatch(traces(2, "d")));
  await input!.consumeTraces(otlp.encodedBatch("traces", bytes(traces(3, "e"))));
  await split.stop?.();
  expect(got.map((b) => b.itemCount())).toEqual([4, 3]);
  expect(got.flatMap(names)).toEqual(["c-0", "c-1", "d-0", "d-1", "e-0", "e-1", "e-2"]);
});

async function loadOtlp() {
  const otlp = await import("../../../src/telemetry/otlp/index.ts");
  const { fromBinary } = await import("@bufbuild/protobuf");
  return { TracesBatch: otlp.TracesBatch, fromBinaryExport: (b: Uint8Array) => fromBinary(otlp.ExportTraceServiceRequestSchema, b) };
}

test("each received request's buffer is freed once copied, and the batch sent on owns its buffer", async () => {
  const { default: definition } = await import("../../../src/components/otelcol/processor/batch.ts");
  const { Registry } = await import("prom-client");
  const { Logger, LogSettings } = await import("../../../src/runtime/logger.ts");
  const { encodedBatch } = await import("../../../src/telemetry/otlp/batch.ts");
  const sent: TracesBatch[] = [];
  const next: OtelConsumer = { consumeTraces: async (b) => void sent.push(b) };
  let input: OtelConsumer | undefined;
  const ctx = {
    id: "otelcol.processor.batch.b",
    logger: new Logger(new LogSettings(() => {})),
    registry: new Registry(),
    liveDebugging: { isActive: () => false, publish: () => {} },
    publish: (e: { input: OtelConsumer }) => void (input = e.input),
  } as unknown as Parameters<typeof definition.build>[0];
  const args = {
    timeout: 3_600_000,
    send_batch_size: 4,
    send_batch_max_size: 0,
    metadata_keys: [],
    metadata_cardinality_limit: 1000,
    output: { traces: [next], metrics: [], logs: [] },
    debug_metrics: { disable_high_cardinality_metrics: true, level: "detailed" },
  };
  const proc = await definition.build(ctx, args);
  const bodies = [0, 1].map((i) => toBinary(ExportTraceServiceRequestSchema, traces(2, `r${i}`)));
  for (const body of bodies) await input!.consumeTraces!(encodedBatch("traces", body).ownBytes() as TracesBatch);
  // Both requests were copied into the batch, so their own buffers are gone already.
  expect(bodies.map((b) => b.byteLength)).toEqual([0, 0]);
  await waitFor(() => sent.length === 1, 3000, "the batch of four spans");
  const out = sent[0]!;
  const outBytes = out.encoded!;
  expect(out.request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)))).toEqual(["r0-0", "r0-1", "r1-0", "r1-1"]);
  out.release();
  expect(outBytes.byteLength).toBe(0);

  // A request someone already decoded is kept as it is, so its bytes stay.
  const decoded = encodedBatch("traces", toBinary(ExportTraceServiceRequestSchema, traces(1, "d"))).ownBytes() as TracesBatch;
  const decodedBytes = decoded.encoded!;
  void decoded.request;
  await input!.consumeTraces!(decoded);
  expect(decodedBytes.byteLength).toBeGreaterThan(0);
  await proc.stop?.();
});
