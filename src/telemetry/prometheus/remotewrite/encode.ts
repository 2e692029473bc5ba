// Remote write 1.0 encoder: MetricsBatch → prometheus.WriteRequest bytes, written
// straight into a reused buffer. Samples of one series are grouped into one
// TimeSeries (in order of first appearance); the encoded labels of a series are
// cached per Labels object, so a series sent every scrape is encoded once. Values
// are copied as raw bytes, so staleness markers keep their bit pattern. The output
// equals @bufbuild/protobuf's encoding of the same message (tested byte for byte).

import type { MetricsBatch } from "../batch.ts";
import type { Exemplar } from "../exemplar.ts";
import type { NativeHistogram } from "../histogram.ts";
import type { Labels } from "../labels.ts";
import type { Metadata, MetricType } from "../metadata.ts";
import { ProtoWriter, uvarintSize, writeUvarint } from "../protowire.ts";

/** prometheus.MetricMetadata.MetricType numbers. */
export const METRIC_TYPE_NUMBER: Readonly<Record<MetricType, number>> = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
};

export interface MetricFamilyMetadata extends Metadata {
  metricFamilyName: string;
}

const labelsCache = new WeakMap<Labels, Uint8Array>();
const scratch = new ProtoWriter(1024);

/** The repeated `labels` fields (field 1) of a TimeSeries or Exemplar for `labels`, cached. */
export function encodedLabels(labels: Labels): Uint8Array {
  let enc = labelsCache.get(labels);
  if (enc !== undefined) return enc;
  const w = new ProtoWriter(64);
  const label = new ProtoWriter(64);
  labels.forEach((name, value) => {
    label.reset();
    if (name !== "") label.stringField(1, name);
    if (value !== "") label.stringField(2, value);
    w.tag(1, 2);
    w.uvarint(label.pos);
    w.bytes(label.buf.subarray(0, label.pos));
  });
  enc = w.finish();
  labelsCache.set(labels, enc);
  return enc;
}

function int64Size(v: number): number {
  return v < 0 ? 10 : uvarintSize(v);
}

/** Size of one Sample message: value (omitted when +0.0) and timestamp (omitted when 0). */
function sampleSize(words: Uint32Array, i: number, t: number): number {
  let n = words[2 * i] === 0 && words[2 * i + 1] === 0 ? 0 : 9;
  if (t !== 0) n += 1 + int64Size(t);
  return n;
}

/** A proto3 double field, omitted when +0. */
export function writeDoubleField(w: ProtoWriter, field: number, v: number): void {
  if (v === 0 && !Object.is(v, -0)) return;
  w.tag(field, 1);
  w.double(v);
}

function writeExemplar(w: ProtoWriter, e: Exemplar): void {
  w.bytes(encodedLabels(e.labels));
  writeDoubleField(w, 2, e.value);
  const ts = e.hasTimestamp ? e.timestamp : 0;
  if (ts !== 0) {
    w.tag(3, 0);
    w.int64(ts);
  }
}

function writeSpans(w: ProtoWriter, field: number, spans: NativeHistogram["positiveSpans"]): void {
  for (const s of spans) {
    const size = (s.offset !== 0 ? 1 + uvarintSize(s.offset >= 0 ? s.offset * 2 : -s.offset * 2 - 1) : 0) + (s.length !== 0 ? 1 + uvarintSize(s.length) : 0);
    w.tag(field, 2);
    w.uvarint(size);
    if (s.offset !== 0) {
      w.tag(1, 0);
      w.sint(s.offset);
    }
    if (s.length !== 0) {
      w.tag(2, 0);
      w.uvarint(s.length);
    }
  }
}

function writePackedSint(w: ProtoWriter, field: number, values: readonly number[]): void {
  if (values.length === 0) return;
  let size = 0;
  for (const v of values) size += uvarintSize(v >= 0 ? v * 2 : -v * 2 - 1);
  w.tag(field, 2);
  w.uvarint(size);
  for (const v of values) w.sint(v);
}

function writePackedDouble(w: ProtoWriter, field: number, values: readonly number[]): void {
  if (values.length === 0) return;
  w.tag(field, 2);
  w.uvarint(values.length * 8);
  for (const v of values) w.double(v);
}

const RESET_HINT_NUMBER = [0, 1, 2, 3] as const;

/** Writes the fields of a prometheus.Histogram (same numbering in remote write 2.0). */
export function writeHistogram(w: ProtoWriter, h: NativeHistogram, timestamp: number, stale: boolean): void {
  const isInt = h.kind === "int";
  if (isInt) {
    w.tag(1, 0);
    w.uvarint(h.count);
  } else {
    w.tag(2, 1);
    w.double(h.count);
  }
  if (stale) {
    // The staleness marker of a histogram series is a float histogram with sum = StaleNaN.
    w.tag(3, 1);
    w.rawDouble(STALE_BYTES, 0);
  } else {
    writeDoubleField(w, 3, h.sum);
  }
  if (h.schema !== 0) {
    w.tag(4, 0);
    w.sint(h.schema);
  }
  writeDoubleField(w, 5, h.zeroThreshold);
  if (isInt) {
    w.tag(6, 0);
    w.uvarint(h.zeroCount);
  } else {
    w.tag(7, 1);
    w.double(h.zeroCount);
  }
  writeSpans(w, 8, h.negativeSpans);
  if (isInt) writePackedSint(w, 9, h.negativeBuckets);
  else writePackedDouble(w, 10, h.negativeBuckets);
  writeSpans(w, 11, h.positiveSpans);
  if (isInt) writePackedSint(w, 12, h.positiveBuckets);
  else writePackedDouble(w, 13, h.positiveBuckets);
  const hint = RESET_HINT_NUMBER[h.counterResetHint];
  if (hint !== 0) {
    w.tag(14, 0);
    w.uvarint(hint);
  }
  if (timestamp !== 0) {
    w.tag(15, 0);
    w.int64(timestamp);
  }
  writePackedDouble(w, 16, h.customValues);
}

