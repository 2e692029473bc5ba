// /-/support: Alloy's support bundle, a zip of what a maintainer asks for first:
// metadata, components, peers, metrics at the start and end of a sampling
// window, runtime flags, relevant environment variables, the logs written during
// the window, and a CPU profile and heap snapshot taken over it.

import { uptime } from "node:os";
import type { Hono } from "hono";
import { buildInfo } from "../../buildinfo.ts";
import type { ZipEntry } from "./zip.ts";

export interface SupportBundleSources {
  metrics(): Promise<string>;
  componentsJSON(): string;
  peersJSON(): string;
  /** `name=value` for every run flag, as Alloy lists them. */
  runtimeFlags: readonly string[];
  /** Starts copying log lines; the returned function stops and returns them. */
  captureLogs(): () => string;
}

/** The duration when none is asked for, and the longest allowed (Alloy's default write timeout). */
export const maxBundleSeconds = 30;

const environmentVariables = [
  "AUTOMEMLIMIT",
  "GODEBUG",
  "GOGC",
  "GOMAXPROCS",
  "GOMEMLIMIT",
  "HOSTNAME",
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "NO_PROXY",
  "no_proxy",
  "PPROF_BLOCK_PROFILING_RATE",
  "PPROF_MUTEX_PROFILING_PERCENT",
];

/** The `?duration=` check of Alloy's handler: the error text, or the seconds. */
export function bundleDuration(raw: string | undefined): number | string {
  if (raw === undefined) return maxBundleSeconds;
  if (!/^[+-]?\d+$/.test(raw)) return `duration value (in seconds) should be a positive integer: strconv.Atoi: parsing ${JSON.stringify(raw)}: invalid syntax`;
  const d = Number(raw);
  if (d < 1) return "duration value (in seconds) should be larger than 1";
  if (d > maxBundleSeconds) return "duration value exceeds the server's write timeout";
  return d;
}

export async function supportBundle(src: SupportBundleSources, seconds: number): Promise<Uint8Array<ArrayBuffer>> {
  // Loaded with the first bundle, not at startup.
  const [{ profile }, { encodeCPUProfile }, { zip }] = await Promise.all([import("bun:jsc"), import("./pprof_profile.ts"), import("./zip.ts")]);
  const stopLogs = src.captureLogs();
  const metricsStart = await src.metrics();
  const components = src.componentsJSON();
  const peers = src.peersJSON();
  const meta = [
    `build_version: ${buildInfo.version}`,
    `os: ${buildInfo.goos}`,
    `architecture: ${buildInfo.goarch}`,
    `uptime: ${uptime()}`,
    "",
  ].join("\n");

  // Alloy stops the CPU profile 200 ms before the deadline to leave time for the rest.
  const profileMs = Math.max(100, seconds * 1000 - 200);
  const startedAt = Date.now();
  const cpu = await profile(() => Bun.sleep(profileMs), 1000);
  const cpuPprof = Bun.gzipSync(encodeCPUProfile(cpu.stackTraces, startedAt, Date.now() - startedAt));
  const heap = Bun.generateHeapSnapshot("v8");
  const metricsEnd = await src.metrics();
  const logs = stopLogs();

  const entries: ZipEntry[] = [
    { name: "alloy-metadata.yaml", data: meta },
    { name: "alloy-components.json", data: components },
    { name: "alloy-peers.json", data: peers },
    { name: "alloy-metrics-sample-start.txt", data: metricsStart },
    { name: "alloy-metrics-sample-end.txt", data: metricsEnd },
    { name: "alloy-runtime-flags.txt", data: src.runtimeFlags.join("\n") },
    { name: "alloy-environment.txt", data: environmentVariables.map((v) => `${v}=${process.env[v] ?? ""}`).join("\n") },
    { name: "alloy-logs.txt", data: logs },
    { name: "pprof/cpu.pprof", data: cpuPprof },
    // Not Go's heap profile: a V8-format heap snapshot, which Chrome DevTools opens.
    { name: "pprof/heap.heapsnapshot", data: heap },
    {
      name: "sources/README.txt",
      data: "The configuration files are not included: this build cannot yet redact the secrets in them.\n",
    },
  ];
  return zip(entries.map((e) => ({ ...e, name: `alloy-support-bundle/${e.name}` })));
}

const plain = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

/** GET /-/support: 403 when disabled, 400 for a bad duration, 501 without sources. */
export function registerSupportBundleRoute(app: Hono, opts: { disabled: boolean; sources: SupportBundleSources | undefined }): void {
  // One bundle at a time, as Alloy's handler holds a lock while it samples.
  let chain: Promise<unknown> = Promise.resolve();
  app.get("/-/support", async (c) => {
    if (opts.disabled) {
      return new Response("support bundle generation is disabled; it can be re-enabled by removing the --server.http.disable-support-bundle flag", {
        status: 403,
        headers: plain,
      });
    }
    const seconds = bundleDuration(c.req.query("duration"));
    if (typeof seconds === "string") return new Response(`${seconds}\n`, { status: 400, headers: plain });
    const sources = opts.sources;
    if (!sources) return new Response("support bundles are not available in this server\n", { status: 501, headers: plain });
    const next = chain.then(() => supportBundle(sources, seconds));
    chain = next.catch(() => {});
    try {
      return new Response(await next, {
        headers: { "Content-Type": "application/zip", "Content-Disposition": 'attachment; filename="alloy-support-bundle.zip"' },
      });
    } catch (err) {
      return new Response(`${err instanceof Error ? err.message : String(err)}\n`, { status: 500, headers: plain });
    }
  });
}
