// Trace pipeline throughput and memory of the compiled binary:
//   load generator ─(OTLP/HTTP or OTLP/gRPC, pre-encoded 100-span requests)─▶
//   otelcol.receiver.otlp ─ otelcol.processor.batch ─ otelcol.exporter.otlphttp ─▶ sink
// The sink is a Bun server in this process counting spans by walking the protobuf wire
// format. CPU is alloy's own (utime+stime from /proc/<pid>/stat), so spans/s are per core of
// alloy. Then a steady 10k spans/s over HTTP while sampling RSS: on the same process after the
// throughput runs, on a fresh one (the figure for the target: the Collector's testbed also
// starts each load test afresh), and on a reference gateway compiled by the same Bun with the
// executable's settings (scripts/bench/floor/gateway.ts: HTTP and gRPC receivers forwarding
// each body with fetch, no decoding, batching or runtime), for the runtime's own share.
// Each process starts with its executable dropped from the page cache (see page_cache.ts);
// `--page-cache as-is` leaves the cache alone, e.g. to see a binary just written by the build.
//   bun scripts/bench/traces.ts [--seconds 10] [--steady-seconds 60] [--concurrency 64] [--compression none|gzip]
//                               [--phases throughput,fresh,floor] [--page-cache cold|as-is]

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { alloyBinary } from "../../test/e2e/binary/alloy_process.ts";
import { freePort } from "../../test/components/otelcol/exporter_sink.ts";
import { SPANS_PER_REQUEST, traceGatewayConfig, traceRequest } from "./trace_gateway.ts";
import { compileExecutable } from "../../build.ts";
import { describePageCache, parsePageCacheMode, prepareExecutable } from "./page_cache.ts";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const SECONDS = Number(arg("seconds", "10"));
// A minute: resident memory still creeps up for a while as more code gets compiled.
const STEADY_SECONDS = Number(arg("steady-seconds", "60"));
const CONCURRENCY = Number(arg("concurrency", "64"));
const COMPRESSION = arg("compression", "none");
const PHASES = new Set(arg("phases", "throughput,fresh,floor").split(","));
const PAGE_CACHE = parsePageCacheMode(arg("page-cache", "cold"));
const CLK_TCK = 100;

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

interface Target {
  name: string;
  proc: Bun.Subprocess;
  httpPort: number;
  grpcPort: number;
}

async function startAlloy(bin: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "bench-traces-"));
  const [grpcPort, httpPort, serverPort] = [freePort(), freePort(), freePort()];
  const config = join(dir, "config.alloy");
  writeFileSync(config, traceGatewayConfig({ grpc: grpcPort, http: httpPort, sink: sink.port! }, COMPRESSION));
  prepareExecutable(bin, PAGE_CACHE);
  const proc = Bun.spawn([bin, "run", config, `--server.http.listen-addr=127.0.0.1:${serverPort}`, `--storage.path=${join(dir, "data")}`], { stdout: "ignore", stderr: "pipe", cwd: dir });
  await waitForPort(httpPort);
  await waitForPort(grpcPort);
  return { name: "alloy", proc, httpPort, grpcPort };
}

async function startGateway(): Promise<Target> {
  const out = join(mkdtempSync(join(tmpdir(), "bench-traces-floor-")), "gateway");
  const r = await compileExecutable(join(import.meta.dir, "floor/gateway.ts"), process.arch === "arm64" ? "linux-arm64" : "linux-x64", out);
  if (!r.success) throw new Error(r.logs.map(String).join("\n"));
  prepareExecutable(out, PAGE_CACHE);
  const proc = Bun.spawn([out, `http://127.0.0.1:${sink.port}/v1/traces`], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the reference gateway exited before listening");
    line += new TextDecoder().decode(value);
  }
  const [httpPort, grpcPort] = line.trim().split(" ").map(Number);
  return { name: "reference gateway", proc, httpPort: httpPort!, grpcPort: grpcPort! };
}

async function stop(t: Target): Promise<void> {
  t.proc.kill("SIGTERM");
  await t.proc.exited;
}

const bodies = Array.from({ length: 16 }, (_, i) => traceRequest(i));

