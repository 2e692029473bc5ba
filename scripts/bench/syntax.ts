// Benchmark of the syntax front end on a generated 10,000-line config:
// parse, evaluate every attribute (when the evaluator is available) and print.
//
//   bun scripts/bench/syntax.ts [--lines N] [--repeat N]
//
// Targets: parse ≥ 20 MB/s; parse + eval + print of the whole file < 200 ms.

import type { Body, Expr } from "../../src/syntax/ast.ts";
import { parseFile } from "../../src/syntax/parser.ts";
import { printFile } from "../../src/syntax/printer/index.ts";

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const targetLines = argNumber("--lines", 10_000);
const repeat = argNumber("--repeat", 15);

/** A realistic config: many labelled components, nested blocks, arrays, objects, expressions and comments. */
function generateConfig(lines: number): string {
  const out: string[] = ["// Generated benchmark configuration.", ""];
  for (let n = 0; out.length < lines; n++) {
    out.push(
      `// Scrape job ${n}: collects metrics from the service fleet.`,
      `prometheus.scrape "job_${n}" {`,
      `\ttargets = [`,
      `\t\t{"__address__" = "host-${n}-a:9090", "env" = "prod", "shard" = "${n % 7}"},`,
      `\t\t{"__address__" = "host-${n}-b:9090", "env" = "prod", "shard" = "${(n + 1) % 7}"}, // second replica`,
      `\t]`,
      `\tforward_to      = [remote.default.receiver, remote.backup.receiver]`,
      `\tscrape_interval = "15s"`,
      `\tscrape_timeout  = "10s" /* must stay below the interval */`,
      `\tsample_limit    = ${n} * 2 + 1000 - (${n} % 3) ^ 2`,
      `\tenabled         = true && !false || ${n} >= 0`,
      `\tjob_name        = "job-" + "${n}"`,
      `\tlabels          = {team = "observability", tier = "tier-${n % 3}", index = ${n}}`,
      ``,
      `\tbasic_auth {`,
      `\t\tusername = "scraper"`,
      `\t\tpassword = secrets.scrape_password`,
      `\t}`,
      ``,
      `\tclustering {`,
      `\t\tenabled = ${n % 2 === 0}`,
      `\t}`,
      `}`,
      ``,
    );
  }
  return out.join("\n");
}

interface Stats {
  best: number;
  median: number;
  /** Least CPU time (user + system) of one run: steadier than wall time on a busy machine. */
  bestCpu: number;
}

function time(fn: () => void): Stats {
  const samples: number[] = [];
  const cpu: number[] = [];
  fn(); // warm up
  for (let i = 0; i < repeat; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { best: samples[0]!, median: samples[Math.floor(samples.length / 2)]!, bestCpu: cpu[0]! };
}

function report(stage: string, s: Stats, bytes: number): void {
  const mbps = bytes / 1e6 / (s.best / 1000);
  console.log(
    `${stage.padEnd(8)} best ${s.best.toFixed(2).padStart(8)} ms   median ${s.median.toFixed(2).padStart(8)} ms   cpu ${s.bestCpu.toFixed(2).padStart(8)} ms   ${mbps.toFixed(1).padStart(7)} MB/s`,
  );
}

function attributeValues(body: Body, out: Expr[] = []): Expr[] {
  for (const s of body) {
    if (s.kind === "attribute") out.push(s.value);
    else attributeValues(s.body, out);
  }
  return out;
}

type Evaluate = (expr: Expr) => unknown;

/** The evaluator is written separately; use it if it is there. */
async function loadEvaluator(): Promise<Evaluate | undefined> {
  try {
    const vm = await import("../../src/syntax/vm.ts");
    if (typeof vm.evaluate !== "function" || typeof vm.Scope !== "function") return undefined;
    const receiver = { kind: "receiver" };
    const scope = new vm.Scope({
      remote: { default: { receiver }, backup: { receiver } },
      secrets: { scrape_password: "hunter2" },
    } as never);
    return (expr) => vm.evaluate(expr, scope, { file: "bench.alloy", stability: "generally-available" });
  } catch {
    return undefined;
  }
}

const src = generateConfig(targetLines);
// BENCH_DUMP=path writes the generated config out, e.g. for profiling.
if (process.env.BENCH_DUMP) await Bun.write(process.env.BENCH_DUMP, src);
const bytes = new TextEncoder().encode(src);
const lineCount = src.split("\n").length;
console.log(`syntax bench: ${lineCount} lines, ${(bytes.length / 1e6).toFixed(2)} MB, best/median of ${repeat} runs`);

const parsed = parseFile("bench.alloy", bytes);
if (parsed.diagnostics.length > 0) throw new Error(`generated config does not parse: ${parsed.diagnostics[0]!.message}`);

const parseStats = time(() => parseFile("bench.alloy", bytes));
report("parse", parseStats, bytes.length);

const printStats = time(() => printFile(parsed.file));
report("print", printStats, bytes.length);

const printed = printFile(parsed.file);
if (parseFile("printed.alloy", printed).diagnostics.length > 0) throw new Error("printed config does not parse");

const evaluate = await loadEvaluator();
let evalStats: Stats | undefined;
if (evaluate) {
  const values = attributeValues(parsed.file.body);
  let failures = 0;
  for (const v of values) {
    try {
      evaluate(v);
    } catch {
      failures++;
    }
  }
  evalStats = time(() => {
    for (const v of values) {
      try {
        evaluate(v);
      } catch {
        // counted above
      }
    }
  });
  report("eval", evalStats, bytes.length);
  console.log(`         ${values.length} attributes evaluated, ${failures} failed`);
} else {
  console.log("eval: evaluator not available");
}

const totalStats = time(() => {
  const { file } = parseFile("bench.alloy", bytes);
  if (evaluate) for (const v of attributeValues(file.body)) {
    try {
      evaluate(v);
    } catch {
      // counted above
    }
  }
  printFile(file);
});
report(evaluate ? "total" : "p+print", totalStats, bytes.length);

const parseMBps = bytes.length / 1e6 / (parseStats.best / 1000);
console.log(`targets: parse ≥ 20 MB/s: ${parseMBps >= 20 ? "met" : "MISSED"}; whole pipeline < 200 ms: ${totalStats.best < 200 ? "met" : "MISSED"}`);
