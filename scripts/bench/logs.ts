// Log pipeline throughput of the compiled binary:
//   file ─ loki.source.file ─ loki.write ─▶ sink            (unprocessed)
//   file ─ loki.source.file ─ loki.process(json, labels, timestamp) ─ loki.write ─▶ sink   (processed)
// on generated 200-byte JSON lines. The sink is a Bun server in this process
// counting pushed lines; our process's CPU comes from /proc/<pid>/stat, so the
// figures are per core of alloy itself. Prints MiB/s and lines/s per CPU second,
// wall-clock rates and peak RSS.
//   bun scripts/bench/logs.ts [--mib 200] [--only unprocessed|processed] [--from-source] [--cpu-prof <dir>]
// --from-source runs `bun src/cli/main.ts` instead of the compiled binary;
// --cpu-prof does so under `bun --cpu-prof`, leaving a .cpuprofile (and a
// markdown summary) per run in <dir>.

import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { snappyDecompress } from "../../wasm/snappy.ts";
import { alloyBinary } from "../../test/e2e/binary/alloy_process.ts";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const MIB = Number(arg("mib", "200"));
const only = arg("only", "");
const profDir = arg("cpu-prof", "");
const fromSource = process.argv.includes("--from-source");
const LINE_BYTES = 200;
const CLK_TCK = 100;

function generate(path: string): { lines: number; bytes: number } {
  const fd = openSync(path, "w");
  const levels = ["info", "warn", "error", "debug"];
  const target = MIB * 2 ** 20;
  let bytes = 0;
  let lines = 0;
  let buf = "";
  const base = Date.UTC(2024, 0, 1);
  while (bytes < target) {
    const ts = new Date(base + lines).toISOString();
    const head = `{"ts":"${ts}","level":"${levels[lines % 4]}","msg":"request served","path":"/api/v1/items/${lines % 1000}","status":200,"pad":"`;
    const line = `${head}${"x".repeat(Math.max(0, LINE_BYTES - head.length - 3))}"}\n`;
    buf += line;
    bytes += line.length;
    lines++;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = "";
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return { lines, bytes };
}

/** Entries in a PushRequest, counted by walking the wire format (cheap, so the sink never slows the pipeline). */
function countEntries(b: Uint8Array): number {
  let n = 0;
  const varint = (p: number): [number, number] => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = b[p++]!;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return [v, p];
      mul *= 128;
    }
  };
  let p = 0;
  while (p < b.length) {
    let tag: number;
    [tag, p] = varint(p);
    let len: number;
    [len, p] = varint(p);
    if (tag >> 3 === 1) {
      const end = p + len;
      let q = p;
      while (q < end) {
        let t: number;
        [t, q] = varint(q);
        if ((t & 7) === 2) {
          let l: number;
          [l, q] = varint(q);
          q += l;
          if (t >> 3 === 2) n++;
        } else [, q] = varint(q);
      }
    }
    p += len;
  }
  return n;
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

async function run(name: string, processed: boolean, dataFile: string, expect: { lines: number; bytes: number }): Promise<void> {
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const sink = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      received += countEntries(snappyDecompress(new Uint8Array(await req.arrayBuffer())));
      if (received >= expect.lines) done();
      return new Response(null, { status: 204 });
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "alloy-bench-logs-"));
  const logPath = join(dir, "app.log");
  const process_ = processed
    ? `loki.process "p" {
  forward_to = [loki.write.out.receiver]
  stage.json {
    expressions = { level = "level", ts = "ts" }
  }
  stage.labels {
    values = { level = "" }
  }
  stage.timestamp {
    source = "ts"
    format = "RFC3339Nano"
  }
}
`
    : "";
  const cfg = join(dir, "bench.alloy");
  writeFileSync(
    cfg,
    `loki.source.file "f" {
  targets = [{"__path__" = "${logPath}", "job" = "bench"}]
  forward_to = [${processed ? "loki.process.p.receiver" : "loki.write.out.receiver"}]
}
${process_}loki.write "out" {
  endpoint {
    url = "http://127.0.0.1:${sink.port}/loki/api/v1/push"
    batch_size = "1MiB"
    batch_wait = "100ms"
  }
}
`,
  );
  const main = join(import.meta.dir, "../../src/cli/main.ts");
  const alloy = profDir
    ? [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profDir}`, main]
    : fromSource
      ? [process.execPath, main]
      : [await alloyBinary()];
  const proc = Bun.spawn([...alloy, "run", cfg, "--server.http.listen-addr=127.0.0.1:0", `--storage.path=${join(dir, "data")}`], { stdout: "ignore", stderr: "pipe" });
  let stderr = "";
  void (async () => {
    for await (const c of proc.stderr) stderr += new TextDecoder().decode(c);
  })();
  const deadline = Date.now() + 30_000;
  while (!/now listening for http traffic/.test(stderr)) {
    if (Date.now() > deadline) throw new Error(`alloy did not start:\n${stderr}`);
    await Bun.sleep(20);
  }
  await Bun.sleep(300);
  const cpu0 = cpuSeconds(proc.pid);
  const t0 = performance.now();
  renameSync(dataFile, logPath);
  const timeout = setTimeout(() => done(), 600_000);
  await finished;
  clearTimeout(timeout);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(proc.pid) - cpu0;
  const rss = peakRssMiB(proc.pid);
  proc.kill("SIGTERM");
  await proc.exited;
  void sink.stop(true);
  renameSync(logPath, dataFile);
  rmSync(dir, { recursive: true, force: true });
  const mib = expect.bytes / 2 ** 20;
  const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });
  console.log(
    `${name}: ${fmt(mib / cpu)} MiB/s per core, ${fmt(expect.lines / cpu)} lines/s per core ` +
      `(wall ${fmt(mib / wall)} MiB/s, ${fmt(expect.lines / wall)} lines/s; cpu ${fmt(cpu)} s over ${fmt(wall)} s; peak RSS ${fmt(rss)} MiB; ${received}/${expect.lines} lines)`,
  );
}

const work = mkdtempSync(join(tmpdir(), "alloy-bench-data-"));
const dataFile = join(work, "data.log");
const gen = generate(dataFile);
console.log(`generated ${gen.lines} lines, ${(gen.bytes / 2 ** 20).toFixed(1)} MiB of ${LINE_BYTES}-byte JSON`);
if (only !== "processed") await run("file → loki.write", false, dataFile, gen);
if (only !== "unprocessed") await run("file → loki.process(json, labels, timestamp) → loki.write", true, dataFile, gen);
rmSync(work, { recursive: true, force: true });
