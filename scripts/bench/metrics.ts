// Our compiled binary (prometheus.scrape → prometheus.remote_write) and
// `prometheus --enable-feature=agent`, side by side in one run: the same synthetic
// targets (served here), the same remote-write sink (here, counting samples per
// sender). Prints RSS per active series and CPU per million samples for both, from
// /proc/<pid>/stat and /proc/<pid>/statm, and our/their ratios.
//
// Usage: ./node_modules/.bin/bun scripts/bench/metrics.ts [--targets 20] [--series 10000]
//          [--interval 15s] [--measure 120s] [--binary dist/alloy-linux-x64]
// Without --binary (or $ALLOY_BINARY) the binary is built into a temp dir first.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compileAlloy } from "../../build.ts";
import { decodeRemoteWriteBody } from "../../src/telemetry/prometheus/remotewrite/http.ts";

const { values: flags } = parseArgs({
  options: {
    targets: { type: "string", default: "20" },
    series: { type: "string", default: "10000" },
    interval: { type: "string", default: "15s" },
    measure: { type: "string", default: "120s" },
    binary: { type: "string" },
    prometheus: { type: "string", default: "prometheus" },
  },
});

const seconds = (s: string) => Number(s.replace(/s$/, ""));
const TARGETS = Number(flags.targets);
const SERIES = Number(flags.series);
const INTERVAL = seconds(flags.interval!);
const MEASURE = seconds(flags.measure!);
const REPORT_SERIES = 5; // up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added
const ACTIVE = TARGETS * (SERIES + REPORT_SERIES);
const TICK = 100; // USER_HZ on Linux
const PAGE = 4096;

// Targets: counters that move on every scrape, in families of 100 series.
let generation = 0;
function exposition(target: number, gen: number): string {
  const lines: string[] = [];
  for (let f = 0; f < SERIES / 100; f++) {
    lines.push(`# HELP bench_metric_${f}_total Synthetic counter ${f}.`, `# TYPE bench_metric_${f}_total counter`);
    for (let i = 0; i < 100; i++) lines.push(`bench_metric_${f}_total{series="${i}",shard="${target % 4}",zone="z${f % 7}"} ${gen * 100 + i + f}`);
  }
  return `${lines.join("\n")}\n`;
}
const pages = new Map<string, string>();
const page = (t: number) => {
  const k = `${t}/${generation}`;
  let p = pages.get(k);
  if (p === undefined) {
    p = exposition(t, generation);
    pages.set(k, p);
    if (pages.size > TARGETS * 3) pages.delete(pages.keys().next().value!);
  }
  return p;
};
setInterval(() => generation++, (INTERVAL * 1000) / 2).unref();
const targets = Array.from({ length: TARGETS }, (_, t) =>
  Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(page(t), { headers: { "Content-Type": "text/plain; version=0.0.4" } }) }),
);
const addrs = targets.map((s) => `127.0.0.1:${s.port}`);

// The sink: counts samples per sender path.
const received: Record<string, number> = { ours: 0, prom: 0 };
const sink = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  maxRequestBodySize: 1 << 30,
  fetch: async (req) => {
    const who = new URL(req.url).pathname.slice(1);
    const body = new Uint8Array(await req.arrayBuffer());
    const { batch } = decodeRemoteWriteBody(body, req.headers);
    received[who] = (received[who] ?? 0) + batch.length + batch.histograms.length;
    return new Response(null, { status: 204 });
  },
});
const sinkURL = `http://127.0.0.1:${sink.port}`;

const dir = mkdtempSync(join(tmpdir(), "alloy-bench-metrics-"));
let binary = flags.binary ?? process.env.ALLOY_BINARY;
if (binary === undefined) {
  binary = join(dir, "alloy");
  console.log("building the alloy binary…");
  const res = await compileAlloy("linux-x64", binary);
  if (!res.success) throw new Error(res.logs.map(String).join("\n"));
}

writeFileSync(
  join(dir, "bench.alloy"),
  `prometheus.scrape "bench" {
  job_name = "bench"
  targets = [${addrs.map((a) => `{"__address__" = "${a}"}`).join(", ")}]
  forward_to = [prometheus.remote_write.sink.receiver]
  scrape_interval = "${INTERVAL}s"
  scrape_timeout = "${Math.min(10, INTERVAL)}s"
}
prometheus.remote_write "sink" {
  endpoint {
    url = "${sinkURL}/ours"
    metadata_config {
      send = false
    }
  }
}
`,
);
writeFileSync(
  join(dir, "prometheus.yml"),
  `global:
  scrape_interval: ${INTERVAL}s
  scrape_timeout: ${Math.min(10, INTERVAL)}s
scrape_configs:
  - job_name: bench
    static_configs:
      - targets: [${addrs.map((a) => `"${a}"`).join(", ")}]
remote_write:
  - url: ${sinkURL}/prom
    metadata_config:
      send: false
`,
);

