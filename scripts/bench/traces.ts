// Trace pipeline throughput and memory of the compiled binary:
//   load generator ─(OTLP/HTTP or OTLP/gRPC, pre-encoded 100-span requests)─▶
//   otelcol.receiver.otlp ─ otelcol.processor.batch ─ otelcol.exporter.otlphttp ─▶ sink
// The sink is a Bun server in this process counting spans by walking the protobuf wire
// format. CPU is alloy's own (utime+stime from /proc/<pid>/stat), so spans/s are per core of
// alloy. Then a steady 10k spans/s over HTTP while sampling RSS.
//   bun scripts/bench/traces.ts [--seconds 10] [--steady-seconds 20] [--concurrency 64] [--compression none|gzip]

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { create, toBinary } from "@bufbuild/protobuf";
import { alloyBinary } from "../../test/e2e/binary/alloy_process.ts";
import { ExportTraceServiceRequestSchema, Span_SpanKind } from "../../src/telemetry/otlp/index.ts";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const SECONDS = Number(arg("seconds", "10"));
const STEADY_SECONDS = Number(arg("steady-seconds", "20"));
const CONCURRENCY = Number(arg("concurrency", "64"));
const COMPRESSION = arg("compression", "none");
const CLK_TCK = 100;
const SPANS_PER_REQUEST = 100;

function request(seed: number): Uint8Array {
  const str = (v: string) => ({ value: { case: "stringValue" as const, value: v } });
  return toBinary(ExportTraceServiceRequestSchema, create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: str("bench") }, { key: "host.name", value: str(`host-${seed}`) }] },
      scopeSpans: [{
        scope: { name: "bench", version: "1.0.0" },
        spans: Array.from({ length: SPANS_PER_REQUEST }, (_, i) => ({
          traceId: crypto.getRandomValues(new Uint8Array(16)),
          spanId: crypto.getRandomValues(new Uint8Array(8)),
          name: `GET /api/items/${i % 20}`,
          kind: Span_SpanKind.SERVER,
          startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i * 1000),
          endTimeUnixNano: 1_700_000_000_000_500_000n + BigInt(i * 1000),
          attributes: [
            { key: "http.method", value: str("GET") },
            { key: "http.route", value: str(`/api/items/${i % 20}`) },
            { key: "http.status_code", value: { value: { case: "intValue" as const, value: 200n } } },
          ],
        })),
      }],
    }],
  }));
}

// --- wire walking for the sink ---
function varint(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const x = b[pos++]!;
    v += (x & 0x7f) * 2 ** shift;
    if (x < 0x80) return [v, pos];
    shift += 7;
  }
}
/** Calls `f(start, end)` for each length-delimited field `field` in b[start, end). */
function eachField(b: Uint8Array, start: number, end: number, field: number, f: (s: number, e: number) => void): void {
  let pos = start;
  while (pos < end) {
    let key: number;
    [key, pos] = varint(b, pos);
    const wire = key & 7;
    if (wire === 2) {
      let len: number;
      [len, pos] = varint(b, pos);
      if (key >>> 3 === field) f(pos, pos + len);
      pos += len;
    } else if (wire === 0) [, pos] = varint(b, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`wire type ${wire}`);
  }
}
function countSpans(b: Uint8Array): number {
  let n = 0;
  eachField(b, 0, b.length, 1, (rs, re) => eachField(b, rs, re, 2, (ss, se) => eachField(b, ss, se, 2, () => n++)));
  return n;
}

let received = 0;
const sink = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    let body = new Uint8Array(await req.arrayBuffer());
    if (req.headers.get("content-encoding") === "gzip") body = Bun.gunzipSync(body);
    received += countSpans(body);
    return new Response(new Uint8Array(0), { headers: { "Content-Type": "application/x-protobuf" } });
  },
});

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = s.port;
  s.stop(true);
  return p;
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
function rssMiB(pid: number, field: "VmRSS" | "RssAnon" = "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const s = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      s.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`port ${port} never opened`);
      await Bun.sleep(50);
    }
  }
}

