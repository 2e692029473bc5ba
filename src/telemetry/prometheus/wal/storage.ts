// WalStorage: the MetricsReceiver that prometheus.remote_write exports. It assigns
// each series a numeric ref, logs new series and every batch's samples, exemplars,
// histograms and metadata to the WAL, and resolves appendBatch() only when the WAL
// commit is durable — so a batch a scraper saw accepted is sent even after a crash.
// Queues read the same directory with WalReader (see reader.ts) and resolve refs
// through the series records.
//
// Truncation (the `wal` block): truncate(minTime) forgets series not appended to
// since minTime and checkpoints, keeping the series still in use and samples at or
// after minTime.

import type { MetricsReceiver } from "../appendable.ts";
import type { MetricsBatch } from "../batch.ts";
import type { Labels } from "../labels.ts";
import type { CheckpointStats } from "./checkpoint.ts";
import type { WalReader } from "./reader.ts";
import {
  encodeExemplars,
  encodeHistograms,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  type ExemplarEntryRef,
  type HistogramEntryRef,
  type MetadataEntryRef,
  type SeriesEntry,
} from "./records.ts";
import type { Corruption } from "./segment.ts";
import { WriteAheadLog, type ReplayStats, type WalOptions } from "./wal.ts";

interface SeriesState {
  ref: number;
  labels: Labels;
  /** Latest sample timestamp appended (ms), for truncation. */
  lastTs: number;
}

export class WalStorage implements MetricsReceiver {
  readonly #byKey = new Map<string, SeriesState>();
  readonly #byRef = new Map<number, SeriesState>();
  #nextRef = 1;
  /** Statistics of the replay done at open. */
  replayStats: ReplayStats | undefined;

  private constructor(readonly wal: WriteAheadLog) {}

  /** Opens the WAL in `dir` and replays it to restore the series refs. */
  static async open(dir: string, opts: WalOptions = {}, onCorruption?: (c: Corruption) => void): Promise<WalStorage> {
    const wal = await WriteAheadLog.open(dir, opts);
    const st = new WalStorage(wal);
    st.replayStats = await wal.replay((e) => {
      const r = e.record;
      if (r.type === "series") {
        for (const s of r.series) {
          const state = { ref: s.ref, labels: s.labels, lastTs: 0 };
          st.#byKey.set(s.labels.key(), state);
          st.#byRef.set(s.ref, state);
          if (s.ref >= st.#nextRef) st.#nextRef = s.ref + 1;
        }
      } else if (r.type === "samples") {
        for (let i = 0; i < r.length; i++) {
          const s = st.#byRef.get(r.refs[i]!);
          if (s !== undefined && r.timestamps[i]! > s.lastTs) s.lastTs = r.timestamps[i]!;
        }
      }
    }, onCorruption);
    return st;
  }

  /** Number of series currently known. */
  get seriesCount(): number {
    return this.#byRef.size;
  }

  /** Labels of a series ref (for queues reading the WAL), if still known. */
  labelsOf(ref: number): Labels | undefined {
    return this.#byRef.get(ref)?.labels;
  }

  #ref(labels: Labels, newSeries: SeriesEntry[], ts: number): number {
    const key = labels.key();
    let s = this.#byKey.get(key);
    if (s === undefined) {
      s = { ref: this.#nextRef++, labels, lastTs: ts };
      this.#byKey.set(key, s);
      this.#byRef.set(s.ref, s);
      newSeries.push({ ref: s.ref, labels });
    } else if (ts > s.lastTs) {
      s.lastTs = ts;
    }
    return s.ref;
  }

  /** The WAL records for a batch (series records first for series not seen before). */
  records(batch: MetricsBatch): Uint8Array[] {
    const newSeries: SeriesEntry[] = [];
    const n = batch.length;
    const refs = new Float64Array(n);
    for (let i = 0; i < n; i++) refs[i] = this.#ref(batch.series[i]!, newSeries, batch.timestamps[i]!);
    const exemplars: ExemplarEntryRef[] = batch.exemplars.map((e) => ({ ref: this.#ref(e.series, newSeries, 0), exemplar: e.exemplar }));
    const histograms: HistogramEntryRef[] = batch.histograms.map((h) => ({
      ref: this.#ref(h.series, newSeries, h.timestamp),
      timestamp: h.timestamp,
      histogram: h.histogram,
      stale: h.stale,
    }));
    const metadata: MetadataEntryRef[] = batch.metadata.map((m) => ({ ref: this.#ref(m.series, newSeries, 0), metadata: m.metadata }));
    const out: Uint8Array[] = [];
    if (newSeries.length > 0) out.push(encodeSeries(newSeries));
    if (n > 0) out.push(encodeSamples(refs, batch.timestamps, batch.values, n));
    if (exemplars.length > 0) out.push(encodeExemplars(exemplars));
    if (histograms.length > 0) out.push(encodeHistograms(histograms));
    if (metadata.length > 0) out.push(encodeMetadata(metadata));
    return out;
  }

  appendBatch(batch: MetricsBatch): Promise<void> {
    if (batch.isEmpty()) return Promise.resolve();
    return this.wal.log(this.records(batch));
  }

  /** A reader over the WAL segments (the queues' watcher). */
  reader(fromSegment = 0, onCorruption?: (c: Corruption) => void): WalReader {
    return this.wal.reader(fromSegment, onCorruption);
  }

  /**
   * Forgets series with no sample at or after `minTime` and checkpoints the WAL,
   * keeping the remaining series and the samples at or after `minTime`.
   */
  async truncate(minTime: number): Promise<CheckpointStats> {
    for (const [ref, s] of this.#byRef) {
      if (s.lastTs < minTime) {
        this.#byRef.delete(ref);
        this.#byKey.delete(s.labels.key());
      }
    }
    return this.wal.checkpoint((ref) => this.#byRef.has(ref), minTime);
  }

  close(): Promise<void> {
    return this.wal.close();
  }
}
