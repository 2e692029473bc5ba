import { afterEach, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { components } from "../../../src/components/index.ts";
import { ExportTraceServiceRequestSchema, TracesBatch } from "../../../src/telemetry/otlp/index.ts";
import { backoffDelay, withRetry } from "../../../src/components/otelcol/exporter/retry.ts";
import { SendingQueue } from "../../../src/components/otelcol/exporter/queue.ts";
import { FileQueueStore } from "../../../src/components/otelcol/exporter/file_queue_store.ts";
import { ConsumerError } from "../../../src/telemetry/otlp/index.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { freePort, OtlpSink, traces } from "./exporter_sink.ts";

let rt: TestRuntime | undefined;
let sink: OtlpSink | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  sink?.stop();
  sink = undefined;
});

const retry = { enabled: true, initial_interval: 10, randomization_factor: 0.5, multiplier: 2, max_interval: 40, max_elapsed_time: 1000 };

test("backoff grows by the multiplier up to max_interval, jittered by randomization_factor", () => {
  expect(backoffDelay(retry, 0, () => 0.5)).toBe(10);
  expect(backoffDelay(retry, 1, () => 0.5)).toBe(20);
  expect(backoffDelay(retry, 5, () => 0.5)).toBe(40);
  expect(backoffDelay(retry, 0, () => 0)).toBe(5);
  expect(backoffDelay(retry, 0, () => 1)).toBe(15);
});

test("withRetry retries retryable failures, stops at permanent ones and honours retry-after", async () => {
  let calls = 0;
  const ok = await withRetry(retry, async () => {
    if (++calls < 3) throw ConsumerError.retryable("down");
    return "sent";
  }, new AbortController().signal);
  expect(ok).toBe("sent");
  expect(calls).toBe(3);

  calls = 0;
  await expect(withRetry(retry, async () => {
    calls++;
    throw ConsumerError.permanent("bad data");
  }, new AbortController().signal)).rejects.toThrow("bad data");
  expect(calls).toBe(1);

  const t0 = Date.now();
  calls = 0;
  await withRetry(retry, async () => {
    if (++calls === 1) throw ConsumerError.retryable("slow down", { retryAfterSeconds: 0.2 });
  }, new AbortController().signal);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(190);

  await expect(withRetry({ ...retry, max_elapsed_time: 50 }, async () => {
    throw ConsumerError.retryable("down");
  }, new AbortController().signal)).rejects.toThrow("no more retries left");
});

test("a full queue refuses new requests at once", async () => {
  const release: Array<() => void> = [];
  const q = new SendingQueue(2, 1, () => new Promise<boolean>((r) => release.push(() => r(true))));
  await q.start();
  await q.offer(new TracesBatch(traces(1)));
  await q.offer(new TracesBatch(traces(1)));
  await expect(q.offer(new TracesBatch(traces(1)))).rejects.toThrow("sending queue is full");
  await waitFor(() => release.length === 1, 1000, "a worker to take one");
  release.shift()!();
  await waitFor(() => release.length === 1, 1000, "the next one");
  await q.offer(new TracesBatch(traces(1)));
  for (const r of release.splice(0)) r();
  await waitFor(() => release.length === 1, 1000, "the last one");
  release.shift()!();
  await q.stop();
});

test("a worker waiting for the next request keeps nothing of the last one alive", async () => {
  let sent = 0;
  const q = new SendingQueue(10, 3, async () => {
    sent++;
    return true;
  });
  await q.start();
  const refs: WeakRef<TracesBatch>[] = [];
  // Offered from a function of its own, so no frame of this test holds a batch.
  const offer = async () => {
    const batch = new TracesBatch(traces(100));
    refs.push(new WeakRef(batch));
    await q.offer(batch);
  };
  for (let i = 0; i < 6; i++) await offer();
  await waitFor(() => sent === 6 && q.size === 0, 1000, "the queue to drain");
  await waitFor(() => {
    Bun.gc(true);
    return refs.every((r) => r.deref() === undefined);
  }, 2000, "every sent batch to be collected");
  await q.stop();
});

test("the file store replays what a stopped queue left, oldest first, and skips corrupt files", async () => {
  const dir = tempDir("otel-q-");
  const store = new FileQueueStore(dir);
  await store.load();
  await store.write(new TracesBatch(traces(1, "first")));
  await store.write(new TracesBatch(traces(2, "second")));
  await Bun.write(`${dir}/000000000099.otlp`, new Uint8Array([0, 0xff, 0xff]));
  const corrupt: string[] = [];
  const again = await new FileQueueStore(dir, (f) => corrupt.push(f)).load();
  expect(again.map((e) => (e.batch as TracesBatch).request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name)).toEqual(["first-0", "second-0"]);
  expect(corrupt.length).toBe(1);
});

function exporterCfg(h: number, sinkUrl: string, queue: string, extra = ""): string {
  return `
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${h}" }
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" {
  client { endpoint = "${sinkUrl}" }
  retry_on_failure {
    initial_interval = "10ms"
    max_interval = "50ms"
  }
  sending_queue { ${queue} }
}
${extra}`;
}

async function post(h: number, n: number, prefix: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${h}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(n, prefix)) });
  return r.status;
}

