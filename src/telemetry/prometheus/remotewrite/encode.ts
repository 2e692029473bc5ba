// Remote write 1.0 encoder: MetricsBatch → prometheus.WriteRequest bytes, written
// straight into a reused buffer. Samples of one series are grouped into one
// TimeSeries (in order of first appearance), through a reused table keyed by the
// series' cached hash: no per-series object or string key. Each Labels object keeps
// the size (or, rarely, the bytes) of its `labels` fields in its `encoding` slot. Values
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

const labelScratch = new ProtoWriter(1024);
const scratch = new ProtoWriter(1024);

function writeLabelFields(w: ProtoWriter, labels: Labels): void {
  const label = new ProtoWriter(64);
  labels.forEach((name, value) => {
    label.reset();
    if (name !== "") label.stringField(1, name);
    if (value !== "") label.stringField(2, value);
    w.tag(1, 2);
    w.uvarint(label.pos);
    w.bytes(label.buf.subarray(0, label.pos));
  });
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * The size of the labels fields when every name and value is non-empty ASCII and each
 * Label message is under 128 bytes (so every length is one byte), else -1.
 */
function shortAsciiSize(flat: readonly string[]): number {
  let size = 0;
  for (let i = 0; i < flat.length; i += 2) {
    const n = flat[i]!;
    const v = flat[i + 1]!;
    const inner = 4 + n.length + v.length;
    if (n.length === 0 || v.length === 0 || inner >= 0x80 || !isAscii(n) || !isAscii(v)) return -1;
    size += 2 + inner;
  }
  return size;
}

/** Writes the labels fields of a short-ASCII label set at `pos` of `buf`; returns the end. */
function writeShortAscii(buf: Uint8Array, pos: number, flat: readonly string[]): number {
  for (let i = 0; i < flat.length; i += 2) {
    const n = flat[i]!;
    const v = flat[i + 1]!;
    buf[pos++] = 0x0a;
    buf[pos++] = 4 + n.length + v.length;
    buf[pos++] = 0x0a;
    buf[pos++] = n.length;
    for (let k = 0; k < n.length; k++) buf[pos++] = n.charCodeAt(k);
    buf[pos++] = 0x12;
    buf[pos++] = v.length;
    for (let k = 0; k < v.length; k++) buf[pos++] = v.charCodeAt(k);
  }
  return pos;
}

/**
 * The labels fields of a series as the encoder keeps them in the Labels' `encoding`
 * slot, shared by every request that sends it: their size for label sets in the short
 * ASCII form (written straight from their strings, which costs about as much as
 * copying cached bytes and keeps no bytes per series), or their bytes for the others.
 */
function encodingOf(labels: Labels): number | Uint8Array {
  const enc = labels.encoding;
  if (typeof enc === "number" || enc instanceof Uint8Array) return enc;
  const short = shortAsciiSize(labels.flat);
  let e: number | Uint8Array;
  if (short >= 0) e = short;
  else {
    labelScratch.reset();
    writeLabelFields(labelScratch, labels);
    e = labelScratch.finish();
  }
  labels.encoding = e;
  return e;
}

/** The repeated `labels` fields (field 1) of a TimeSeries or Exemplar for `labels`. */
export function encodedLabels(labels: Labels): Uint8Array {
  const e = encodingOf(labels);
  if (typeof e !== "number") return e;
  const out = new Uint8Array(e);
  writeShortAscii(out, 0, labels.flat);
  return out;
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

/** Exemplars and histograms of one group (rare; samples are linked through typed arrays). */
interface GroupExtras {
  exemplars: Exemplar[];
  histograms: { timestamp: number; histogram: NativeHistogram; stale: boolean }[];
}

// Grouping scratch, reused across requests: groups[g] is a series, its samples run
// from head[g] through next[] (−1 ends the list). groupOf is an open-addressing
// table from the series' keyHash to g + 1 (0: empty), cleared per request; series
// are told apart by identity, so each Labels object is one TimeSeries.
const groups: Labels[] = [];
let head = new Int32Array(1024);
let tail = new Int32Array(1024);
let next = new Int32Array(1024);
let groupOf = new Int32Array(2048);
let groupMask = 0;

function slotHash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** The table slot of `labels`: holding its group + 1, or 0 where it would go. */
function groupSlot(labels: Labels): number {
  let i = slotHash(labels.keyHash()) & groupMask;
  for (;;) {
    const g = groupOf[i]!;
    if (g === 0 || groups[g - 1] === labels) return i;
    i = (i + 1) & groupMask;
  }
}

/** Writes one WriteRequest for the batch (and metadata) into `w` (reset first). */
export function writeWriteRequest(w: ProtoWriter, batch: MetricsBatch, metadata: readonly MetricFamilyMetadata[] = []): void {
  w.reset();
  const n = batch.length;
  const valueBytes = batch.valueBytes();
  const words = new Uint32Array(valueBytes.buffer, 0, n * 2);
  const ts = batch.timestamps;
  const total = n + batch.histograms.length + batch.exemplars.length;
  if (head.length < total) {
    const size = Math.max(total, head.length * 2);
    head = new Int32Array(size);
    tail = new Int32Array(size);
  }
  if (next.length < n) next = new Int32Array(Math.max(n, next.length * 2));
  // At most half full: a power of two of at least twice the series count.
  let cap = 16;
  while (cap < total * 2) cap *= 2;
  if (groupOf.length < cap) groupOf = new Int32Array(cap);
  else groupOf.fill(0, 0, cap);
  groupMask = cap - 1;
  let ng = 0;
  const series = batch.series;
  for (let i = 0; i < n; i++) {
    const l = series[i]!;
    next[i] = -1;
    const slot = groupSlot(l);
    const g = groupOf[slot]! - 1;
    if (g < 0) {
      encodingOf(l);
      groupOf[slot] = ng + 1;
      groups[ng] = l;
      head[ng] = i;
      tail[ng] = i;
      ng++;
    } else {
      next[tail[g]!] = i;
      tail[g] = i;
    }
  }
  let extras: Map<number, GroupExtras> | undefined;
  const extraOf = (labels: Labels): GroupExtras => {
    const slot = groupSlot(labels);
    let g = groupOf[slot]! - 1;
    if (g < 0) {
      encodingOf(labels);
      g = ng;
      groupOf[slot] = ng + 1;
      groups[ng] = labels;
      head[ng] = -1;
      ng++;
    }
    extras ??= new Map();
    let x = extras.get(g);
    if (x === undefined) extras.set(g, (x = { exemplars: [], histograms: [] }));
    return x;
  };
  for (const h of batch.histograms) extraOf(h.series).histograms.push(h);
  for (const e of batch.exemplars) extraOf(e.series).exemplars.push(e.exemplar);
  for (let g = 0; g < ng; g++) {
    const labels = groups[g]!;
    const e = labels.encoding as number | Uint8Array;
    let size = typeof e === "number" ? e : e.length;
    // A Sample is at most 20 bytes, so its length prefix is always one byte.
    let count = 0;
    for (let i = head[g]!; i >= 0; i = next[i]!) {
      size += 2 + sampleSize(words, i, ts[i]!);
      count++;
    }
    let extra: Uint8Array | undefined;
    const x = extras?.get(g);
    if (x !== undefined) {
      scratch.reset();
      const one = new ProtoWriter(256);
      for (const ex of x.exemplars) {
        one.reset();
        writeExemplar(one, ex);
        scratch.tag(3, 2);
        scratch.uvarint(one.pos);
        scratch.bytes(one.buf.subarray(0, one.pos));
      }
      for (const h of x.histograms) {
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
    w.ensure(size + count * 22);
    const buf = w.buf;
    let pos = w.pos;
    if (typeof e === "number") pos = writeShortAscii(buf, pos, labels.flat);
    else for (let k = 0; k < e.length; k++) buf[pos++] = e[k]!;
    for (let i = head[g]!; i >= 0; i = next[i]!) {
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
  // Drop the references so the scratch does not keep series alive.
  groups.length = 0;
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
