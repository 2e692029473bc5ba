// Builds the `alloy` executables: one `bun build --compile` of src/cli/main.ts per
// target into dist/alloy-<os>-<arch>[.exe], with version, git commit, branch and
// build date stamped in through `define`.
//
//   bun build.ts                          every target
//   bun build.ts --target linux-x64       one target (repeatable, or comma-separated)
//   bun build.ts --list                   the target names
//
// Cross targets make Bun fetch that platform's runtime from the npm registry.

import { mkdir, stat } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import packageJSON from "./package.json" with { type: "json" };

const targets = {
  "linux-x64": "bun-linux-x64",
  "linux-x64-musl": "bun-linux-x64-musl",
  "linux-arm64": "bun-linux-arm64",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
  "windows-arm64": "bun-windows-arm64",
  "freebsd-x64": "bun-freebsd-x64",
} as const;
export type TargetName = keyof typeof targets;
const targetNames = Object.keys(targets) as TargetName[];

const root = import.meta.dir;
const distDir = join(root, "dist");

function usage(): string {
  return `usage: bun build.ts [--target <name>[,<name>...]]... [--list]\ntargets: ${targetNames.join(", ")}`;
}

function parseArgs(argv: string[]): TargetName[] {
  const chosen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--list") {
      console.log(targetNames.join("\n"));
      process.exit(0);
    } else if (arg === "-h" || arg === "--help") {
      console.log(usage());
      process.exit(0);
    } else if (arg === "--target" || arg === "-t") {
      const v = argv[++i];
      if (v === undefined) fail(`--target needs a value\n${usage()}`);
      chosen.push(...v.split(","));
    } else if (arg.startsWith("--target=")) {
      chosen.push(...arg.slice("--target=".length).split(","));
    } else {
      fail(`unknown argument ${JSON.stringify(arg)}\n${usage()}`);
    }
  }
  const unknown = chosen.filter((t) => !(t in targets));
  if (unknown.length > 0) fail(`unknown target${unknown.length > 1 ? "s" : ""} ${unknown.map((t) => JSON.stringify(t)).join(", ")}; known targets: ${targetNames.join(", ")}`);
  return chosen.length > 0 ? [...new Set(chosen as TargetName[])] : targetNames;
}

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(2);
}

function git(...args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { cwd: root, stdout: "pipe", stderr: "ignore" });
  return r.success ? r.stdout.toString().trim() : "unknown";
}