async function main(): Promise<void> {
  const bin = await alloyBinary();
  const dir = mkdtempSync(join(tmpdir(), "bench-traces-"));
  const [grpcPort, httpPort, serverPort] = [freePort(), freePort(), freePort()];
  const config = join(dir, "config.alloy");
  writeFileSync(config, `
otelcol.receiver.otlp "in" {
  grpc { endpoint = "127.0.0.1:${grpcPort}" }
  http { endpoint = "127.0.0.1:${httpPort}" }
  output { traces = [otelcol.processor.batch.b.input] }
}
otelcol.processor.batch "b" {
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" {
  client {
    endpoint = "http://127.0.0.1:${sink.port}"
    compression = "${COMPRESSION}"
  }
}
`);
  const proc = Bun.spawn([bin, "run", config, `--server.http.listen-addr=127.0.0.1:${serverPort}`, `--storage.path=${join(dir, "data")}`], { stdout: "ignore", stderr: "pipe", cwd: dir });
  try {
    await waitForPort(httpPort);
    await waitForPort(grpcPort);
    const bodies = Array.from({ length: 16 }, (_, i) => request(i));
    console.log(`request: ${SPANS_PER_REQUEST} spans, ${bodies[0]!.byteLength} bytes; exporter compression ${COMPRESSION}; concurrency ${CONCURRENCY}`);

    const httpSend = async (b: Uint8Array) => {
      const r = await fetch(`http://127.0.0.1:${httpPort}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: b as Uint8Array<ArrayBuffer> });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    };
    const clients = Array.from({ length: 4 }, () => new grpc.Client(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure()));
    let rr = 0;
    const grpcSend = (b: Uint8Array) =>
      new Promise<void>((resolve, reject) =>
        clients[rr++ % clients.length]!.makeUnaryRequest("/opentelemetry.proto.collector.trace.v1.TraceService/Export", (x: Buffer) => x, (x: Buffer) => x, Buffer.from(b), (err) => (err ? reject(err) : resolve())),
      );

    for (const [name, send] of [["HTTP", httpSend], ["gRPC", grpcSend]] as const) {
      // Warm up, then measure.
      await Promise.all(bodies.map((b) => send(b)));
      await Bun.sleep(500);
      const startRecv = received;
      const startCpu = cpuSeconds(proc.pid);
      const start = performance.now();
      let errors = 0;
      let sent = 0;
      const end = start + SECONDS * 1000;
      await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = w; performance.now() < end; i += CONCURRENCY) {
          try {
            await send(bodies[i % bodies.length]!);
            sent += SPANS_PER_REQUEST;
          } catch {
            errors++;
          }
        }
      }));
      const drainDeadline = Date.now() + 30_000;
      while (received - startRecv < sent && Date.now() < drainDeadline) await Bun.sleep(20);
      const wall = (performance.now() - start) / 1000;
      const cpu = cpuSeconds(proc.pid) - startCpu;
      const got = received - startRecv;
      console.log(
        `${name.padEnd(4)}: sent ${sent} spans, forwarded ${got}, errors ${errors}; ${Math.round(got / wall)} spans/s wall, ` +
          `alloy CPU ${cpu.toFixed(2)} s → ${Math.round(got / cpu)} spans/s per core; RSS ${rssMiB(proc.pid).toFixed(1)} MiB`,
      );
    }
    for (const c of clients) c.close();

    // Steady 10k spans/s: 100 requests of 100 spans per second, spread evenly.
    const steadyStart = performance.now();
    const startCpu = cpuSeconds(proc.pid);
    const rss: number[] = [];
    // Anonymous memory apart: most of the rest is the executable's own pages, which traffic does not change.
    const anon: number[] = [];
    let due = steadyStart;
    let inflight: Promise<void>[] = [];
    let nextSample = steadyStart;
    for (let i = 0; performance.now() - steadyStart < STEADY_SECONDS * 1000; i++) {
      due += 10;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      inflight.push(httpSend(bodies[i % bodies.length]!));
      if (inflight.length > 200) {
        await Promise.all(inflight);
        inflight = [];
      }
      if (performance.now() >= nextSample) {
        rss.push(rssMiB(proc.pid));
        anon.push(rssMiB(proc.pid, "RssAnon"));
        nextSample += 1000;
      }
    }
    await Promise.all(inflight);
    const cpu = cpuSeconds(proc.pid) - startCpu;
    const wall = (performance.now() - steadyStart) / 1000;
    console.log(
      `steady 10k spans/s for ${STEADY_SECONDS}s: alloy CPU ${((cpu / wall) * 100).toFixed(1)}% of a core; RSS max ${Math.max(...rss).toFixed(1)} MiB, ` +
        `last ${rss[rss.length - 1]!.toFixed(1)} MiB (samples: ${rss.map((r) => r.toFixed(0)).join(" ")}); ` +
        `anonymous max ${Math.max(...anon).toFixed(1)} MiB (samples: ${anon.map((r) => r.toFixed(0)).join(" ")})`,
    );
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
    sink.stop(true);
  }
}

await main();
