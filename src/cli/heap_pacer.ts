// When to collect garbage, beyond what JavaScriptCore decides on its own. JSC starts a
// collection by the number of objects allocated; a pipeline that allocates few objects
// but many buffers (request bodies, encoded batches) can pile up tens of MiB of dead
// buffers between two of its collections. The pacer watches the heap size (objects plus
// the buffers they hold) and collects once it has grown by GOGC percent over what the
// last collection left, or has reached GOMEMLIMIT: the two variables Alloy's Go runtime
// reads, with their meanings carried over to the JavaScript heap.

import { heapSize } from "bun:jsc";

/** Below this the heap is left to grow, as Go's runtime leaves a heap of under 4 MiB alone. */
const MIN_HEAP_BYTES = 4 * 1024 * 1024;

export interface HeapPacerSettings {
  /** GOGC: growth over the live heap, in percent, that triggers a collection; null when off. */
  gcPercent: number | null;
  /** GOMEMLIMIT: a heap size at which a collection runs at every check; null when unset. */
  memoryLimitBytes: number | null;
}

export interface HeapPacerEnvironment {
  settings: HeapPacerSettings;
  /** Variables that were set to something unusable, each with why (their defaults apply). */
  problems: string[];
}

/** Reads GOGC and GOMEMLIMIT as Go does: GOGC=100 and no limit when unset. */
export function heapPacerSettings(env: Record<string, string | undefined>): HeapPacerEnvironment {
  const problems: string[] = [];
  let gcPercent: number | null = 100;
  const gogc = env.GOGC?.trim();
  if (gogc !== undefined && gogc !== "") {
    if (gogc.toLowerCase() === "off") gcPercent = null;
    else if (/^\d+$/.test(gogc)) gcPercent = Number(gogc);
    else problems.push(`GOGC=${JSON.stringify(env.GOGC)} is neither a non-negative integer nor "off"; using 100`);
  }
  let memoryLimitBytes: number | null = null;
  const limit = env.GOMEMLIMIT?.trim();
  if (limit !== undefined && limit !== "" && limit.toLowerCase() !== "off") {
    const bytes = parseByteSize(limit);
    if (bytes === undefined) problems.push(`GOMEMLIMIT=${JSON.stringify(env.GOMEMLIMIT)} is not a size such as 512MiB, 2GiB or 1073741824; no limit applies`);
    else memoryLimitBytes = bytes;
  }
  return { settings: { gcPercent, memoryLimitBytes }, problems };
}

const UNITS: Record<string, number> = { "": 1, B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

/** A byte count in GOMEMLIMIT's syntax: an integer with an optional B, KiB, MiB, GiB or TiB suffix. */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2] ?? ""]!;
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface HeapPacerOptions {
  settings: HeapPacerSettings;
  /** How often the heap size is checked. */
  intervalMs?: number;
  /** The heap size in bytes, buffers included; JSC's by default. */
  heapSize?: () => number;
  /** A full, synchronous collection; Bun's by default. */
  collect?: () => void;
}

export class HeapPacer {
  private readonly settings: HeapPacerSettings;
  private readonly intervalMs: number;
  private readonly heapSize: () => number;
  private readonly collect: () => void;
  private liveBytes: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Collections the pacer started. */
  collections = 0;

  constructor(opts: HeapPacerOptions) {
    this.settings = opts.settings;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.heapSize = opts.heapSize ?? heapSize;
    this.collect = opts.collect ?? (() => Bun.gc(true));
    this.liveBytes = this.heapSize();
  }

  /** The heap size at which the next check collects, or null when only JSC decides. */
  get triggerBytes(): number | null {
    const { gcPercent, memoryLimitBytes } = this.settings;
    const byGrowth = gcPercent === null ? null : Math.max(MIN_HEAP_BYTES, this.liveBytes * (1 + gcPercent / 100));
    if (memoryLimitBytes === null) return byGrowth;
    return byGrowth === null ? memoryLimitBytes : Math.min(byGrowth, memoryLimitBytes);
  }

  /** Collects if the heap has reached the trigger; true when it did. */
  check(): boolean {
    const trigger = this.triggerBytes;
    if (trigger === null || this.heapSize() < trigger) return false;
    this.collect();
    this.collections++;
    this.liveBytes = this.heapSize();
    return true;
  }

  /** Checks every interval from now on, unless the settings leave collections to JSC or another pacer runs: the heap is the process's. */
  start(): void {
    if (this.timer !== undefined || this.triggerBytes === null || running !== undefined) return;
    running = this;
    this.timer = setInterval(() => this.check(), this.intervalMs);
    // The pacer never keeps the process alive by itself.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (running === this) running = undefined;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }
}

let running: HeapPacer | undefined;
