// discovery.file: targets from JSON or YAML files (Prometheus's file_sd), found by
// glob patterns, re-read when the files' directories change and every
// refresh_interval. A file that cannot be read keeps its previous targets.

import { readdirSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { Counter, Histogram } from "prom-client";
import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import { groupTargets, parseTargetGroupsJSON, parseTargetGroupsYAML, sleep, type TargetGroup } from "./target_group.ts";
import type { Arguments, Exports } from "./file.ts";

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

/** Go's filepath.Match for one path element: `*`, `?`, `[...]`, `\` escapes. */
function globRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith("^")) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else if (c === "\\" && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The files a pattern matches now, sorted (filepath.Glob). */
export function expandPattern(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) {
    try {
      readFileSync(pattern, { flag: "r" }).length;
      return [pattern];
    } catch {
      return [];
    }
  }
  const dir = dirname(pattern);
  const re = globRegex(basename(pattern));
  try {
    return readdirSync(dir)
      .filter((n) => re.test(n))
      .sort()
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** Reads one file_sd file. Throws with Prometheus's context on bad content. */
export function readTargetFile(path: string): TargetGroup[] {
  const text = readFileSync(path, "utf8");
  switch (extname(path).toLowerCase()) {
    case ".json":
      return parseTargetGroupsJSON(text);
    case ".yml":
    case ".yaml":
      return parseTargetGroupsYAML(text);
    default:
      throw new Error(`unhandled file extension ${JSON.stringify(extname(path))}`);
  }
}

class DiscoveryFile implements ComponentInstance<Args> {
  private lastGroups = new Map<string, TargetGroup[]>();
  private watchers: FSWatcher[] = [];
  private wake: (() => void) | undefined;
  private readonly readErrors: Counter;
  private readonly scanDuration: Histogram;

  constructor(
    private readonly ctx: Ctx,
    private args: Args,
  ) {
    const registers = [ctx.registry];
    this.readErrors = new Counter({ name: "prometheus_sd_file_read_errors_total", help: "The number of File-SD read errors.", registers });
    this.scanDuration = new Histogram({
      name: "prometheus_sd_file_scan_duration_seconds",
      help: "The duration of the File-SD scan in seconds.",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.refresh();
  }

  update(args: Args): void {
    this.args = args;
    this.lastGroups.clear();
    this.refresh();
    this.watchDirs();
    this.wake?.();
  }

  private refresh(): void {
    const start = performance.now();
    const next = new Map<string, TargetGroup[]>();
    for (const pattern of this.args.files) {
      for (const path of expandPattern(pattern)) {
        if (next.has(path)) continue;
        try {
          next.set(path, readTargetFile(path));
        } catch (err) {
          this.readErrors.inc();
          const msg = err instanceof Error ? err.message : String(err);
          this.ctx.logger.error("Error reading file", { path, err: msg });
          const prev = this.lastGroups.get(path);
          if (prev) next.set(path, prev);
        }
      }
    }
    this.lastGroups = next;
    const targets = [...next.keys()].sort().flatMap((path) => groupTargets(next.get(path)!, { __meta_filepath: path }));
    this.ctx.publish({ targets });
    this.scanDuration.observe((performance.now() - start) / 1000);
  }

  private watchDirs(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    const dirs = new Set(this.args.files.map((f) => dirname(f)));
    for (const d of dirs) {
      try {
        const w = watch(d, () => this.wake?.());
        w.on("error", () => {});
        this.watchers.push(w);
      } catch (err) {
        this.ctx.logger.debug("cannot watch directory; relying on refresh_interval", { dir: d, err: String(err) });
      }
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    this.watchDirs();
    let last = Date.now();
    while (!signal.aborted) {
      const wait = Math.max(0, last + this.args.refresh_interval - Date.now());
      let woken = false;
      await sleep(wait, signal, (w) => (this.wake = () => ((woken = true), w())));
      this.wake = undefined;
      if (signal.aborted) break;
      // Coalesce bursts of change events.
      if (woken) await sleep(20, signal);
      this.refresh();
      last = Date.now();
    }
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}

/** Loaded with the first block of this component in a config (see file.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new DiscoveryFile(ctx, args);
