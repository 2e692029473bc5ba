// Startup benchmark of the compiled executable: time from exec to /-/ready = 200,
// and resident memory after 10 s idle, for examples/config.alloy, for a generated
// 50-component config, and for an empty config (what every run pays).
//
//   bun scripts/bench/startup.ts                 builds dist/alloy-linux-x64 first
//   ALLOY_BINARY=path bun scripts/bench/startup.ts
//   bun scripts/bench/startup.ts --idle 2 --runs 3
//
// Targets: ready < 150 ms, idle RSS < 40 MiB.
//
// In the same run, reference programs compiled by the same Bun with the executable's
// settings (scripts/bench/floor/) show what the runtime itself takes: a program that
// only stays alive, a Hono server (alone and with snappy-wasm loaded), and the default
// config's job written as a 50-line program with no configuration language, component
// runtime, WAL or UI.

import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileAlloy, compileExecutable } from "../../build.ts";

const root = resolve(import.meta.dir, "../..");
const readyTargetMs = 150;
const rssTargetMiB = 40;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

async function binary(): Promise<string> {
  if (process.env.ALLOY_BINARY) return process.env.ALLOY_BINARY;
  const out = join(root, "dist/alloy-linux-x64");
  console.log(`building ${out} ...`);
  const r = await compileAlloy("linux-x64", out);
  if (!r.success) throw new Error(r.logs.map(String).join("\n"));
  return out;
}

const pageSize = (() => {
  const r = Bun.spawnSync(["getconf", "PAGESIZE"], { stdout: "pipe" });
  return r.success ? Number(r.stdout.toString().trim()) : 4096;
})();

function rssBytes(pid: number): number {
  const statm = readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
  return Number(statm[1]) * pageSize;
}

async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

interface Measurement {
  readyMs: number;
  rssMiB: number;
  /** Of which file-backed pages (the executable's code and embedded bundle) and anonymous memory. */
  fileMiB: number;
  anonMiB: number;
  /** Of the file-backed pages, the executable's machine code (Bun, JavaScriptCore). */
  codeMiB: number;
}

function statusMiB(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resident pages of the executable's r-xp mapping (its machine code), from /proc/<pid>/smaps. */
function codeMiB(pid: number, bin: string): number {
  let kb = 0;
  let inCode = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) inCode = mapping[1] === "r-xp" && mapping[2] === bin;
    else if (inCode) {
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) kb += Number(rss[1]);
    }
  }
  return kb / 1024;
}

/** Leaves a ready process idle, then reads its memory. */
async function idleThenMeasure(proc: Bun.Subprocess, bin: string, readyMs: number, idleSeconds: number): Promise<Measurement> {
  await Bun.sleep(idleSeconds * 1000);
  return {
    readyMs,
    rssMiB: rssBytes(proc.pid) / 1024 / 1024,
    fileMiB: statusMiB(proc.pid, "RssFile"),
    anonMiB: statusMiB(proc.pid, "RssAnon"),
    codeMiB: codeMiB(proc.pid, resolve(bin)),
  };
}