const procs: ChildProcess[] = [];
function start(cmd: string, args: string[]): ChildProcess {
  const p = spawn(cmd, args, { stdio: ["ignore", "ignore", "ignore"] });
  procs.push(p);
  return p;
}
const ours = start(binary, ["run", join(dir, "bench.alloy"), "--server.http.listen-addr=127.0.0.1:0", `--storage.path=${join(dir, "alloy-data")}`]);
const prom = start(flags.prometheus!, [
  "--enable-feature=agent",
  `--config.file=${join(dir, "prometheus.yml")}`,
  `--storage.agent.path=${join(dir, "prom-agent")}`,
  "--web.listen-address=127.0.0.1:0",
]);
const cleanup = () => {
  for (const p of procs) p.kill("SIGKILL");
};
process.on("exit", cleanup);

interface Usage {
  cpuSeconds: number;
  rssBytes: number;
}
function usage(pid: number): Usage {
  // Fields after the parenthesised command: utime is the 14th, stime the 15th field overall.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(rest[11]) + Number(rest[12])) / TICK;
  const rssBytes = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
  return { cpuSeconds, rssBytes };
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(250);
  }
}

console.log(`${TARGETS} targets × ${SERIES} series, ${INTERVAL}s interval; ${ACTIVE} active series per sender (report series included)`);
// Warm up: both have sent at least two full scrapes of every target.
await waitFor(() => received.ours! >= 2 * ACTIVE && received.prom! >= 2 * ACTIVE, (INTERVAL * 4 + 120) * 1000, "both senders to deliver two scrapes");
const before = { ours: usage(ours.pid!), prom: usage(prom.pid!), recv: { ...received } };
const rss: Record<string, number[]> = { ours: [], prom: [] };
const sampler = setInterval(() => {
  rss.ours!.push(usage(ours.pid!).rssBytes);
  rss.prom!.push(usage(prom.pid!).rssBytes);
}, 1000);
await Bun.sleep(MEASURE * 1000);
clearInterval(sampler);
const after = { ours: usage(ours.pid!), prom: usage(prom.pid!), recv: { ...received } };

function figures(who: "ours" | "prom") {
  const cpu = after[who].cpuSeconds - before[who].cpuSeconds;
  const samples = after.recv[who]! - before.recv[who]!;
  const peak = Math.max(...rss[who]!);
  return {
    samples,
    cpu,
    rssMiB: peak / 2 ** 20,
    rssPerSeries: peak / ACTIVE,
    cpuPerMillion: samples > 0 ? (cpu / samples) * 1e6 : Number.NaN,
    samplesPerCoreSecond: cpu > 0 ? samples / cpu : Number.NaN,
  };
}
const o = figures("ours");
const p = figures("prom");
const row = (name: string, f: ReturnType<typeof figures>) =>
  `${name.padEnd(18)} samples ${String(f.samples).padStart(9)}  cpu ${f.cpu.toFixed(2).padStart(7)} s  peak RSS ${f.rssMiB.toFixed(1).padStart(7)} MiB  ` +
  `RSS/series ${f.rssPerSeries.toFixed(0).padStart(6)} B  CPU/1M samples ${f.cpuPerMillion.toFixed(2).padStart(6)} s  ${Math.round(f.samplesPerCoreSecond).toString().padStart(8)} samples/s/core`;
console.log(`measured ${MEASURE}s after warm-up`);
console.log(row("alloy (ours)", o));
console.log(row("prometheus agent", p));
console.log(`ratios ours/prometheus: RSS ${(o.rssPerSeries / p.rssPerSeries).toFixed(2)}×  CPU per sample ${(o.cpuPerMillion / p.cpuPerMillion).toFixed(2)}×`);
console.log(
  `targets: RSS ≤ 0.6× agent and ≤ 2048 B/series: ${o.rssPerSeries / p.rssPerSeries <= 0.6 && o.rssPerSeries <= 2048 ? "met" : "missed"}; ` +
    `CPU ≤ 1.0× agent and ≥ 100000 samples/s/core: ${o.cpuPerMillion <= p.cpuPerMillion && o.samplesPerCoreSecond >= 100_000 ? "met" : "missed"}`,
);
cleanup();
for (const t of targets) t.stop(true);
sink.stop(true);
process.exit(0);
