// Remote write 1.0 decoder: prometheus.WriteRequest bytes → MetricsBatch (+ metadata),
// for prometheus.receive_http. Hand-written so sample values keep their exact bits
// (the staleness marker) and so malformed input fails with a message that says what
// and where (`timeseries[3].samples[0]: truncated double at byte 120`), never a crash.

import { MetricsBatch } from "../batch.ts";
import type { Exemplar } from "../exemplar.ts";
import { CounterResetHint, type BucketSpan, type NativeHistogram } from "../histogram.ts";
import { Labels, LabelsBuilder } from "../labels.ts";
import type { MetricType } from "../metadata.ts";
import { ProtoDecodeError, ProtoReader } from "../protowire.ts";
import { isStaleBytes } from "../staleness.ts";
import { METRIC_TYPE_NUMBER, type MetricFamilyMetadata } from "./encode.ts";

export class RemoteWriteDecodeError extends Error {
  override name = "RemoteWriteDecodeError";
}

export interface DecodedWriteRequest {
  batch: MetricsBatch;
  metadata: MetricFamilyMetadata[];
}

const TYPE_BY_NUMBER: MetricType[] = [];
for (const [k, v] of Object.entries(METRIC_TYPE_NUMBER)) TYPE_BY_NUMBER[v] = k as MetricType;

export function expectWire(r: ProtoReader, field: number, got: number, want: number): void {
  if (got !== want) r.fail(`field ${field} has wire type ${got}, expected ${want}`);
}

function readLabel(r: ProtoReader, b: LabelsBuilder, seen: Set<string>): void {
  let name = "";
  let value = "";
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    if (f === 1) {
      expectWire(r, f, wt, 2);
      name = r.string();
    } else if (f === 2) {
      expectWire(r, f, wt, 2);
      value = r.string();
    } else r.skip(wt);
  }
  if (seen.has(name)) r.fail(`duplicate label name ${JSON.stringify(name)}`);
  seen.add(name);
  b.set(name, value);
}

function readExemplar(r: ProtoReader): Exemplar {
  const b = new LabelsBuilder();
  const seen = new Set<string>();
  let value = 0;
  let timestamp = 0;
  let i = 0;
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    if (f === 1) {
      expectWire(r, f, wt, 2);
      r.nested(`labels[${i++}]`, (lr) => readLabel(lr, b, seen));
    } else if (f === 2) {
      expectWire(r, f, wt, 1);
      value = r.double();
    } else if (f === 3) {
      expectWire(r, f, wt, 0);
      timestamp = r.int64();
    } else r.skip(wt);
  }
  return { labels: b.labels(), value, timestamp, hasTimestamp: timestamp !== 0 };
}

function readSpan(r: ProtoReader): BucketSpan {
  const s = { offset: 0, length: 0 };
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    if (f === 1) {
      expectWire(r, f, wt, 0);
      s.offset = r.sint();
    } else if (f === 2) {
      expectWire(r, f, wt, 0);
      s.length = r.uvarint();
    } else r.skip(wt);
  }
  return s;
}

export interface DecodedHistogram {
  histogram: NativeHistogram;
  timestamp: number;
  stale: boolean;
}

/** Reads a prometheus.Histogram message (also remote write 2.0's, whose extra fields are skipped). */
export function readHistogram(r: ProtoReader): DecodedHistogram {
  let countInt: number | undefined;
  let countFloat: number | undefined;
  let zeroInt: number | undefined;
  let zeroFloat: number | undefined;
  let sum = 0;
  let stale = false;
  let schema = 0;
  let zeroThreshold = 0;
  let hint = 0;
  let timestamp = 0;
  const negSpans: BucketSpan[] = [];
  const posSpans: BucketSpan[] = [];
  const negDeltas: number[] = [];
  const posDeltas: number[] = [];
  const negCounts: number[] = [];
  const posCounts: number[] = [];
  const customValues: number[] = [];
  const sint = () => r.sint();
  const dbl = () => r.double();
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    switch (f) {
      case 1: expectWire(r, f, wt, 0); countInt = r.uvarint(); countFloat = undefined; break;
      case 2: expectWire(r, f, wt, 1); countFloat = r.double(); countInt = undefined; break;
      case 3: {
        expectWire(r, f, wt, 1);
        const off = r.doubleOffset();
        stale = isStaleBytes(r.buf, off);
        sum = r.view.getFloat64(off, true);
        break;
      }
      case 4: expectWire(r, f, wt, 0); schema = r.sint(); break;
      case 5: expectWire(r, f, wt, 1); zeroThreshold = r.double(); break;
      case 6: expectWire(r, f, wt, 0); zeroInt = r.uvarint(); zeroFloat = undefined; break;
      case 7: expectWire(r, f, wt, 1); zeroFloat = r.double(); zeroInt = undefined; break;
      case 8: expectWire(r, f, wt, 2); negSpans.push(r.nested(`negative_spans[${negSpans.length}]`, readSpan)); break;
      case 9: r.repeated(wt, negDeltas, sint); break;
      case 10: r.repeated(wt, negCounts, dbl); break;
      case 11: expectWire(r, f, wt, 2); posSpans.push(r.nested(`positive_spans[${posSpans.length}]`, readSpan)); break;
      case 12: r.repeated(wt, posDeltas, sint); break;
      case 13: r.repeated(wt, posCounts, dbl); break;
      case 14: expectWire(r, f, wt, 0); hint = r.uvarint(); break;
      case 15: expectWire(r, f, wt, 0); timestamp = r.int64(); break;
      case 16: r.repeated(wt, customValues, dbl); break;
      default: r.skip(wt);
    }
  }
  if (hint > 3) r.fail(`unknown histogram reset hint ${hint}`);
  const common = {
    counterResetHint: hint as CounterResetHint,
    schema,
    zeroThreshold,
    sum,
    positiveSpans: posSpans,
    negativeSpans: negSpans,
    customValues,
  };
  const isFloat = countFloat !== undefined || zeroFloat !== undefined || posCounts.length > 0 || negCounts.length > 0;
  const histogram: NativeHistogram = isFloat
    ? { kind: "float", ...common, count: countFloat ?? countInt ?? 0, zeroCount: zeroFloat ?? zeroInt ?? 0, positiveBuckets: posCounts, negativeBuckets: negCounts }
    : { kind: "int", ...common, count: countInt ?? 0, zeroCount: zeroInt ?? 0, positiveBuckets: posDeltas, negativeBuckets: negDeltas };
  return { histogram, timestamp, stale };
}