async function measure(bin: string, config: string, idleSeconds: number): Promise<Measurement> {
  const port = await freePort();
  const storage = await mkdtemp(join(tmpdir(), "alloy-bench-"));
  const started = performance.now();
  const proc = Bun.spawn([bin, "run", `--server.http.listen-addr=127.0.0.1:${port}`, `--storage.path=${storage}`, config], {
    stdout: "ignore",
    stderr: "pipe",
  });
  let exited = false;
  void proc.exited.then(() => (exited = true));
  try {
    let readyMs = -1;
    const deadline = started + 30_000;
    while (readyMs < 0) {
      if (exited) throw new Error(`alloy exited before becoming ready:\n${await new Response(proc.stderr).text()}`);
      if (performance.now() > deadline) throw new Error("alloy did not become ready within 30 s");
      try {
        const r = await fetch(`http://127.0.0.1:${port}/-/ready`);
        if (r.status === 200) readyMs = performance.now() - started;
        else await r.arrayBuffer();
      } catch {
        // Not listening yet.
      }
      if (readyMs < 0) await Bun.sleep(1);
    }
    return await idleThenMeasure(proc, bin, readyMs, idleSeconds);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

const floors = [
  { name: "floor: Bun executable that only stays alive", entry: "hello.ts" },
  { name: "floor: Hono server answering /-/ready", entry: "server.ts" },
  { name: "floor: the same with snappy-wasm loaded", entry: "server_snappy.ts" },
  { name: "floor: the default config's job as a 50-line program", entry: "agent.ts" },
];

/** Runs a compiled reference program until it prints "ready", then idles it like `measure` does. */
async function measureFloor(bin: string, idleSeconds: number): Promise<Measurement> {
  const started = performance.now();
  const proc = Bun.spawn([bin], { stdout: "pipe", stderr: "inherit" });
  try {
    const reader = proc.stdout.getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${bin} exited before it was ready`);
      out += new TextDecoder().decode(value);
    }
    if (!out.startsWith("ready")) throw new Error(`${bin}: ${out.trim()}`);
    const readyMs = performance.now() - started;
    return await idleThenMeasure(proc, bin, readyMs, idleSeconds);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

async function compileFloors(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-bench-floor-"));
  const target = process.arch === "arm64" ? "linux-arm64" : "linux-x64";
  const bins: string[] = [];
  for (const f of floors) {
    const out = join(dir, f.entry.replace(/\.ts$/, ""));
    const r = await compileExecutable(join(import.meta.dir, "floor", f.entry), target, out);
    if (!r.success) throw new Error(r.logs.map(String).join("\n"));
    bins.push(out);
  }
  return bins;
}

async function fiftyComponentConfig(bin: string): Promise<{ path: string; kind: string }> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-bench-cfg-"));
  // local.file components reading this very file, if the build has local.file.
  const localFile = join(dir, "local_file.alloy");
  const lines = Array.from({ length: 50 }, (_, i) => `local.file "f${i}" {\n\tfilename = ${JSON.stringify(localFile)}\n}\n`);
  await writeFile(localFile, lines.join("\n"));
  const check = Bun.spawnSync([bin, "validate", localFile], { stdout: "ignore", stderr: "ignore" });
  if (check.success) return { path: localFile, kind: "50 × local.file" };
  // Otherwise 50 instances of a custom component, which only needs the runtime.
  const declared = join(dir, "declare.alloy");
  const body = [
    'declare "passthrough" {',
    '\targument "value" {\n\t\toptional = true\n\t\tdefault  = "x"\n\t}',
    '\texport "value" {\n\t\tvalue = argument.value.value\n\t}',
    "}",
    "",
    ...Array.from({ length: 50 }, (_, i) => `passthrough "p${i}" {\n\tvalue = ${i === 0 ? '"start"' : `passthrough.p${i - 1}.value`}\n}\n`),
  ];
  await writeFile(declared, body.join("\n"));
  return { path: declared, kind: "50 × declared component (chained; local.file not in this build)" };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function summary(name: string, ms: Measurement[]): void {
  const ready = ms.map((m) => m.readyMs).sort((a, b) => a - b);
  const rss = ms.map((m) => m.rssMiB).sort((a, b) => a - b);
  const okReady = median(ready) < readyTargetMs ? "ok" : "OVER TARGET";
  const okRss = median(rss) < rssTargetMiB ? "ok" : "OVER TARGET";
  const last = ms.at(-1)!;
  console.log(
    `${name}\n  exec → ready: median ${median(ready).toFixed(1)} ms (min ${ready[0]!.toFixed(1)}, max ${ready.at(-1)!.toFixed(1)}; target < ${readyTargetMs} ms: ${okReady})\n` +
      `  idle RSS:     median ${median(rss).toFixed(1)} MiB (target < ${rssTargetMiB} MiB: ${okRss}); last run ${last.fileMiB.toFixed(1)} MiB file-backed (${last.codeMiB.toFixed(1)} MiB of it machine code) + ${last.anonMiB.toFixed(1)} MiB anonymous`,
  );
}

if (import.meta.main) {
  const idle = flag("idle", 10);
  const runs = flag("runs", 3);
  const bin = await binary();
  if (!existsSync(bin)) throw new Error(`no executable at ${bin}`);
  const generated = await fiftyComponentConfig(bin);
  const empty = join(await mkdtemp(join(tmpdir(), "alloy-bench-cfg-")), "empty.alloy");
  await writeFile(empty, "");
  const configs = [
    { name: "examples/config.alloy", path: join(root, "examples/config.alloy") },
    { name: generated.kind, path: generated.path },
    { name: "empty config (the part every config pays)", path: empty },
  ];
  console.log(`binary ${bin}, ${runs} run(s) each, ${idle} s idle before reading RSS (page size ${pageSize})`);
  const rss = new Map<string, number>();
  for (const c of configs) {
    const results: Measurement[] = [];
    try {
      for (let i = 0; i < runs; i++) results.push(await measure(bin, c.path, idle));
      summary(c.name, results);
      rss.set(c.name, median(results.map((m) => m.rssMiB)));
    } catch (err) {
      console.log(`${c.name}\n  could not run: ${err instanceof Error ? err.message.split("\n").slice(0, 6).join("\n  ") : String(err)}`);
    }
  }
  const floorBins = await compileFloors();
  for (const [i, f] of floors.entries()) {
    const results: Measurement[] = [];
    for (let r = 0; r < runs; r++) results.push(await measureFloor(floorBins[i]!, idle));
    const last = results.at(-1)!;
    const m = median(results.map((x) => x.rssMiB));
    rss.set(f.name, m);
    console.log(
      `${f.name}\n  idle RSS:     median ${m.toFixed(1)} MiB (${m < rssTargetMiB ? "under" : "OVER"} the ${rssTargetMiB} MiB target); ` +
        `last run ${last.fileMiB.toFixed(1)} MiB file-backed (${last.codeMiB.toFixed(1)} MiB of it machine code) + ${last.anonMiB.toFixed(1)} MiB anonymous`,
    );
  }
  const ours = rss.get(configs[0]!.name);
  const floor = rss.get(floors.find((f) => f.entry === "agent.ts")!.name);
  if (ours !== undefined && floor !== undefined) {
    console.log(`default config: ${ours.toFixed(1)} MiB, ${(ours / floor).toFixed(2)}× the ${floor.toFixed(1)} MiB of the same job as a 50-line Bun program`);
  }
}