const STALE_BYTES = new Uint8Array([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

interface SeriesGroup {
  labels: Labels;
  samples: number[];
  exemplars: Exemplar[];
  histograms: { timestamp: number; histogram: NativeHistogram; stale: boolean }[];
}

function groupBySeries(batch: MetricsBatch): SeriesGroup[] {
  const groups: SeriesGroup[] = [];
  const byKey = new Map<string, SeriesGroup>();
  const get = (labels: Labels): SeriesGroup => {
    const k = labels.key();
    let g = byKey.get(k);
    if (g === undefined) {
      g = { labels, samples: [], exemplars: [], histograms: [] };
      byKey.set(k, g);
      groups.push(g);
    }
    return g;
  };
  const n = batch.length;
  for (let i = 0; i < n; i++) get(batch.series[i]!).samples.push(i);
  for (const h of batch.histograms) get(h.series).histograms.push(h);
  for (const e of batch.exemplars) get(e.series).exemplars.push(e.exemplar);
  return groups;
}

/** Writes one WriteRequest for the batch (and metadata) into `w` (reset first). */
export function writeWriteRequest(w: ProtoWriter, batch: MetricsBatch, metadata: readonly MetricFamilyMetadata[] = []): void {
  w.reset();
  const valueBytes = batch.valueBytes();
  const words = new Uint32Array(valueBytes.buffer, 0, batch.length * 2);
  const ts = batch.timestamps;
  for (const g of groupBySeries(batch)) {
    const labelBytes = encodedLabels(g.labels);
    const samples = g.samples;
    let size = labelBytes.length;
    // A Sample is at most 20 bytes, so its length prefix is always one byte.
    for (let k = 0; k < samples.length; k++) size += 2 + sampleSize(words, samples[k]!, ts[samples[k]!]!);
    let extra: Uint8Array | undefined;
    if (g.exemplars.length > 0 || g.histograms.length > 0) {
      scratch.reset();
      const one = new ProtoWriter(256);
      for (const e of g.exemplars) {
        one.reset();
        writeExemplar(one, e);
        scratch.tag(3, 2);
        scratch.uvarint(one.pos);
        scratch.bytes(one.buf.subarray(0, one.pos));
      }
      for (const h of g.histograms) {
        one.reset();
        writeHistogram(one, h.histogram, h.timestamp, h.stale);
        scratch.tag(4, 2);
        scratch.uvarint(one.pos);
        scratch.bytes(one.buf.subarray(0, one.pos));
      }
      extra = scratch.finish();
      size += extra.length;
    }
    w.tag(1, 2);
    w.uvarint(size);
    w.bytes(labelBytes);
    w.ensure(samples.length * 22);
    const buf = w.buf;
    let pos = w.pos;
    for (let k = 0; k < samples.length; k++) {
      const i = samples[k]!;
      const t = ts[i]!;
      const zero = words[2 * i] === 0 && words[2 * i + 1] === 0;
      buf[pos++] = 0x12;
      buf[pos++] = sampleSize(words, i, t);
      if (!zero) {
        buf[pos++] = 0x09;
        const o = i * 8;
        for (let b = 0; b < 8; b++) buf[pos + b] = valueBytes[o + b]!;
        pos += 8;
      }
      if (t !== 0) {
        buf[pos++] = 0x10;
        if (t > 0) pos = writeUvarint(buf, pos, t);
        else {
          w.pos = pos;
          w.int64(t);
          pos = w.pos;
        }
      }
    }
    w.pos = pos;
    if (extra !== undefined) w.bytes(extra);
  }
  for (const m of metadata) {
    const one = new ProtoWriter(128);
    const type = METRIC_TYPE_NUMBER[m.type];
    if (type !== 0) {
      one.tag(1, 0);
      one.uvarint(type);
    }
    if (m.metricFamilyName !== "") one.stringField(2, m.metricFamilyName);
    if (m.help !== "") one.stringField(4, m.help);
    if (m.unit !== "") one.stringField(5, m.unit);
    w.tag(3, 2);
    w.uvarint(one.pos);
    w.bytes(one.buf.subarray(0, one.pos));
  }
}

/** Encodes a WriteRequest (uncompressed protobuf). */
export function encodeWriteRequest(batch: MetricsBatch, metadata: readonly MetricFamilyMetadata[] = [], w = new ProtoWriter()): Uint8Array {
  writeWriteRequest(w, batch, metadata);
  return w.finish();
}

/** Metadata entries of a batch, one per metric family (last one wins). */
export function familyMetadata(batch: MetricsBatch): MetricFamilyMetadata[] {
  const byName = new Map<string, MetricFamilyMetadata>();
  for (const m of batch.metadata) {
    const name = m.series.metricName();
    byName.set(name, { metricFamilyName: name, ...m.metadata });
  }
  return [...byName.values()];
}
