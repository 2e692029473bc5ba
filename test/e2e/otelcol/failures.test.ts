// Failure handling of the compiled binary: the destination down for a while
// (OTELCOL_OUTAGE_SECONDS, default 3; the full run uses 60), SIGKILL with a persistent
// queue, and memory_limiter refusals seen by the SDK as retryable.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ExportResultCode } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { AlloyProcess } from "../binary/alloy_process.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/index.ts";
import { traces } from "../../components/otelcol/exporter_sink.ts";
import { canRunBinary, eventually, freePort, OtlpSink, startAlloy, stopAlloy } from "./harness.ts";

const procs: AlloyProcess[] = [];
const sinks: OtlpSink[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await stopAlloy(p);
  for (const s of sinks.splice(0)) s.stop();
});

function pipeline(port: number, sinkUrl: string, queue: string, extra = ""): string {
  return `
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${port}" }
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" {
  client { endpoint = "${sinkUrl}" }
  retry_on_failure {
    initial_interval = "100ms"
    max_interval = "1s"
  }
  sending_queue { ${queue} }
}
${extra}`;
}

async function post(port: number, prefix: string, n = 10): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: "POST",
    headers: { "Content-Type": "application/x-protobuf" },
    body: toBinary(ExportTraceServiceRequestSchema, traces(n, prefix)),
  });
  return r.status;
}

describe.skipIf(!canRunBinary)("failure handling of the binary", () => {
  test("destination down: retries with backoff, the queue stays bounded, nothing within it is lost", async () => {
    const outage = Number(process.env.OTELCOL_OUTAGE_SECONDS ?? 3) * 1000;
    const sink = new OtlpSink();
    sinks.push(sink);
    sink.failWith = 503;
    const port = freePort();
    const p = await startAlloy(pipeline(port, sink.url, "queue_size = 50"), [port]);
    procs.push(p);
    const start = Date.now();
    let accepted = 0;
    let refused = 0;
    // Requests are accepted until the queue holds queue_size, then refused with a retryable status.
    for (let i = 0; refused < 3; i++) {
      if (i > 1000) throw new Error(`the queue never filled: ${accepted} accepted`);
      const status = await post(port, `o${i}`);
      if (status === 200) accepted++;
      else if (status === 503) refused++;
      else throw new Error(`unexpected status ${status}`);
    }
    // The destination stays down for the rest of the outage while the exporter retries.
    await Bun.sleep(Math.max(0, outage - (Date.now() - start)));
    // At most queue_size requests are held; the rest were refused with a retryable status.
    expect(accepted).toBeLessThanOrEqual(50);
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    const metrics = await (await fetch(`${await p.baseURL()}/metrics`)).text();
    expect(metrics).toMatch(/otelcol_exporter_queue_size\{[^}]*\} (\d+)/);
    expect(metrics).toMatch(/otelcol_exporter_enqueue_failed_spans_total\{[^}]*\} [1-9]/);
    sink.failWith = undefined;
    await eventually(async () => (sink.spans() === accepted * 10 ? true : undefined), `${accepted * 10} spans after the outage`, 60_000);
    expect(new Set(sink.spanNames()).size).toBe(accepted * 10);
  }, 180_000);

  test("with the persistent queue, SIGKILL during an outage loses nothing acknowledged", async () => {
    const sink = new OtlpSink();
    sinks.push(sink);
    sink.failWith = 503;
    const port = freePort();
    const dir = await mkdtemp(join(tmpdir(), "otel-file-storage-"));
    const cfg = pipeline(port, sink.url, "storage = otelcol.storage.file.q.handler", `otelcol.storage.file "q" { directory = "${dir}" }`);
    // otelcol.storage.file is at public preview.
    const flags = ["--stability.level=public-preview"];
    const first = await startAlloy(cfg, [port], flags);
    procs.push(first);
    let acked = 0;
    for (let i = 0; i < 30; i++) if ((await post(port, `k${i}`, 5)) === 200) acked++;
    expect(acked).toBe(30);
    first.kill("SIGKILL");
    await first.exited;
    expect(sink.spans()).toBe(0);
    sink.failWith = undefined;
    const second = await startAlloy(cfg, [port], flags);
    procs.push(second);
    await eventually(async () => (new Set(sink.spanNames()).size === 150 ? true : undefined), "all 150 acknowledged spans", 60_000);
  }, 180_000);

  test("memory_limiter above its limit: the SDK's exporter sees a retryable failure, and the process stays up", async () => {
    const sink = new OtlpSink();
    sinks.push(sink);
    const port = freePort();
    const p = await startAlloy(`
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${port}" }
  output { traces = [otelcol.processor.memory_limiter.m.input] }
}
otelcol.processor.memory_limiter "m" {
  check_interval = "100ms"
  limit = "4MiB"
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" { client { endpoint = "${sink.url}" } }
`, [port]);
    procs.push(p);
    const r = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(1)) });
    expect(r.status).toBe(503);
    // The SDK exporter retries 503s itself and finally reports a failure; nothing reaches the sink.
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMillis: 3000 });
    const mem = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "limited" }), spanProcessors: [new SimpleSpanProcessor(mem)] });
    provider.getTracer("t").startSpan("refused").end();
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(mem.getFinishedSpans(), resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(String(result.error)).toMatch(/503|Unavailable|retry/i);
    expect(sink.spans()).toBe(0);
    expect(p.proc.exitCode).toBeNull();
    await provider.shutdown();
    await exporter.shutdown();
  }, 60_000);
});
