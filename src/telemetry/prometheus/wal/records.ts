// WAL record payloads: series (ref → labels), float samples, exemplars, native
// histograms and metadata, each a type byte followed by entries. Sample values are
// stored as their raw 8 bytes so staleness markers survive a restart; histograms
// reuse the remote-write protobuf encoding of prometheus.Histogram.

import type { Exemplar } from "../exemplar.ts";
import type { NativeHistogram } from "../histogram.ts";
import { Labels, LabelsBuilder } from "../labels.ts";
import { isMetricType, type Metadata } from "../metadata.ts";
import { ProtoReader, ProtoWriter } from "../protowire.ts";
import { MetricsBatch } from "../batch.ts";
import { encodeWriteRequest } from "../remotewrite/encode.ts";
import { decodeWriteRequest } from "../remotewrite/decode.ts";

export const RecordType = {
  Series: 1,
  Samples: 2,
  Exemplars: 3,
  Histograms: 4,
  Metadata: 5,
} as const;

export interface SeriesEntry {
  ref: number;
  labels: Labels;
}
export interface ExemplarEntryRef {
  ref: number;
  exemplar: Exemplar;
}
export interface HistogramEntryRef {
  ref: number;
  timestamp: number;
  histogram: NativeHistogram;
  stale: boolean;
}
export interface MetadataEntryRef {
  ref: number;
  metadata: Metadata;
}

/** Samples in columns; `values` keeps exact bits (read staleness with isStaleAt or staleAt()). */
export interface SamplesRecord {
  type: "samples";
  refs: Float64Array;
  timestamps: Float64Array;
  values: Float64Array;
  length: number;
}

export type WalRecord =
  | { type: "series"; series: SeriesEntry[] }
  | SamplesRecord
  | { type: "exemplars"; exemplars: ExemplarEntryRef[] }
  | { type: "histograms"; histograms: HistogramEntryRef[] }
  | { type: "metadata"; metadata: MetadataEntryRef[] };

export class WalRecordError extends Error {
  override name = "WalRecordError";
}

function writeLabels(w: ProtoWriter, l: Labels): void {
  w.uvarint(l.size);
  l.forEach((n, v) => {
    w.stringField(1, n);
    w.stringField(2, v);
  });
}

/** Steps over a label set without building its strings. */
function skipLabels(r: ProtoReader): void {
  const n = r.uvarint();
  for (let i = 0; i < 2 * n; i++) {
    r.tag();
    const len = r.length();
    r.pos += len;
  }
}

function readLabels(r: ProtoReader): Labels {
  const n = r.uvarint();
  const b = new LabelsBuilder();
  for (let i = 0; i < n; i++) {
    r.tag();
    const name = r.string();
    r.tag();
    b.set(name, r.string());
  }
  return b.labels();
}

/** Writes a series record into `w` (reset first); its bytes are w.buf[0, w.pos). */
export function writeSeriesRecord(w: ProtoWriter, series: readonly SeriesEntry[]): void {
  w.reset();
  w.uvarint(RecordType.Series);
  w.uvarint(series.length);
  for (const s of series) {
    w.uvarint(s.ref);
    writeLabels(w, s.labels);
  }
}

export function encodeSeries(series: readonly SeriesEntry[], w = new ProtoWriter(4096)): Uint8Array {
  writeSeriesRecord(w, series);
  return w.finish();
}

/** Writes a samples record into `w` (reset first): refs[i] with timestamps[i] and the raw bits of values[i]. */
export function writeSamplesRecord(w: ProtoWriter, refs: ArrayLike<number>, timestamps: Float64Array, values: Float64Array, count: number): void {
  w.reset();
  w.uvarint(RecordType.Samples);
  w.uvarint(count);
  const vb = new Uint8Array(values.buffer, values.byteOffset, count * 8);
  for (let i = 0; i < count; i++) {
    w.uvarint(refs[i]!);
    w.int64(timestamps[i]!);
    w.rawDouble(vb, i * 8);
  }
}

/** Encodes `count` samples: refs[i] with timestamps[i] and the raw bits of values[i]. */
export function encodeSamples(refs: ArrayLike<number>, timestamps: Float64Array, values: Float64Array, count: number, w = new ProtoWriter(64 * 1024)): Uint8Array {
  writeSamplesRecord(w, refs, timestamps, values, count);
  return w.finish();
}

/** Samples of a batch, with refs[i] the series ref of batch sample i. */
export function encodeBatchSamples(refs: ArrayLike<number>, batch: MetricsBatch, w?: ProtoWriter): Uint8Array {
  return encodeSamples(refs, batch.timestamps, batch.values, batch.length, w);
}

