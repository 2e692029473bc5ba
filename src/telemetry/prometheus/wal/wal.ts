// WriteAheadLog: the durable buffer of prometheus.remote_write.
//
// Layout: `<dir>/NNNNNNNN` segment files (records framed as in segment.ts) and at
// most one `<dir>/checkpoint.NNNNNNNN/` directory. Opening always starts a new
// segment, so writes never follow a torn record left by a crash.
//
// Durability guarantee: with `fsync: true` (the default) the promise returned by
// log() resolves only after the records are written and fsync'ed; anything a caller
// saw accepted survives a process crash or power loss and is read back by replay()
// and readers after a restart. Concurrent log() calls are committed together (one
// write and one fsync for all of them), which keeps throughput high. With
// `fsync: false` data survives a process crash but may be lost on power loss.
//
// Disk use is bounded by `maxSizeBytes` (0: unbounded): a log() that would exceed
// it is rejected with WalFullError before anything is written. A full disk
// (ENOSPC/EDQUOT) rejects the log() with WalFullError too, and the partial write is
// cut off again; the process never crashes and earlier data stays readable.

import { mkdir, open, readdir, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { concatBytes } from "../../concat_bytes.ts";
import { syncDir, writeCheckpoint, type CheckpointStats } from "./checkpoint.ts";
import { dirSize, latestCheckpoint, listSegments, readCheckpoint, WalReader, type SegmentRange, type WalEntry } from "./reader.ts";
import { frameRecords, segmentName, type Corruption } from "./segment.ts";

export interface WalOptions {
  /** Maximum segment size in bytes before starting a new one (Prometheus: 128 MiB). */
  segmentSize?: number;
  /** fsync after every commit; see the guarantee above. Default true. */
  fsync?: boolean;
  /** Upper bound for the whole directory in bytes; 0 = none. */
  maxSizeBytes?: number;
}

export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

export class WalError extends Error {
  override name = "WalError";
}

/** The WAL cannot take more data: its size limit or the disk is full. */
export class WalFullError extends WalError {
  override name = "WalFullError";
}

interface PendingWrite {
  buf: Uint8Array;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface ReplayStats {
  records: number;
  corruptions: Corruption[];
  corruptionCount: number;
  fromCheckpoint?: number;
}

export class WriteAheadLog {
  #fh: FileHandle;
  #segment: number;
  #segmentBytes = 0;
  #totalBytes: number;
  #queue: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;
  #closed = false;
  readonly segmentSize: number;
  readonly fsync: boolean;
  readonly maxSizeBytes: number;

  private constructor(
    readonly dir: string,
    fh: FileHandle,
    segment: number,
    totalBytes: number,
    opts: WalOptions,
  ) {
    this.#fh = fh;
    this.#segment = segment;
    this.#totalBytes = totalBytes;
    this.segmentSize = opts.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    this.fsync = opts.fsync ?? true;
    this.maxSizeBytes = opts.maxSizeBytes ?? 0;
  }

  /** Opens (creating if needed) the WAL in `dir` and starts a fresh segment after the existing ones. */
  static async open(dir: string, opts: WalOptions = {}): Promise<WriteAheadLog> {
    await mkdir(dir, { recursive: true });
    for (const n of await readdir(dir)) {
      if (/^checkpoint\.\d+\.tmp$/.test(n)) await rm(join(dir, n), { recursive: true, force: true });
    }
    const segs = await listSegments(dir);
    const cp = await latestCheckpoint(dir);
    const next = Math.max(segs.length > 0 ? segs[segs.length - 1]! + 1 : 0, cp !== undefined ? cp.index + 1 : 0);
    const fh = await open(join(dir, segmentName(next)), "a");
    // The new segment's directory entry must be durable before records in it count as such.
    if (opts.fsync ?? true) await syncDir(dir);
    return new WriteAheadLog(dir, fh, next, await dirSize(dir), opts);
  }

  /** The segment being written. */
  get currentSegment(): number {
    return this.#segment;
  }

  /** Bytes the directory holds (segments and checkpoint), as tracked by this writer. */
  get sizeBytes(): number {
    return this.#totalBytes;
  }

  async segments(): Promise<SegmentRange> {
    const s = await listSegments(this.dir);
    return s.length === 0 ? { first: -1, last: -1 } : { first: s[0]!, last: s[s.length - 1]! };
  }

  /**
   * Appends encoded records (see records.ts); resolves once durable per the fsync
   * policy. The records are copied before log() returns, so callers may reuse their buffers.
   */
  log(records: readonly Uint8Array[]): Promise<void> {
    if (this.#closed) return Promise.reject(new WalError(`WAL at ${this.dir} is closed`));
    if (records.length === 0) return Promise.resolve();
    const buf = frameRecords(records);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ buf, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#flushing !== undefined) return;
    this.#flushing = this.#flushLoop().finally(() => {
      this.#flushing = undefined;
      // A log() may have queued after the loop's last check but before this ran.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #flushLoop(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0);
      const accepted: PendingWrite[] = [];
      let bytes = 0;
      for (const p of batch) {
        if (this.maxSizeBytes > 0 && this.#totalBytes + bytes + p.buf.length > this.maxSizeBytes) {
          p.reject(new WalFullError(`WAL at ${this.dir} reached its size limit of ${this.maxSizeBytes} bytes; records were not written`));
        } else {
          accepted.push(p);
          bytes += p.buf.length;
        }
      }
      try {
        await this.#write(accepted);
        for (const p of accepted) p.resolve();
      } catch (e) {
        for (const p of accepted) p.reject(e as Error);
      }
    }
  }

  async #write(items: PendingWrite[]): Promise<void> {
    let group: Uint8Array[] = [];
    let groupBytes = 0;
    const flushGroup = async () => {
      if (group.length === 0) return;
      const buf = group.length === 1 ? group[0]! : concatBytes(group, groupBytes);
      const file = join(this.dir, segmentName(this.#segment));
      const before = this.#segmentBytes;
      try {
        let off = 0;
        while (off < buf.length) {
          const { bytesWritten } = await this.#fh.write(buf, off, buf.length - off);
          off += bytesWritten;
        }
        if (this.fsync) await this.#fh.datasync();
      } catch (e) {
        await this.#fh.truncate(before).catch(() => undefined);
        throw wrapWriteError(e, file);
      }
      this.#segmentBytes += buf.length;
      this.#totalBytes += buf.length;
      group = [];
      groupBytes = 0;
    };
    for (const p of items) {
      if (this.#segmentBytes + groupBytes + p.buf.length > this.segmentSize && this.#segmentBytes + groupBytes > 0) {
        await flushGroup();
        await this.#rotate();
      }
      group.push(p.buf);
      groupBytes += p.buf.length;
    }
    await flushGroup();
  }

  async #rotate(): Promise<void> {
    if (this.fsync) await this.#fh.sync();
    await this.#fh.close();
    this.#segment++;
    this.#segmentBytes = 0;
    this.#fh = await open(join(this.dir, segmentName(this.#segment)), "a");
    if (this.fsync) await syncDir(this.dir);
  }

  /** Closes the current segment and starts the next; returns the new segment number. */
  async nextSegment(): Promise<number> {
    await this.#idle();
    await this.#rotate();
    return this.#segment;
  }

  async #idle(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  /** Deletes the segments numbered below `segment` (never the one being written). */
  async truncate(segment: number): Promise<number> {
    let removed = 0;
    for (const s of await listSegments(this.dir)) {
      if (s >= segment || s >= this.#segment) continue;
      await rm(join(this.dir, segmentName(s)), { force: true });
      removed++;
    }
    this.#totalBytes = await dirSize(this.dir);
    return removed;
  }

  /**
   * Checkpoints everything written so far: starts a new segment, rewrites the series
   * for which `keep(ref)` is true and the samples with timestamp ≥ minTime of all
   * older segments (and the previous checkpoint) into a new checkpoint, then deletes
   * those segments.
   */
  async checkpoint(keep: (ref: number) => boolean, minTime: number): Promise<CheckpointStats> {
    const current = await this.nextSegment();
    const stats = await writeCheckpoint(this.dir, current - 1, keep, minTime, this.segmentSize);
    await this.truncate(current);
    return stats;
  }

  /** A reader tailing from `fromSegment` (default: the first segment). */
  reader(fromSegment = 0, onCorruption?: (c: Corruption) => void): WalReader {
    return new WalReader(this.dir, fromSegment, onCorruption);
  }

  /** Calls `handler` for every record of the checkpoint and of all segments, in order. */
  async replay(handler: (e: WalEntry) => void, onCorruption?: (c: Corruption) => void): Promise<ReplayStats> {
    await this.#idle();
    return replayDir(this.dir, handler, onCorruption);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#idle();
    if (this.fsync) await this.#fh.sync().catch(() => undefined);
    await this.#fh.close();
  }
}

/** Replays a WAL directory without opening it for writing (e.g. after a crash, or for tooling). */
export async function replayDir(dir: string, handler: (e: WalEntry) => void, onCorruption?: (c: Corruption) => void): Promise<ReplayStats> {
  const stats: ReplayStats = { records: 0, corruptions: [], corruptionCount: 0 };
  const report = (c: Corruption) => {
    stats.corruptionCount++;
    if (stats.corruptions.length < 1000) stats.corruptions.push(c);
    onCorruption?.(c);
  };
  const cp = await latestCheckpoint(dir);
  if (cp !== undefined) {
    stats.fromCheckpoint = cp.index;
    const r = await readCheckpoint(cp.dir, report);
    for (const e of r.entries) (handler(e), stats.records++);
  }
  const segs = await listSegments(dir);
  const from = segs.find((s) => s > (cp?.index ?? -1));
  if (from === undefined) return stats;
  const reader = new WalReader(dir, from, report, true);
  // A replay reads to the current end once; the newest segment may end in a torn record.
  for (;;) {
    const batch = await reader.read();
    for (const e of batch) (handler(e), stats.records++);
    if (batch.length === 0) break;
  }
  return stats;
}

function wrapWriteError(e: unknown, file: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const msg = e instanceof Error ? e.message : String(e);
  if (code === "ENOSPC" || code === "EDQUOT") return new WalFullError(`no space left on device writing WAL segment ${file}: ${msg}`);
  return new WalError(`writing WAL segment ${file}: ${msg}`);
}
