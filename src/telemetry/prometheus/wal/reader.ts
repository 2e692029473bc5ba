// Reading a WAL directory: a reader that tails segments from a position (what the
// remote-write queue's watcher uses), and listing of segments and checkpoints.
// Damaged records are skipped and reported with file and offset; reading goes on.

import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
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
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    if (size <= offset) return new Uint8Array(0);
    const buf = new Uint8Array(size - offset);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * Reads records from segment `from` onwards. Each read() returns what is available
 * now and remembers where it stopped, so calling it again tails the log. Records
 * that fail their checksum, are torn, or do not decode are skipped and added to
 * `corruptions` (and counted), so a damaged byte never stalls the reader.
 */
export class WalReader {
  segment: number;
  offset = 0;
  readonly corruptions: Corruption[] = [];
  corruptionCount = 0;

  constructor(
    readonly dir: string,
    from = 0,
    private readonly onCorruption?: (c: Corruption) => void,
    /** Treat the newest segment as finished too (replay after a crash: a cut-short tail is torn, not pending). */
    private readonly assumeComplete = false,
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
      let buf: Uint8Array;
      try {
        buf = await readFrom(file, this.offset);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      }
      const res = scanSegment(buf, file, this.offset, final);
      for (const c of res.corruptions) this.#report(c);
      for (const r of res.records) {
        try {
          out.push({ segment: this.segment, offset: r.offset, record: decodeRecord(r.payload) });
        } catch (e) {
          this.#report({ file, offset: r.offset, length: r.payload.length, reason: `undecodable record: ${(e as Error).message}` });
        }
      }
      this.offset = res.end;
      if (!final) return out;
      this.segment++;
      this.offset = 0;
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
