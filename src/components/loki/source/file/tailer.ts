// Tailing one file: reads what was appended since the last poll, in chunks,
// forwarding the complete lines of each chunk before reading the next (so a
// slow receiver slows the reader) and recording the offset after them.
//
// Rotation: when the path names another file (rename, or delete and
// re-create), the old file is read to its end first (its unterminated last
// line included), then the new one from offset 0. When the file shrinks
// (copy-truncate), reading restarts at 0. A missing file is waited for.

import { closeSync, openSync, readSync, statSync, type Stats } from "node:fs";
import type { Logger } from "../../../../runtime/logger.ts";
import { nowNs, type Entry, type LabelSet } from "../../../../telemetry/loki/entry.ts";
import type { LineSplitter } from "./lines.ts";
import type { FileMetrics } from "./metrics.ts";
import type { Positions } from "./positions.ts";

const CHUNK = 1 << 20;
// One read buffer for every tailer: a chunk is decoded (copied) before any await.
const sharedBuf = Buffer.allocUnsafe(2 * CHUNK);

export interface TailerOptions {
  path: string;
  /** Stream labels of every entry (one shared object). */
  labels: LabelSet;
  /** The label text the position is stored under. */
  positionLabels: string;
  positions: Positions;
  splitter: LineSplitter;
  tailFromEnd: boolean;
  /** What to do when this file's recorded position is corrupt. */
  onPositionError: "skip" | "restart_from_end" | "restart_from_beginning";
  forward: (entries: Entry[]) => void | Promise<void>;
  metrics: FileMetrics;
  logger: Logger;
}

export class FileTailer {
  private fd: number | undefined;
  private ino = -1;
  /** Bytes read from the open file so far (some may be a partial line). */
  private readPos = 0;
  private partial: Uint8Array = new Uint8Array(0);
  private active = false;
  private skipped = false;
  /** Size seen at the last poll (for the file_bytes metric); -1 before the file was found. */
  lastSize = -1;

  constructor(readonly opts: TailerOptions) {}

  /** The file is open and being read. */
  get isRunning(): boolean {
    return this.fd !== undefined;
  }

  /** Offset after the last complete line read. */
  get readOffset(): number {
    return this.readPos - this.partial.length;
  }

  /** Reads everything new; true when anything was read. Never throws for file-system errors. */
  async poll(): Promise<boolean> {
    const o = this.opts;
    let st: Stats | undefined;
    try {
      st = statSync(o.path);
    } catch {
      st = undefined;
    }
    if (this.fd !== undefined) {
      if (st === undefined || st.ino !== this.ino) {
        // Rotated away or deleted: finish the old file first.
        const read = await this.readToEnd(true);
        this.close();
        // The recorded offset belonged to the old file; whatever appears at the path next starts at 0.
        o.positions.put(o.path, o.positionLabels, 0);
        if (st === undefined) return read;
        this.open(st, 0);
        return (await this.readToEnd(false)) || read;
      }
      // Same inode, so the path's size is the open file's size.
      const size = st.size;
      this.lastSize = size;
      if (size < this.readPos) {
        o.logger.info("file was truncated, reading from the start", { path: o.path, size, offset: this.readPos });
        this.readPos = 0;
        this.partial = new Uint8Array(0);
      }
      // Nothing new: no read (one stat per poll keeps thousands of idle files cheap).
      if (size === this.readPos) return false;
      return this.readToEnd(false);
    }
    if (st === undefined || !st.isFile()) return false;
    this.lastSize = st.size;
    let saved = o.positions.get(o.path, o.positionLabels);
    let fromEnd = o.tailFromEnd;
    if (saved !== undefined && Number.isNaN(saved)) {
      if (o.onPositionError === "skip") {
        if (!this.skipped) o.logger.error("failed to get file position: corrupt entry in the positions file; not tailing the file", { path: o.path });
        this.skipped = true;
        return false;
      }
      fromEnd = o.onPositionError === "restart_from_end";
      o.logger.info(`reset position to ${fromEnd ? "end" : "start"} of file after positions error`, { path: o.path });
      saved = undefined;
    }
    let start = saved ?? (fromEnd ? st.size : 0);
    if (start > st.size) start = 0;
    this.open(st, start);
    return this.readToEnd(false);
  }

  private open(st: Stats, offset: number): void {
    try {
      this.fd = openSync(this.opts.path, "r");
    } catch (e) {
      this.opts.logger.warn("cannot open file", { path: this.opts.path, err: (e as Error).message });
      return;
    }
    this.ino = st.ino;
    this.readPos = offset;
    this.partial = new Uint8Array(0);
    if (!this.active) {
      this.active = true;
      this.opts.metrics.filesActive.inc();
    }
    this.opts.logger.debug("tailing file", { path: this.opts.path, offset });
  }

  private close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed; nothing to release.
      }
    }
    this.fd = undefined;
    this.ino = -1;
    if (this.active) {
      this.active = false;
      this.opts.metrics.filesActive.dec();
    }
  }

  /** Reads to the current end; `final` also emits an unterminated last line (the file will not grow). */
  private async readToEnd(final: boolean): Promise<boolean> {
    const o = this.opts;
    let any = false;
    for (;;) {
      if (this.fd === undefined) return any;
      // The partial line goes first in the buffer and the read lands after it, so nothing is copied twice.
      const pl = this.partial.length;
      const buf = pl + CHUNK <= sharedBuf.length ? sharedBuf : Buffer.allocUnsafe(pl + CHUNK);
      if (pl > 0) buf.set(this.partial, 0);
      let n: number;
      try {
        n = readSync(this.fd, buf, pl, CHUNK, this.readPos);
      } catch (e) {
        o.logger.warn("error reading file", { path: o.path, err: (e as Error).message });
        return any;
      }
      if (n === 0) break;
      any = true;
      this.readPos += n;
      o.metrics.readBytes.set({ path: o.path }, this.readPos);
      const data = buf.subarray(0, pl + n);
      const complete = o.splitter.completeLength(data);
      this.partial = complete === data.length ? new Uint8Array(0) : Uint8Array.prototype.slice.call(data, complete);
      if (complete > 0) await this.emit(data.subarray(0, complete), true);
      // Receivers that take entries synchronously never yield; let other I/O (the HTTP server,
      // loki.write's responses) run between chunks of a long backlog.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (final && this.partial.length > 0) {
      const rest = this.partial;
      this.partial = new Uint8Array(0);
      await this.emit(rest, false);
    }
    return any;
  }

  private async emit(bytes: Uint8Array, terminated: boolean): Promise<void> {
    const o = this.opts;
    const lines = o.splitter.decode(bytes, terminated, () => o.metrics.encodingFailures.inc({ path: o.path }));
    const ts = nowNs();
    const entries: Entry[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) entries[i] = { labels: o.labels, timestamp: ts, line: lines[i]!, structuredMetadata: [] };
    o.metrics.readLines.inc({ path: o.path }, lines.length);
    await o.forward(entries);
    o.positions.put(o.path, o.positionLabels, this.readPos - this.partial.length);
  }

  stop(): void {
    this.close();
    this.opts.metrics.forget(this.opts.path);
  }
}