test("while the destination fails, requests wait in the queue and all arrive once it recovers", async () => {
  sink = new OtlpSink();
  sink.failWith = 503;
  const h = freePort();
  rt = testRuntime({ extra: components, stability: "public-preview" });
  await rt.load([{ name: "main.alloy", text: exporterCfg(h, sink.url, "queue_size = 5") }]);
  for (let i = 0; i < 5; i++) expect(await post(h, 2, `r${i}`)).toBe(200);
  // The sixth does not fit.
  expect(await post(h, 2, "over")).toBe(503);
  const m = await rt.env.hub.metrics();
  expect(m).toMatch(/otelcol_exporter_enqueue_failed_spans_total\{[^}]*\} 2/);
  sink.failWith = undefined;
  await waitFor(() => sink!.spans() === 10, 5000, "queued spans after recovery");
  expect(new Set(sink.spanNames()).size).toBe(10);
});

test("without a queue the sender waits for the export and sees a permanent failure as 400", async () => {
  sink = new OtlpSink();
  sink.failWith = 400;
  const h = freePort();
  rt = testRuntime({ extra: components, stability: "public-preview" });
  await rt.load([{ name: "main.alloy", text: exporterCfg(h, sink.url, "enabled = false") }]);
  expect(await post(h, 1, "x")).toBe(400);
  sink.failWith = undefined;
  expect(await post(h, 1, "y")).toBe(200);
  expect(sink.spanNames()).toEqual(["y-0"]);
});

test("with otelcol.storage.file, requests queued during an outage survive a restart", { timeout: 15_000 }, async () => {
  sink = new OtlpSink();
  sink.failWith = 503;
  const h = freePort();
  const storagePath = tempDir("otel-storage-");
  const storage = `otelcol.storage.file "q" {}`;
  rt = testRuntime({ extra: components, storagePath, stability: "public-preview" });
  await rt.load([{ name: "main.alloy", text: exporterCfg(h, sink.url, "storage = otelcol.storage.file.q.handler", storage) }]);
  for (let i = 0; i < 4; i++) expect(await post(h, 3, `p${i}`)).toBe(200);
  await rt.stop();
  rt = undefined;
  expect(sink.spans()).toBe(0);
  sink.failWith = undefined;
  rt = testRuntime({ extra: components, storagePath, stability: "public-preview" });
  await rt.load([{ name: "main.alloy", text: exporterCfg(h, sink.url, "storage = otelcol.storage.file.q.handler", storage) }]);
  await waitFor(() => new Set(sink!.spanNames()).size === 12, 8000, "replayed spans");
  // Delivery is at least once: a send whose answer was lost (a connection from the stopped
  // runtime reused by this process's fetch) is sent again, so a request may arrive twice.
  expect(sink.spans()).toBeLessThanOrEqual(12 + 3 * 4);
});

test("block_on_overflow makes a full queue wait for room; wait_for_result waits for the send", async () => {
  const release: Array<() => void> = [];
  const q = new SendingQueue(1, 1, () => new Promise<boolean>((r) => release.push(() => r(true))), undefined, undefined, { blockOnOverflow: true });
  await q.start();
  await q.offer(new TracesBatch(traces(1)));
  let third = false;
  const blocked = q.offer(new TracesBatch(traces(1))).then(() => (third = true));
  await waitFor(() => release.length === 1, 1000, "the first send");
  expect(third).toBe(false);
  release.shift()!();
  await blocked;
  expect(third).toBe(true);
  await waitFor(() => release.length === 1, 1000, "the second send");
  release.shift()!();
  await q.stop();

  const w: Array<() => void> = [];
  const waiting = new SendingQueue(5, 1, () => new Promise<boolean>((r) => w.push(() => r(true))), undefined, undefined, { waitForResult: true });
  await waiting.start();
  let settled = false;
  const offered = waiting.offer(new TracesBatch(traces(1))).then(() => (settled = true));
  await waitFor(() => w.length === 1, 1000, "the send");
  expect(settled).toBe(false);
  w.shift()!();
  await offered;
  await waiting.stop();
});

test("a request's buffer is freed once it was sent, and kept while a send is retried", async () => {
  const { QueuedExporter } = await import("../../../src/components/otelcol/exporter/exporter.ts");
  const { Registry } = await import("prom-client");
  const { Logger, LogSettings } = await import("../../../src/runtime/logger.ts");
  const { encodedBatch } = await import("../../../src/telemetry/otlp/batch.ts");
  const exporter = new QueuedExporter({ id: "otelcol.exporter.otlphttp.out", logger: new Logger(new LogSettings(() => {})), registry: new Registry() }, "otlphttp");
  let failures = 1;
  const seen: number[] = [];
  const queue = { enabled: true, num_consumers: 1, queue_size: 10, block_on_overflow: false, wait_for_result: false };
  await exporter.configure({
    retry: { ...retry, initial_interval: 1, max_interval: 1 },
    queue: queue as never,
    send: async (b) => {
      seen.push(b.encoded!.byteLength);
      if (failures-- > 0) throw ConsumerError.retryable("down");
      return { rejected: 0, message: "" };
    },
  });
  const bytes = toBinary(ExportTraceServiceRequestSchema, traces(3));
  const size = bytes.byteLength;
  await exporter.consumeTraces(encodedBatch("traces", bytes).ownBytes() as TracesBatch);
  await waitFor(() => bytes.byteLength === 0, 3000, "the buffer freed after the send");
  // The retry sent the same bytes as the first attempt.
  expect(seen).toEqual([size, size]);

  // Without a queue, the caller's request is freed as soon as its send succeeded.
  await exporter.configure({ retry, queue: { ...queue, enabled: false } as never, send: async () => ({ rejected: 0, message: "" }) });
  const direct = toBinary(ExportTraceServiceRequestSchema, traces(2));
  await exporter.consumeTraces(encodedBatch("traces", direct).ownBytes() as TracesBatch);
  expect(direct.byteLength).toBe(0);
  await exporter.stop();
});