function senders(t: Target): { http: (b: Uint8Array) => Promise<void>; grpc: (b: Uint8Array) => Promise<void>; close: () => void } {
  const clients = Array.from({ length: 4 }, () => new grpc.Client(`127.0.0.1:${t.grpcPort}`, grpc.credentials.createInsecure()));
  let rr = 0;
  return {
    http: async (b) => {
      const r = await fetch(`http://127.0.0.1:${t.httpPort}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: b as Uint8Array<ArrayBuffer> });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    },
    grpc: (b) =>
      new Promise<void>((resolve, reject) =>
        clients[rr++ % clients.length]!.makeUnaryRequest("/opentelemetry.proto.collector.trace.v1.TraceService/Export", (x: Buffer) => x, (x: Buffer) => x, Buffer.from(b), (err) => (err ? reject(err) : resolve())),
      ),
    close: () => {
      for (const c of clients) c.close();
    },
  };
}

/** Both protocols once with every body, as a load test's first requests would. */
async function warmUp(t: Target): Promise<void> {
  const send = senders(t);
  try {
    await Promise.all(bodies.map((b) => send.http(b)));
    await Promise.all(bodies.map((b) => send.grpc(b)));
  } finally {
    send.close();
  }
}

async function throughput(t: Target): Promise<void> {
  const send = senders(t);
  try {
    for (const [name, f] of [["HTTP", send.http], ["gRPC", send.grpc]] as const) {
      await Promise.all(bodies.map((b) => f(b)));
      await Bun.sleep(500);
      const startRecv = received;
      const startCpu = cpuSeconds(t.proc.pid);
      const start = performance.now();
      let errors = 0;
      let sent = 0;
      const end = start + SECONDS * 1000;
      await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = w; performance.now() < end; i += CONCURRENCY) {
          try {
            await f(bodies[i % bodies.length]!);
            sent += SPANS_PER_REQUEST;
          } catch {
            errors++;
          }
        }
      }));
      const drainDeadline = Date.now() + 30_000;
      while (received - startRecv < sent && Date.now() < drainDeadline) await Bun.sleep(20);
      const wall = (performance.now() - start) / 1000;
      const cpu = cpuSeconds(t.proc.pid) - startCpu;
      const got = received - startRecv;
      console.log(
        `${name.padEnd(4)}: sent ${sent} spans, forwarded ${got}, errors ${errors}; ${Math.round(got / wall)} spans/s wall, ` +
          `alloy CPU ${cpu.toFixed(2)} s → ${Math.round(got / cpu)} spans/s per core; RSS ${rssMiB(t.proc.pid).toFixed(1)} MiB`,
      );
    }
  } finally {
    send.close();
  }
}

/** A steady 10k spans/s over HTTP (100 requests of 100 spans per second, spread evenly); returns the largest RSS seen. */
async function steady(t: Target, label: string): Promise<number> {
  const send = senders(t);
  const steadyStart = performance.now();
  const startCpu = cpuSeconds(t.proc.pid);
  const rss: number[] = [];
  // Anonymous memory apart: most of the rest is the executable's own pages, which traffic does not change.
  const anon: number[] = [];
  let due = steadyStart;
  let inflight: Promise<void>[] = [];
  let nextSample = steadyStart;
  try {
    for (let i = 0; performance.now() - steadyStart < STEADY_SECONDS * 1000; i++) {
      due += 10;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      inflight.push(send.http(bodies[i % bodies.length]!));
      if (inflight.length > 200) {
        await Promise.all(inflight);
        inflight = [];
      }
      if (performance.now() >= nextSample) {
        rss.push(rssMiB(t.proc.pid));
        anon.push(rssMiB(t.proc.pid, "RssAnon"));
        nextSample += 1000;
      }
    }
    await Promise.all(inflight);
  } finally {
    send.close();
  }
  const cpu = cpuSeconds(t.proc.pid) - startCpu;
  const wall = (performance.now() - steadyStart) / 1000;
  const max = Math.max(...rss);
  console.log(
    `steady 10k spans/s for ${STEADY_SECONDS}s, ${label}: CPU ${((cpu / wall) * 100).toFixed(1)}% of a core; RSS max ${max.toFixed(1)} MiB, ` +
      `mean ${(rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(1)} MiB, ` +
      `last ${rss[rss.length - 1]!.toFixed(1)} MiB (samples: ${rss.map((r) => r.toFixed(0)).join(" ")}); ` +
      `anonymous max ${Math.max(...anon).toFixed(1)} MiB (samples: ${anon.map((r) => r.toFixed(0)).join(" ")})`,
  );
  return max;
}

async function main(): Promise<void> {
  const bin = await alloyBinary();
  console.log(
    `request: ${SPANS_PER_REQUEST} spans, ${bodies[0]!.byteLength} bytes; exporter compression ${COMPRESSION}; concurrency ${CONCURRENCY}; ` +
      describePageCache(PAGE_CACHE),
  );
  const max: Record<string, number> = {};
  for (const phase of ["throughput", "fresh", "floor"] as const) {
    if (!PHASES.has(phase)) continue;
    const t = phase === "floor" ? await startGateway() : await startAlloy(bin);
    try {
      if (phase === "throughput") {
        await throughput(t);
        await steady(t, "alloy after the throughput runs");
      } else {
        await warmUp(t);
        max[phase] = await steady(t, phase === "fresh" ? "alloy, fresh process" : "reference gateway, fresh process");
      }
    } finally {
      await stop(t);
    }
  }
  if (max.fresh !== undefined && max.floor !== undefined) console.log(
    `steady-state RSS: alloy ${max.fresh!.toFixed(1)} MiB (target ≤ 60 MiB: ${max.fresh! <= 60 ? "met" : "NOT met"}), ` +
      `${(max.fresh! / max.floor!).toFixed(2)}× the reference gateway's ${max.floor!.toFixed(1)} MiB`,
  );
  sink.stop(true);
}

await main();
