// Compressed files (the `decompression` block): a file is read whole once it
// has existed for initial_delay, decompressed (gz, z), and its lines after the
// recorded position are forwarded; it is read again only if it changes. The
// position is the number of decompressed bytes already forwarded.

import { readFileSync, statSync } from "node:fs";
import { gunzipSync, inflateSync } from "node:zlib";
import { nowNs, type Entry } from "../../../../telemetry/loki/entry.ts";
import type { TailerOptions } from "./tailer.ts";

export type CompressionFormat = "gz" | "z" | "bz2";

export function checkFormat(f: string): string | undefined {
  if (f === "gz" || f === "z") return undefined;
  if (f === "bz2") return `decompression format "bz2" is not supported by this build; use "gz" or "z"`;
  return `unsupported decompression format ${JSON.stringify(f)}: must be one of "gz", "z", "bz2"`;
}

export class CompressedFileReader {
  private firstSeen: number | undefined;
  private lastMtime = -1;
  private lastSize = -1;

  constructor(
    readonly opts: TailerOptions,
    private readonly format: CompressionFormat,
    private readonly initialDelayMs: number,
  ) {}

  async poll(): Promise<boolean> {
    const o = this.opts;
    let st;
    try {
      st = statSync(o.path);
    } catch {
      this.firstSeen = undefined;
      return false;
    }
    const now = Date.now();
    this.firstSeen ??= now;
    if (now - this.firstSeen < this.initialDelayMs) return false;
    if (st.mtimeMs === this.lastMtime && st.size === this.lastSize) return false;
    this.lastMtime = st.mtimeMs;
    this.lastSize = st.size;
    let raw: Buffer;
    try {
      const compressed = readFileSync(o.path);
      raw = this.format === "gz" ? gunzipSync(compressed) : inflateSync(compressed);
    } catch (e) {
      o.logger.warn("cannot decompress file", { path: o.path, format: this.format, err: (e as Error).message });
      return false;
    }
    o.metrics.totalBytes.set({ path: o.path }, raw.length);
    const saved = o.positions.get(o.path, o.positionLabels);
    const from = saved === undefined || Number.isNaN(saved) ? 0 : saved;
    if (from >= raw.length) return false;
    const rest = raw.subarray(from > raw.length ? 0 : from);
    const complete = o.splitter.completeLength(rest);
    const terminated = complete === rest.length;
    const lines = o.splitter.decode(rest, terminated, () => o.metrics.encodingFailures.inc({ path: o.path }));
    const ts = nowNs();
    const entries: Entry[] = lines.map((line) => ({ labels: o.labels, timestamp: ts, line, structuredMetadata: [] }));
    o.metrics.readLines.inc({ path: o.path }, entries.length);
    o.metrics.readBytes.set({ path: o.path }, raw.length);
    for (let i = 0; i < entries.length; i += 4096) await o.forward(entries.slice(i, i + 4096));
    o.positions.put(o.path, o.positionLabels, raw.length);
    return true;
  }

  stop(): void {
    this.opts.metrics.forget(this.opts.path);
  }
}
