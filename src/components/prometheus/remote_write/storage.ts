// The WAL side of prometheus.remote_write (Alloy's agent WAL storage): every batch
// handed to the component's receiver is written as records (new series first,
// then samples, histograms, exemplars, metadata) and the receiver's promise
// resolves once the WAL has them durably. Queues read the WAL back (watcher.ts).
// Series get a ref on first sight; refs survive restarts (the WAL is replayed on
// open), and truncation checkpoints the series still in use.

import type { Logger } from "../../../runtime/logger.ts";
import type { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../../telemetry/prometheus/labels.ts";
import { HashTable, hashInteger, sameNumber } from "../../../telemetry/prometheus/hash_table.ts";
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

export interface TruncateResult {
  checkpointedUpTo: number;
  seriesRemoved: number;
}

export class WalStorage {
  // Series live in slots, with their state in arrays indexed by slot: no object per series.
  /** The labels of each slot; undefined for a free slot. */
  #labels: (Labels | undefined)[] = [];
  /** The WAL ref of each slot (the first one, when replay found the labels under several). */
  #ref = new Float64Array(1024);
  /** Highest timestamp appended (ms). */
  #lastTs = new Float64Array(1024);
  /** WAL segment of the last append, so truncation keeps series of unsent segments. */
  #lastSegment = new Int32Array(1024);
  #free: number[] = [];
  /** Slots by label set (no key strings: see LabelsIndex). */
  #byKey = new LabelsIndex<number>();
  /** Slots by ref; every ref of a series replay found under several maps to its one slot. */
  #byRef = new HashTable<number, number>(hashInteger, sameNumber);
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
            const slot = s.#byRef.get(r.refs[i]!);
            if (slot === undefined) continue;
            if (r.timestamps[i]! > s.#lastTs[slot]!) s.#lastTs[slot] = r.timestamps[i]!;
            s.#lastSegment[slot] = e.segment;
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

  #newSlot(ref: number, labels: Labels, segment: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#labels.length;
      this.#labels.push(undefined);
      if (slot >= this.#ref.length) {
        const grow = <A extends Float64Array | Int32Array>(a: A, make: (n: number) => A): A => {
          const b = make(a.length * 2);
          b.set(a);
          return b;
        };
        this.#ref = grow(this.#ref, (n) => new Float64Array(n));
        this.#lastTs = grow(this.#lastTs, (n) => new Float64Array(n));
        this.#lastSegment = grow(this.#lastSegment, (n) => new Int32Array(n));
      }
    }
    this.#labels[slot] = labels;
    this.#ref[slot] = ref;
    this.#lastTs[slot] = 0;
    this.#lastSegment[slot] = segment;
    this.#byKey.set(labels, slot);
    this.#byRef.set(ref, slot);
    return slot;
  }

  #adopt(x: SeriesEntry, segment: number): void {
    const existing = this.#byKey.get(x.labels);
    // The same labels under two refs (e.g. written by an older process): keep both mapped.
    if (existing !== undefined) this.#byRef.set(x.ref, existing);
    else this.#newSlot(x.ref, x.labels, segment);
    if (x.ref >= this.#nextRef) this.#nextRef = x.ref + 1;
  }

  /** The labels of a series ref (shared with queues so each series is held once). */
  labelsOf(ref: number): Labels | undefined {
    const slot = this.#byRef.get(ref);
    return slot === undefined ? undefined : this.#labels[slot];
  }

  get activeSeries(): number {
    return this.#byKey.size;
  }

  #slotOf(labels: Labels, created: SeriesEntry[]): number {
    // Producers reuse their Labels objects, so the slot number sits in the labels'
    // cache slot; it is this storage's if the slot holds these labels (another
    // storage fed the same Labels, or a reused slot, fails the check).
    const cached = labels.walSeries;
    if (typeof cached === "number") {
      const l = this.#labels[cached];
      if (l !== undefined && (l === labels || l.equals(labels))) return cached;
    }
    let slot = this.#byKey.get(labels);
    if (slot === undefined) {
      const ref = this.#nextRef++;
      slot = this.#newSlot(ref, labels, this.wal.currentSegment);
      created.push({ ref, labels });
    }
    labels.walSeries = slot;
    return slot;
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
      // #slotOf may grow the slot arrays: read them through `this` after it.
      const slot = this.#slotOf(batch.series[i]!, created);
      refs[i] = this.#ref[slot]!;
      const t = ts[i]!;
      if (t > this.#lastTs[slot]!) this.#lastTs[slot] = t;
      if (t > highest) highest = t;
      this.#lastSegment[slot] = seg;
    }
    const records: Uint8Array[] = [];
    const histograms = batch.histograms.map((h) => {
      const slot = this.#slotOf(h.series, created);
      if (h.timestamp > this.#lastTs[slot]!) this.#lastTs[slot] = h.timestamp;
      if (h.timestamp > highest) highest = h.timestamp;
      this.#lastSegment[slot] = seg;
      return { ref: this.#ref[slot]!, timestamp: h.timestamp, histogram: h.histogram, stale: h.stale };
    });
    const exemplars = batch.exemplars.map((e) => ({ ref: this.#ref[this.#slotOf(e.series, created)]!, exemplar: e.exemplar }));
    const metadata = batch.metadata.map((e) => ({ ref: this.#ref[this.#slotOf(e.series, created)]!, metadata: e.metadata }));
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
        const slot = this.#byRef.get(ref);
        return slot !== undefined && (this.#lastTs[slot]! >= minTime || this.#lastSegment[slot]! > to);
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
      this.#byRef.sweep((slot, ref) => {
        if (keep(ref)) return true;
        const labels = this.#labels[slot];
        // Several refs of one series share its slot: the first of them frees it.
        if (labels !== undefined && this.#byKey.get(labels) === slot) {
          this.#byKey.delete(labels);
          this.#labels[slot] = undefined;
          this.#free.push(slot);
          removed++;
        }
        return false;
      });
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
