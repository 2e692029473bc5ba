// Checkpoints: the records of segments [.., to] that are still needed (series still
// referenced, samples at or after a time), rewritten into `checkpoint.<to>` so the
// segments can be deleted. Written to `checkpoint.<to>.tmp` first, synced, then
// renamed: a crash mid-way leaves the previous checkpoint and all segments intact.

import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { ProtoWriter } from "../protowire.ts";
import { latestCheckpoint, listSegments, readCheckpoint, WalReader, type WalEntry } from "./reader.ts";
import { encodeExemplars, encodeHistograms, encodeMetadata, encodeSamples, encodeSeries, type WalRecord } from "./records.ts";
import { frameRecords, segmentName, type Corruption } from "./segment.ts";

export interface CheckpointStats {
  /** Index of the checkpoint written (the last segment it covers). */
  index: number;
  seriesKept: number;
  seriesDropped: number;
  samplesKept: number;
  samplesDropped: number;
  corruptions: Corruption[];
}

/** Filters one record; returns the payload to keep (or undefined) and updates counts. */
function filterRecord(rec: WalRecord, keep: (ref: number) => boolean, minTime: number, st: CheckpointStats, w: ProtoWriter): Uint8Array | undefined {
  switch (rec.type) {
    case "series": {
      const kept = rec.series.filter((s) => keep(s.ref));
      st.seriesKept += kept.length;
      st.seriesDropped += rec.series.length - kept.length;
      return kept.length > 0 ? encodeSeries(kept) : undefined;
    }
    case "samples": {
      const refs = new Float64Array(rec.length);
      const ts = new Float64Array(rec.length);
      const vals = new Float64Array(rec.length);
      const inW = new Uint32Array(rec.values.buffer);
      const outW = new Uint32Array(vals.buffer);
      let n = 0;
      for (let i = 0; i < rec.length; i++) {
        if (rec.timestamps[i]! < minTime || !keep(rec.refs[i]!)) continue;
        refs[n] = rec.refs[i]!;
        ts[n] = rec.timestamps[i]!;
        outW[2 * n] = inW[2 * i]!;
        outW[2 * n + 1] = inW[2 * i + 1]!;
        n++;
      }
      st.samplesKept += n;
      st.samplesDropped += rec.length - n;
      return n > 0 ? encodeSamples(refs, ts, vals, n, w) : undefined;
    }
    case "exemplars": {
      const kept = rec.exemplars.filter((e) => keep(e.ref) && (!e.exemplar.hasTimestamp || e.exemplar.timestamp >= minTime));
      return kept.length > 0 ? encodeExemplars(kept) : undefined;
    }
    case "histograms": {
      const kept = rec.histograms.filter((h) => keep(h.ref) && h.timestamp >= minTime);
      st.samplesKept += kept.length;
      st.samplesDropped += rec.histograms.length - kept.length;
      return kept.length > 0 ? encodeHistograms(kept) : undefined;
    }
    case "metadata": {
      const kept = rec.metadata.filter((m) => keep(m.ref));
      return kept.length > 0 ? encodeMetadata(kept) : undefined;
    }
  }
}

/** fsync a directory so new or renamed entries survive power loss (best effort where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename is still atomic.
  }
}

/**
 * Writes `checkpoint.<to>` from the previous checkpoint and segments up to `to`.
 * The caller deletes the covered segments afterwards (WriteAheadLog.truncate).
 */
export async function writeCheckpoint(
  dir: string,
  to: number,
  keep: (ref: number) => boolean,
  minTime: number,
  segmentSize: number,
): Promise<CheckpointStats> {
  const st: CheckpointStats = { index: to, seriesKept: 0, seriesDropped: 0, samplesKept: 0, samplesDropped: 0, corruptions: [] };
  const entries: WalEntry[] = [];
  const prev = await latestCheckpoint(dir);
  if (prev !== undefined) {
    const r = await readCheckpoint(prev.dir);
    entries.push(...r.entries);
    st.corruptions.push(...r.corruptions);
  }
  const segs = await listSegments(dir);
  const first = segs.find((s) => s > (prev?.index ?? -1));
  if (first !== undefined && first <= to) {
    const reader = new WalReader(dir, first, (c) => st.corruptions.push(c));
    for (;;) {
      const batch = await reader.read();
      for (const e of batch) if (e.segment <= to) entries.push(e);
      if (batch.length === 0 || reader.segment > to) break;
    }
  }

  const tmp = join(dir, `checkpoint.${segmentName(to)}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const w = new ProtoWriter(64 * 1024);
  let segNo = 0;
  let fh = await open(join(tmp, segmentName(segNo)), "w");
  let size = 0;
  try {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      await fh.write(frameRecords(pending));
      size += pendingBytes;
      pending = [];
      pendingBytes = 0;
    };
    for (const e of entries) {
      const p = filterRecord(e.record, keep, minTime, st, w);
      if (p === undefined) continue;
      if (size + pendingBytes + p.length + 10 > segmentSize && size + pendingBytes > 0) {
        await flush();
        await fh.sync();
        await fh.close();
        fh = await open(join(tmp, segmentName(++segNo)), "w");
        size = 0;
      }
      pending.push(p);
      pendingBytes += p.length + 10;
      if (pendingBytes > 1 << 20) await flush();
    }
    await flush();
    await fh.sync();
  } finally {
    await fh.close();
  }
  await syncDir(tmp);
  const final = join(dir, `checkpoint.${segmentName(to)}`);
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  await syncDir(dir);
  if (prev !== undefined && prev.index !== to) await rm(prev.dir, { recursive: true, force: true });
  return st;
}