function stamps(): Record<string, string> {
  const dirty = git("status", "--porcelain", "--untracked-files=no") ? "-dirty" : "";
  let user = "unknown";
  try {
    user = `${userInfo().username}@${hostname()}`;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return {
    ALLOY_BUILD_VERSION: JSON.stringify(packageJSON.version),
    ALLOY_BUILD_REVISION: JSON.stringify(git("rev-parse", "--short=12", "HEAD") + (dirty && git("rev-parse", "HEAD") !== "unknown" ? dirty : "")),
    ALLOY_BUILD_BRANCH: JSON.stringify(git("rev-parse", "--abbrev-ref", "HEAD")),
    ALLOY_BUILD_DATE: JSON.stringify(new Date().toISOString().replace(/\.\d+Z$/, "Z")),
    ALLOY_BUILD_USER: JSON.stringify(user),
  };
}

export function outputPath(target: TargetName): string {
  return join(distDir, `alloy-${target}${target.startsWith("windows") ? ".exe" : ""}`);
}

// prom-client's index also loads its default-metrics collector and Pushgateway
// client (perf_hooks, http, https, zlib), which Alloy never uses: ~150 ms at
// every start. The executable gets the same exports with those two loaded on use.
const leanPromClient = `
const Registry = require("prom-client/lib/registry");
module.exports = {
  register: Registry.globalRegistry,
  Registry,
  get contentType() { return Registry.globalRegistry.contentType; },
  prometheusContentType: Registry.PROMETHEUS_CONTENT_TYPE,
  openMetricsContentType: Registry.OPENMETRICS_CONTENT_TYPE,
  validateMetricName: require("prom-client/lib/validation").validateMetricName,
  Counter: require("prom-client/lib/counter"),
  Gauge: require("prom-client/lib/gauge"),
  Histogram: require("prom-client/lib/histogram"),
  Summary: require("prom-client/lib/summary"),
  linearBuckets: require("prom-client/lib/bucketGenerators").linearBuckets,
  exponentialBuckets: require("prom-client/lib/bucketGenerators").exponentialBuckets,
  aggregators: require("prom-client/lib/metricAggregators").aggregators,
  AggregatorRegistry: require("prom-client/lib/cluster"),
  get Pushgateway() { return require("prom-client/lib/pushgateway"); },
  get collectDefaultMetrics() { return require("prom-client/lib/defaultMetrics"); },
};
`;

export const leanPromClientPlugin: Bun.BunPlugin = {
  name: "lean-prom-client",
  setup(build) {
    build.onResolve({ filter: /^prom-client$/ }, () => ({ path: "prom-client", namespace: "lean-prom-client" }));
    build.onLoad({ filter: /.*/, namespace: "lean-prom-client" }, () => ({ contents: leanPromClient, loader: "js", resolveDir: root }));
  },
};

/** Bytecode layout profiles, most common workload first. */
const BYTECODE_ORDER = ["default-config.txt", "otlp-gateway.txt"].map((f) => join(root, "scripts/bytecode-order", f));

/** One `bun build --compile` of the CLI; also used by the end-to-end tests. */
export function compileAlloy(target: TargetName, outfile: string, define: Record<string, string> = stamps()): Promise<Bun.BuildOutput> {
  return compileExecutable(join(root, "src/cli/main.ts"), target, outfile, define);
}

/** `bun build --compile` of any entry point with the executable's settings (benchmarks compile reference programs with it). */
export function compileExecutable(entrypoint: string, target: TargetName, outfile: string, define: Record<string, string> = {}): Promise<Bun.BuildOutput> {
  return Bun.build({
    entrypoints: [entrypoint],
    compile: {
      target: targets[target] as Bun.Build.CompileTarget,
      outfile,
      // The executable must not pick up a .env or bunfig.toml from whatever directory it runs in.
      autoloadDotenv: false,
      autoloadBunfig: false,
      // JavaScriptCore compiles a function once it has run often enough; 20 makes that 20
      // times later. Code that runs a few thousand times (startup, configuration, timers)
      // then stays in the interpreter and only the hot paths are compiled, which keeps the
      // compilers' machine code and their output out of memory. Back to back against 1 on
      // scripts/bench/startup.ts (medians of 3, two pairs): the default config idled at
      // 62.2 and 58.7 MiB instead of 66.0 and 62.2, an empty one at 43.3 and 40.6 instead of
      // 48.5 and 45.8; ready times moved less than they vary between runs. On
      // scripts/bench/traces.ts: 60 s at 10k spans/s peaked 0–2 MiB lower; throughput over
      // HTTP unchanged within noise, over gRPC about 15% lower (772k instead of 900k spans/s
      // per core).
      jitPolicy: 20,
      // Profile-guided layout (scripts/record-bytecode-order.ts): the bytecode the common
      // workloads run sits together at the front, so fewer pages of the executable are read
      // into memory. Against no profile, the trace gateway of scripts/bench/traces.ts held
      // 47.5 instead of 49.2 MiB of the executable's pages after 30 s of traffic and peaked
      // at 62.3 instead of 64.4 MiB over 60 s at 10k spans/s; idle RSS of the default and
      // empty configs stayed within their run-to-run variation (about 2 MiB).
      bytecodeOrder: BYTECODE_ORDER,
    },
    // Names are kept so CPU profiles and error stacks stay readable; it costs nothing measurable at startup.
    minify: { whitespace: true, syntax: true, identifiers: false },
    sourcemap: "none",
    define,
    plugins: [leanPromClientPlugin],
    // Precompiled bytecode halves the time from exec to ready.
    bytecode: true,
    // Dynamically imported modules become separate embedded chunks, read only when
    // imported. Without this the whole bundle is loaded at every start, whether or not
    // its code runs: `alloy --version` then sits at ~47 MiB resident instead of ~36 MiB,
    // and lazily loaded component implementations would save little.
    splitting: true,
    format: "esm",
  });
}

async function buildTarget(target: TargetName, define: Record<string, string>): Promise<boolean> {
  const outfile = outputPath(target);
  const started = performance.now();
  let result: Bun.BuildOutput;
  try {
    result = await compileAlloy(target, outfile, define);
  } catch (err) {
    console.error(`${target}: build failed: ${err instanceof Error ? err.message : String(err)}`);
    const details = err instanceof AggregateError ? err.errors : [];
    for (const d of details) console.error(`  ${String(d)}`);
    return false;
  }
  if (!result.success) {
    console.error(`${target}: build failed:`);
    for (const log of result.logs) console.error(`  ${String(log)}`);
    return false;
  }
  const size = (await stat(outfile)).size;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${outfile.slice(root.length + 1)}  ${(size / 1024 / 1024).toFixed(1)} MiB  (${seconds}s)`);
  return true;
}

if (import.meta.main) {
  const chosen = parseArgs(process.argv.slice(2));
  await mkdir(distDir, { recursive: true });
  const define = stamps();
  let failed = 0;
  // A cross target's first build downloads its runtime; a failed download is retried once.
  for (const t of chosen) if (!(await buildTarget(t, define)) && !(await buildTarget(t, define))) failed++;
  if (failed > 0) {
    console.error(`build: ${failed} of ${chosen.length} target${chosen.length > 1 ? "s" : ""} failed`);
    process.exit(1);
  }
}
