// loki.write's write-ahead log (the `wal` block), one per endpoint: every entry
// is appended to <data dir>/wal/<endpoint>/segment before the receiver returns,
// and the offset up to which everything was sent (or dropped for good) is
// recorded in `committed`. On start, entries past the committed offset are sent
// again, so a crash or SIGKILL loses nothing the receiver accepted; entries
// sent just before a crash may be sent twice. The segment is emptied whenever
// everything in it is committed and it has grown past a size limit.
//
// A record is one JSON line: [labels, "timestamp ns", line, [[name, value], ...]].

import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { newLabelSet, type Entry } from "../../../telemetry/loki/entry.ts";

const RESET_BYTES = 16 * 1024 * 1024;

type WalRecord = [Record<string, string>, string, string, Array<[string, string]>?];

export class WriteAheadLog {
  private readonly fd: number;
  private readonly segment: string;
  private readonly committedFile: string;
  /** Bytes in the segment. */
  size: number;
  private committed: number;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.segment = join(dir, "segment");
    this.committedFile = join(dir, "committed");
    this.fd = openSync(this.segment, "a+");
    this.size = statSync(this.segment).size;
    const c = existsSync(this.committedFile) ? Number(readFileSync(this.committedFile, "utf8").trim()) : 0;
    this.committed = Number.isSafeInteger(c) && c >= 0 && c <= this.size ? c : 0;
  }

  get committedOffset(): number {
    return this.committed;
  }

  /** Entries written but not committed by an earlier run, in order; a torn last record is skipped. */
  replay(onBadRecord: (err: string) => void): Entry[] {
    if (this.committed >= this.size) return [];
    const text = readFileSync(this.segment).subarray(this.committed).toString("utf8");
    const out: Entry[] = [];
    for (const line of text.split("\n")) {
      if (line === "") continue;
      try {
        const [labels, ts, l, md] = JSON.parse(line) as WalRecord;
        out.push({ labels: newLabelSet(labels), timestamp: BigInt(ts), line: l, structuredMetadata: (md ?? []).map(([name, value]) => ({ name, value })) });
      } catch (e) {
        onBadRecord((e as Error).message);
      }
    }
    return out;
  }

  /** Appends entries; returns the offset where they start. */
  append(entries: readonly Entry[]): number {
    const start = this.size;
    let text = "";
    for (const e of entries) {
      const rec: WalRecord = [e.labels, e.timestamp.toString(), e.line];
      if (e.structuredMetadata.length > 0) rec.push(e.structuredMetadata.map((p) => [p.name, p.value]));
      text += `${JSON.stringify(rec)}\n`;
    }
    const buf = Buffer.from(text, "utf8");
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.size += buf.length;
    return start;
  }

  /** Everything before `offset` is sent (or dropped for good). */
  commit(offset: number): void {
    if (offset <= this.committed) return;
    if (offset >= this.size && this.size >= RESET_BYTES) {
      ftruncateSync(this.fd, 0);
      this.size = 0;
      offset = 0;
    }
    this.committed = offset;
    const tmp = `${this.committedFile}.tmp`;
    writeFileSync(tmp, String(offset));
    renameSync(tmp, this.committedFile);
  }

  close(): void {
    closeSync(this.fd);
  }
}