export function encodeExemplars(entries: readonly ExemplarEntryRef[]): Uint8Array {
  const w = new ProtoWriter(1024);
  w.uvarint(RecordType.Exemplars);
  w.uvarint(entries.length);
  for (const e of entries) {
    w.uvarint(e.ref);
    w.int64(e.exemplar.hasTimestamp ? e.exemplar.timestamp : 0);
    w.uvarint(e.exemplar.hasTimestamp ? 1 : 0);
    w.double(e.exemplar.value);
    writeLabels(w, e.exemplar.labels);
  }
  return w.finish();
}

export function encodeHistograms(entries: readonly HistogramEntryRef[]): Uint8Array {
  // One WriteRequest per entry carries the histogram with exact remote-write semantics.
  const w = new ProtoWriter(1024);
  w.uvarint(RecordType.Histograms);
  w.uvarint(entries.length);
  for (const e of entries) {
    const b = new MetricsBatch(1);
    if (e.stale) b.appendHistogramStaleMarker(Labels.EMPTY, e.timestamp, e.histogram);
    else b.appendHistogram(Labels.EMPTY, e.timestamp, e.histogram);
    const enc = encodeWriteRequest(b);
    w.uvarint(e.ref);
    w.uvarint(enc.length);
    w.bytes(enc);
  }
  return w.finish();
}

export function encodeMetadata(entries: readonly MetadataEntryRef[]): Uint8Array {
  const w = new ProtoWriter(1024);
  w.uvarint(RecordType.Metadata);
  w.uvarint(entries.length);
  for (const e of entries) {
    w.uvarint(e.ref);
    w.stringField(1, e.metadata.type);
    w.stringField(2, e.metadata.help);
    w.stringField(3, e.metadata.unit);
  }
  return w.finish();
}

/**
 * Decodes one record payload; throws WalRecordError when it is not a valid record.
 * `knownSeries` gives the labels of refs the caller already holds: their label
 * strings are skipped instead of built (refs are never reused within a WAL).
 */
export function decodeRecord(bytes: Uint8Array, knownSeries?: (ref: number) => Labels | undefined): WalRecord {
  const r = new ProtoReader(bytes, 0, bytes.length, "WAL record");
  try {
    const type = r.uvarint();
    const n = r.uvarint();
    switch (type) {
      case RecordType.Series: {
        const series: SeriesEntry[] = [];
        for (let i = 0; i < n; i++) {
          const ref = r.uvarint();
          const known = knownSeries?.(ref);
          if (known === undefined) series.push({ ref, labels: readLabels(r) });
          else {
            skipLabels(r);
            series.push({ ref, labels: known });
          }
        }
        return { type: "series", series };
      }
      case RecordType.Samples: {
        if (n * 10 > bytes.length) r.fail(`sample count ${n} exceeds the record size`);
        const refs = new Float64Array(n);
        const timestamps = new Float64Array(n);
        const values = new Float64Array(n);
        const vb = new Uint8Array(values.buffer);
        for (let i = 0; i < n; i++) {
          refs[i] = r.uvarint();
          timestamps[i] = r.int64();
          const off = r.doubleOffset();
          // A byte loop: a subarray and a native set per sample cost more than 8 stores.
          const o = i * 8;
          for (let b = 0; b < 8; b++) vb[o + b] = bytes[off + b]!;
        }
        return { type: "samples", refs, timestamps, values, length: n };
      }
      case RecordType.Exemplars: {
        const exemplars: ExemplarEntryRef[] = [];
        for (let i = 0; i < n; i++) {
          const ref = r.uvarint();
          const timestamp = r.int64();
          const hasTimestamp = r.uvarint() === 1;
          const value = r.double();
          exemplars.push({ ref, exemplar: { labels: readLabels(r), value, timestamp, hasTimestamp } });
        }
        return { type: "exemplars", exemplars };
      }
      case RecordType.Histograms: {
        const histograms: HistogramEntryRef[] = [];
        for (let i = 0; i < n; i++) {
          const ref = r.uvarint();
          const len = r.length();
          const h = decodeWriteRequest(bytes.subarray(r.pos, r.pos + len)).batch.histograms[0];
          r.pos += len;
          if (h === undefined) throw new WalRecordError("histogram entry without a histogram");
          histograms.push({ ref, timestamp: h.timestamp, histogram: h.histogram, stale: h.stale });
        }
        return { type: "histograms", histograms };
      }
      case RecordType.Metadata: {
        const metadata: MetadataEntryRef[] = [];
        for (let i = 0; i < n; i++) {
          const ref = r.uvarint();
          r.tag();
          const type = r.string();
          r.tag();
          const help = r.string();
          r.tag();
          const unit = r.string();
          metadata.push({ ref, metadata: { type: isMetricType(type) ? type : "unknown", help, unit } });
        }
        return { type: "metadata", metadata };
      }
      default:
        throw new WalRecordError(`unknown WAL record type ${type}`);
    }
  } catch (e) {
    if (e instanceof WalRecordError) throw e;
    throw new WalRecordError(e instanceof Error ? e.message : String(e));
  }
}