function readTimeSeries(r: ProtoReader, batch: MetricsBatch): void {
  // Labels come first on the wire from every known client, but any order is valid:
  // collect everything, then attach to the final label set.
  const b = new LabelsBuilder();
  const seen = new Set<string>();
  const sampleTs: number[] = [];
  const sampleOffsets: number[] = [];
  const exemplars: Exemplar[] = [];
  const histograms: DecodedHistogram[] = [];
  let nLabels = 0;
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    if (f === 1) {
      expectWire(r, f, wt, 2);
      r.nested(`labels[${nLabels++}]`, (lr) => readLabel(lr, b, seen));
    } else if (f === 2) {
      expectWire(r, f, wt, 2);
      r.nested(`samples[${sampleTs.length}]`, (sr) => {
        let off = -1;
        let ts = 0;
        while (!sr.done()) {
          const st = sr.tag();
          const sf = st >>> 3;
          const swt = st & 7;
          if (sf === 1) {
            expectWire(sr, sf, swt, 1);
            off = sr.doubleOffset();
          } else if (sf === 2) {
            expectWire(sr, sf, swt, 0);
            ts = sr.int64();
          } else sr.skip(swt);
        }
        sampleTs.push(ts);
        sampleOffsets.push(off);
      });
    } else if (f === 3) {
      expectWire(r, f, wt, 2);
      exemplars.push(r.nested(`exemplars[${exemplars.length}]`, readExemplar));
    } else if (f === 4) {
      expectWire(r, f, wt, 2);
      histograms.push(r.nested(`histograms[${histograms.length}]`, readHistogram));
    } else r.skip(wt);
  }
  const labels: Labels = b.labels();
  for (let i = 0; i < sampleTs.length; i++) {
    const off = sampleOffsets[i]!;
    if (off < 0) batch.appendSample(labels, sampleTs[i]!, 0);
    else batch.appendSampleBits(labels, sampleTs[i]!, r.buf, off);
  }
  for (const e of exemplars) batch.appendExemplar(labels, e);
  for (const h of histograms) {
    if (h.stale) batch.appendHistogramStaleMarker(labels, h.timestamp, h.histogram);
    else batch.appendHistogram(labels, h.timestamp, h.histogram);
  }
}

function readMetadata(r: ProtoReader): MetricFamilyMetadata {
  const m: MetricFamilyMetadata = { metricFamilyName: "", type: "unknown", help: "", unit: "" };
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    if (f === 1) {
      expectWire(r, f, wt, 0);
      const n = r.uvarint();
      const type = TYPE_BY_NUMBER[n];
      if (type === undefined) r.fail(`unknown metric type ${n}`);
      m.type = type;
    } else if (f === 2) {
      expectWire(r, f, wt, 2);
      m.metricFamilyName = r.string();
    } else if (f === 4) {
      expectWire(r, f, wt, 2);
      m.help = r.string();
    } else if (f === 5) {
      expectWire(r, f, wt, 2);
      m.unit = r.string();
    } else r.skip(wt);
  }
  return m;
}

/** Decodes an uncompressed WriteRequest; throws RemoteWriteDecodeError on malformed input. */
export function decodeWriteRequest(bytes: Uint8Array): DecodedWriteRequest {
  const batch = new MetricsBatch(256);
  const metadata: MetricFamilyMetadata[] = [];
  const r = new ProtoReader(bytes, 0, bytes.length, "WriteRequest");
  let nSeries = 0;
  try {
    while (!r.done()) {
      const t = r.tag();
      const f = t >>> 3;
      const wt = t & 7;
      if (f === 1) {
        expectWire(r, f, wt, 2);
        r.nested(`timeseries[${nSeries++}]`, (tr) => readTimeSeries(tr, batch));
      } else if (f === 3) {
        expectWire(r, f, wt, 2);
        metadata.push(r.nested(`metadata[${metadata.length}]`, readMetadata));
      } else r.skip(wt);
    }
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw new RemoteWriteDecodeError(`malformed remote write request: ${e.message}`);
    throw e;
  }
  return { batch, metadata };
}

/** The label set of an exemplar or series must not be empty of a metric name for ingestion. */
export function seriesHasMetricName(labels: Labels): boolean {
  return labels.metricName() !== "";
}
