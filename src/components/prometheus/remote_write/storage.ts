// The WAL side of prometheus.remote_write (Alloy's agent WAL storage): every batch
// handed to the component's receiver is written as records (new series first,
// then samples, histograms, exemplars, metadata) and the receiver's promise
// resolves once the WAL has them durably. Queues read the WAL back (watcher.ts).
// Series get a ref on first sight; refs survive restarts (the WAL is replayed on
// open), and truncation checkpoints the series still in use.

import type { Logger } from "../../../runtime/logger.ts";
import type { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../../telemetry/prometheus/labels.ts";
import { LabelsIndex } from "../../../telemetry/prometheus/labels_index.ts";
import { ProtoWriter } from "../../../telemetry/prometheus/protowire.ts";
import { writeCheckpoint } from "../../../telemetry/prometheus/wal/checkpoint.ts";
import {
  encodeExemplars,
  encodeHistograms,
  encodeMetadata,
  writeSamplesRecord,
  writeSeriesRecord,
  type SeriesEntry,
} from "../../../telemetry/prometheus/wal/records.ts";
import type { Corruption } from "../../../telemetry/prometheus/wal/segment.ts";
import { WriteAheadLog } from "../../../telemetry/prometheus/wal/wal.ts";
import type { WalMetrics } from "./metrics.ts";

interface MemSeries {
  ref: number;
  labels: Labels;
  /** Highest timestamp appended (ms). */
  lastTs: number;
  /** WAL segment of the last append, so truncation keeps series of unsent segments. */
  lastSegment: number;
  /** The storage this series belongs to (the Labels slot may hold another storage's). */
  owner: WalStorage;
  /** False once truncation forgot the series. */
  live: boolean;
}

export interface TruncateResult {
  checkpointedUpTo: number;
  seriesRemoved: number;
}

export class WalStorage {
  #byLabels = new WeakMap<Labels, MemSeries>();
  /** Series by label set (no key strings: see LabelsIndex). */
  #byKey = new LabelsIndex<MemSeries>((m) => m.labels);
  #byRef = new Map<number, MemSeries>();
  #nextRef = 1;
  #samplesWriter = new ProtoWriter(64 * 1024);
  #seriesWriter = new ProtoWriter(4 * 1024);
  #refs = new Float64Array(1024);
  /** Highest timestamp ever appended, for prometheus_remote_storage_highest_timestamp_in_seconds. */
  highestTimestamp = 0;

  private constructor(
    readonly wal: WriteAheadLog,
    private readonly metrics: WalMetrics,
    private readonly logger: Logger,
  ) {}

  /** Opens the WAL in `dir`, replaying it to recover series refs. */
  static async open(dir: string, metrics: WalMetrics, logger: Logger): Promise<WalStorage> {
    const wal = await WriteAheadLog.open(dir);
    const s = new WalStorage(wal, metrics, logger);
    const stats = await wal.replay(
      (e) => {
        const r = e.record;
        if (r.type === "series") for (const x of r.series) s.#adopt(x, e.segment);
        else if (r.type === "samples") {
          for (let i = 0; i < r.length; i++) {
            const m = s.#byRef.get(r.refs[i]!);
            if (m !== undefined && r.timestamps[i]! > m.lastTs) m.lastTs = r.timestamps[i]!;
            if (m !== undefined) m.lastSegment = e.segment;
          }
        }
      },
      (c) => s.reportCorruption(c),
    );
    if (stats.records > 0) logger.info("replayed WAL", { records: stats.records, series: s.#byRef.size, corruptions: stats.corruptionCount });
    metrics.activeSeries.set(s.#byRef.size);
    metrics.segmentCurrent.set(wal.currentSegment);
    metrics.storageSize.set(wal.sizeBytes);
    return s;
  }

  reportCorruption(c: Corruption): void {
    this.metrics.corruptions.inc();
    this.logger.warn("WAL corruption found; skipping the damaged records", { file: c.file, offset: c.offset, length: c.length, reason: c.reason });
  }

  #adopt(x: SeriesEntry, segment: number): void {
    const existing = this.#byKey.get(x.labels);
    if (existing !== undefined) {
      // The same labels under two refs (e.g. written by an older process): keep both mapped.
      this.#byRef.set(x.ref, existing);
    } else {
      const m: MemSeries = { ref: x.ref, labels: x.labels, lastTs: 0, lastSegment: segment, owner: this, live: true };
      this.#byKey.set(x.labels, m);
      this.#byRef.set(x.ref, m);
    }
    if (x.ref >= this.#nextRef) this.#nextRef = x.ref + 1;
  }

  /** The labels of a series ref (shared with queues so each series is held once). */
  labelsOf(ref: number): Labels | undefined {
    return this.#byRef.get(ref)?.labels;
  }

  get activeSeries(): number {
    return this.#byKey.size;
  }

  #series(labels: Labels, created: SeriesEntry[]): MemSeries {
    // Producers reuse their Labels objects, so the series sits in the labels' slot.
    const slot = labels.walSeries as MemSeries | undefined;
    if (slot !== undefined && slot.owner === this && slot.live) return slot;
    // The slot holds another storage's live series: this one keeps its own identity map.
    const shared = slot !== undefined && slot.owner !== this && slot.live;
    if (shared) {
      const hit = this.#byLabels.get(labels);
      if (hit !== undefined && hit.live) return hit;
    }
    let m = this.#byKey.get(labels);
    if (m === undefined) {
      m = { ref: this.#nextRef++, labels, lastTs: 0, lastSegment: this.wal.currentSegment, owner: this, live: true };
      this.#byKey.set(labels, m);
      this.#byRef.set(m.ref, m);
      created.push({ ref: m.ref, labels });
    }
    if (shared) this.#byLabels.set(labels, m);
    else labels.walSeries = m;
    return m;
  }

  /** Writes the batch to the WAL; resolves once it is durable. */
  async append(batch: MetricsBatch): Promise<void> {
    const created: SeriesEntry[] = [];
    const n = batch.length;
    if (this.#refs.length < n) this.#refs = new Float64Array(Math.max(n, this.#refs.length * 2));
    const refs = this.#refs;
    const seg = this.wal.currentSegment;
    const ts = batch.timestamps;
    let highest = this.highestTimestamp;
    for (let i = 0; i < n; i++) {
      const m = this.#series(batch.series[i]!, created);
      refs[i] = m.ref;
      const t = ts[i]!;
      if (t > m.lastTs) m.lastTs = t;
      if (t > highest) highest = t;
      m.lastSegment = seg;
    }
    const records: Uint8Array[] = [];
    const histograms = batch.histograms.map((h) => {
      const m = this.#series(h.series, created);
      if (h.timestamp > m.lastTs) m.lastTs = h.timestamp;
      if (h.timestamp > highest) highest = h.timestamp;
      m.lastSegment = seg;
      return { ref: m.ref, timestamp: h.timestamp, histogram: h.histogram, stale: h.stale };
    });
    const exemplars = batch.exemplars.map((e) => ({ ref: this.#series(e.series, created).ref, exemplar: e.exemplar }));
    const metadata = batch.metadata.map((e) => ({ ref: this.#series(e.series, created).ref, metadata: e.metadata }));
    this.highestTimestamp = highest;
    // Series and samples records are views into reused writers: wal.log() frames
    // (copies) them before it returns, so no per-append copy of either is made.
    if (created.length > 0) {
      writeSeriesRecord(this.#seriesWriter, created);
      records.push(this.#seriesWriter.buf.subarray(0, this.#seriesWriter.pos));
      this.metrics.createdSeries.inc(created.length);
      this.metrics.activeSeries.set(this.#byKey.size);
    }
    if (n > 0) {
      writeSamplesRecord(this.#samplesWriter, refs, batch.timestamps, batch.values, n);
      records.push(this.#samplesWriter.buf.subarray(0, this.#samplesWriter.pos));
    }
    if (histograms.length > 0) records.push(encodeHistograms(histograms));
    if (exemplars.length > 0) records.push(encodeExemplars(exemplars));
    if (metadata.length > 0) records.push(encodeMetadata(metadata));
    if (records.length === 0) return;
    try {
      await this.wal.log(records);
    } catch (e) {
      this.metrics.writesFailed.inc();
      throw e;
    }
    if (n > 0) this.metrics.samplesAppended.inc({ type: "float" }, n);
    if (histograms.length > 0) this.metrics.samplesAppended.inc({ type: "histogram" }, histograms.length);
    if (exemplars.length > 0) this.metrics.exemplarsAppended.inc(exemplars.length);
    this.metrics.segmentCurrent.set(this.wal.currentSegment);
    this.metrics.storageSize.set(this.wal.sizeBytes);
  }

  /**
   * Checkpoints segments before `keepFromSegment` (segments queues have not
   * finished stay), keeping series with samples at or after `minTime` or appended
   * in a kept segment, and forgets the other series.
   */
  async truncate(minTime: number, keepFromSegment: number): Promise<TruncateResult | undefined> {
    this.metrics.truncations.inc();
    try {
      // Rotate first so the segment being written can be covered once queues pass it.
      const current = await this.wal.nextSegment();
      const to = Math.min(current - 1, keepFromSegment - 1);
      const range = await this.wal.segments();
      if (to < range.first || range.first < 0) return undefined;
      const keep = (ref: number) => {
        const m = this.#byRef.get(ref);
        return m !== undefined && (m.lastTs >= minTime || m.lastSegment > to);
      };
      this.metrics.checkpointsCreated.inc();
      try {
        await writeCheckpoint(this.wal.dir, to, keep, minTime, this.wal.segmentSize);
      } catch (e) {
        this.metrics.checkpointsFailed.inc();
        throw e;
      }
      await this.wal.truncate(to + 1);
      let removed = 0;
      for (const [ref, m] of this.#byRef) {
        if (keep(ref)) continue;
        this.#byRef.delete(ref);
        if (this.#byKey.get(m.labels) === m) {
          this.#byKey.delete(m.labels);
          m.live = false;
          removed++;
        }
      }
      // Labels objects still cached by producers map to forgotten series: drop the identity cache.
      if (removed > 0) this.#byLabels = new WeakMap();
      this.metrics.removedSeries.inc(removed);
      this.metrics.activeSeries.set(this.#byKey.size);
      this.metrics.storageSize.set(this.wal.sizeBytes);
      this.metrics.segmentCurrent.set(this.wal.currentSegment);
      return { checkpointedUpTo: to, seriesRemoved: removed };
    } catch (e) {
      this.metrics.truncationsFailed.inc();
      throw e;
    }
  }

  close(): Promise<void> {
    return this.wal.close();
  }
}
