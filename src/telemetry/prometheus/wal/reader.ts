// Reading a WAL directory: a reader that tails segments from a position (what the
// remote-write queue's watcher uses), and listing of segments and checkpoints.
// Damaged records are skipped and reported with file and offset; reading goes on.

import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Labels } from "../labels.ts";
import { decodeRecord, type WalRecord } from "./records.ts";
import { parseSegmentName, scanSegment, segmentName, type Corruption } from "./segment.ts";

export interface WalEntry {
  segment: number;
  offset: number;
  record: WalRecord;
}

export interface SegmentRange {
  /** -1 when there are no segments. */
  first: number;
  last: number;
}

/** Segment numbers present in `dir`, ascending. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: number[] = [];
  for (const n of names) {
    const s = parseSegmentName(n);
    if (s !== undefined) out.push(s);
  }
  return out.sort((a, b) => a - b);
}

/** The newest finished checkpoint (`checkpoint.NNNNNNNN`), if any. */
export async function latestCheckpoint(dir: string): Promise<{ index: number; dir: string } | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let best: number | undefined;
  for (const n of names) {
    const m = /^checkpoint\.(\d{8,})$/.exec(n);
    if (m && (best === undefined || Number(m[1]) > best)) best = Number(m[1]);
  }
  return best === undefined ? undefined : { index: best, dir: join(dir, `checkpoint.${segmentName(best)}`) };
}

async function readFrom(file: string, offset: number): Promise<Uint8Array> {
  return (await readChunk(file, offset, Infinity)).buf;
}

/** Up to `limit` bytes of `file` from `offset`; `eof` tells whether they reach the end of the file. */
async function readChunk(file: string, offset: number, limit: number): Promise<{ buf: Uint8Array; eof: boolean }> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    if (size <= offset) return { buf: new Uint8Array(0), eof: true };
    const want = Math.min(size - offset, limit);
    const buf = new Uint8Array(want);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { buf: buf.subarray(0, got), eof: offset + got >= size };
  } finally {
    await fh.close();
  }
}

/** How much of a segment one read() call loads, so a reader that is far behind stays within bounded memory. */
export const DEFAULT_READ_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Reads records from segment `from` onwards. Each read() returns what is available
 * now — at most about `maxBytes` of it — and remembers where it stopped, so calling
 * it again continues and tails the log. Records
 * that fail their checksum, are torn, or do not decode are skipped and added to
 * `corruptions` (and counted), so a damaged byte never stalls the reader.
 */
export class WalReader {
  segment: number;
  offset = 0;
  readonly corruptions: Corruption[] = [];
  corruptionCount = 0;
  /** Labels of series refs the consumer already holds; their series entries are not decoded again (see decodeRecord). */
  knownSeries: ((ref: number) => Labels | undefined) | undefined;

  constructor(
    readonly dir: string,
    from = 0,
    private readonly onCorruption?: (c: Corruption) => void,
    /** Treat the newest segment as finished too (replay after a crash: a cut-short tail is torn, not pending). */
    private readonly assumeComplete = false,
    private readonly maxBytes = DEFAULT_READ_CHUNK_BYTES,
  ) {
    this.segment = from;
  }

  #report(c: Corruption): void {
    this.corruptionCount++;
    // Keep the list bounded; the count is exact.
    if (this.corruptions.length < 1000) this.corruptions.push(c);
    this.onCorruption?.(c);
  }

  async read(): Promise<WalEntry[]> {
    const out: WalEntry[] = [];
    let consumed = 0;
    for (;;) {
      const segs = await listSegments(this.dir);
      if (segs.length === 0) return out;
      if (!segs.includes(this.segment)) {
        // Truncated away (or not yet created): continue at the next existing segment.
        const next = segs.find((s) => s > this.segment);
        if (next === undefined) return out;
        this.segment = next;
        this.offset = 0;
      }
      const final = this.assumeComplete || segs[segs.length - 1]! > this.segment;
      const file = join(this.dir, segmentName(this.segment));
      let chunk: { buf: Uint8Array; eof: boolean };
      let res: ReturnType<typeof scanSegment>;
      let limit = this.maxBytes;
      try {
        for (;;) {
          chunk = await readChunk(file, this.offset, limit);
          res = scanSegment(chunk.buf, file, this.offset, final && chunk.eof);
          // A record larger than the chunk: read more of it.
          if (chunk.eof || res.end > this.offset) break;
          limit *= 2;
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      }
      for (const c of res.corruptions) this.#report(c);
      for (const r of res.records) {
        try {
          out.push({ segment: this.segment, offset: r.offset, record: decodeRecord(r.payload, this.knownSeries) });
        } catch (e) {
          this.#report({ file, offset: r.offset, length: r.payload.length, reason: `undecodable record: ${(e as Error).message}` });
        }
      }
      consumed += res.end - this.offset;
      this.offset = res.end;
      // Stop early only with something to show, so an empty result always means "nothing new".
      if (!chunk.eof) {
        if (consumed >= this.maxBytes && out.length > 0) return out;
        continue;
      }
      if (!final) return out;
      this.segment++;
      this.offset = 0;
      if (consumed >= this.maxBytes && out.length > 0) return out;
    }
  }
}

/** Reads every record of a finished checkpoint directory. */
export async function readCheckpoint(dir: string, onCorruption?: (c: Corruption) => void): Promise<{ entries: WalEntry[]; corruptions: Corruption[] }> {
  const corruptions: Corruption[] = [];
  const entries: WalEntry[] = [];
  for (const s of await listSegments(dir)) {
    const file = join(dir, segmentName(s));
    const res = scanSegment(await readFrom(file, 0), file, 0, true);
    for (const c of res.corruptions) (corruptions.push(c), onCorruption?.(c));
    for (const r of res.records) {
      try {
        entries.push({ segment: s, offset: r.offset, record: decodeRecord(r.payload) });
      } catch (e) {
        const c = { file, offset: r.offset, length: r.payload.length, reason: `undecodable record: ${(e as Error).message}` };
        corruptions.push(c);
        onCorruption?.(c);
      }
    }
  }
  return { entries, corruptions };
}

/** Total bytes of the regular files under `dir` (segments and checkpoints). */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const n of await readdir(dir).catch(() => [] as string[])) {
    const p = join(dir, n);
    const st = await stat(p).catch(() => undefined);
    if (st === undefined) continue;
    total += st.isDirectory() ? await dirSize(p) : st.size;
  }
  return total;
}
