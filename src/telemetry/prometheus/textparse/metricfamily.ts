// Decoding of io.prometheus.client.MetricFamily messages (the protobuf exposition
// format) into plain records, with bounds-checked reads and error positions.

import type { BucketSpan } from "../histogram.ts";
import { ProtoReader } from "../protowire.ts";

export interface PbExemplar {
  labels: [string, string][];
  value: number;
  ts: number | undefined;
}
export interface PbBucket {
  count: number;
  countFloat: number;
  upper: number;
  exemplar: PbExemplar | undefined;
}
export interface PbHistogram {
  count: number;
  countFloat: number;
  sum: number;
  buckets: PbBucket[];
  created: number | undefined;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  zeroCountFloat: number;
  negSpans: BucketSpan[];
  negDeltas: number[];
  negCounts: number[];
  posSpans: BucketSpan[];
  posDeltas: number[];
  posCounts: number[];
  exemplars: PbExemplar[];
}
export interface PbMetric {
  labels: [string, string][];
  value: number;
  exemplar: PbExemplar | undefined;
  created: number | undefined;
  summary: { count: number; sum: number; quantiles: [number, number][]; created: number | undefined } | undefined;
  histogram: PbHistogram | undefined;
  timestampMs: number;
}

function expect(r: ProtoReader, wt: number, want: number): void {
  if (wt !== want) r.fail(`wire type ${wt}, expected ${want}`);
}

function readLabelPair(r: ProtoReader): [string, string] {
  let name = "";
  let value = "";
  while (!r.done()) {
    const t = r.tag();
    if (t >>> 3 === 1) (expect(r, t & 7, 2), (name = r.string()));
    else if (t >>> 3 === 2) (expect(r, t & 7, 2), (value = r.string()));
    else r.skip(t & 7);
  }
  return [name, value];
}

function readTimestamp(r: ProtoReader): number {
  let seconds = 0;
  let nanos = 0;
  while (!r.done()) {
    const t = r.tag();
    if (t >>> 3 === 1) (expect(r, t & 7, 0), (seconds = r.int64()));
    else if (t >>> 3 === 2) (expect(r, t & 7, 0), (nanos = r.int64()));
    else r.skip(t & 7);
  }
  return seconds * 1000 + Math.trunc(nanos / 1e6);
}

function readExemplar(r: ProtoReader): PbExemplar {
  const e: PbExemplar = { labels: [], value: 0, ts: undefined };
  while (!r.done()) {
    const t = r.tag();
    switch (t >>> 3) {
      case 1: expect(r, t & 7, 2); e.labels.push(r.nested("label", readLabelPair)); break;
      case 2: expect(r, t & 7, 1); e.value = r.double(); break;
      case 3: expect(r, t & 7, 2); e.ts = r.nested("timestamp", readTimestamp); break;
      default: r.skip(t & 7);
    }
  }
  return e;
}

/** Reads the single `double value = 1` (plus counter's exemplar/created) of Gauge/Counter/Untyped. */
function readSimple(r: ProtoReader, m: PbMetric): void {
  while (!r.done()) {
    const t = r.tag();
    switch (t >>> 3) {
      case 1: expect(r, t & 7, 1); m.value = r.double(); break;
      case 2: expect(r, t & 7, 2); m.exemplar = r.nested("exemplar", readExemplar); break;
      case 3: expect(r, t & 7, 2); m.created = r.nested("created_timestamp", readTimestamp); break;
      default: r.skip(t & 7);
    }
  }
}

function readSummary(r: ProtoReader): NonNullable<PbMetric["summary"]> {
  const s: NonNullable<PbMetric["summary"]> = { count: 0, sum: 0, quantiles: [], created: undefined };
  while (!r.done()) {
    const t = r.tag();
    switch (t >>> 3) {
      case 1: expect(r, t & 7, 0); s.count = r.uvarint(); break;
      case 2: expect(r, t & 7, 1); s.sum = r.double(); break;
      case 3:
        expect(r, t & 7, 2);
        s.quantiles.push(
          r.nested("quantile", (qr) => {
            let q = 0;
            let v = 0;
            while (!qr.done()) {
              const qt = qr.tag();
              if (qt >>> 3 === 1) (expect(qr, qt & 7, 1), (q = qr.double()));
              else if (qt >>> 3 === 2) (expect(qr, qt & 7, 1), (v = qr.double()));
              else qr.skip(qt & 7);
            }
            return [q, v] as [number, number];
          }),
        );
        break;
      case 4: expect(r, t & 7, 2); s.created = r.nested("created_timestamp", readTimestamp); break;
      default: r.skip(t & 7);
    }
  }
  return s;
}

function readSpan(r: ProtoReader): BucketSpan {
  const s = { offset: 0, length: 0 };
  while (!r.done()) {
    const t = r.tag();
    if (t >>> 3 === 1) (expect(r, t & 7, 0), (s.offset = r.sint()));
    else if (t >>> 3 === 2) (expect(r, t & 7, 0), (s.length = r.uvarint()));
    else r.skip(t & 7);
  }
  return s;
}

export function readHistogram(r: ProtoReader): PbHistogram {
  const h: PbHistogram = {
    count: 0, countFloat: 0, sum: 0, buckets: [], created: undefined, schema: 0, zeroThreshold: 0, zeroCount: 0,
    zeroCountFloat: 0, negSpans: [], negDeltas: [], negCounts: [], posSpans: [], posDeltas: [], posCounts: [], exemplars: [],
  };
  const sint = () => r.sint();
  const dbl = () => r.double();
  while (!r.done()) {
    const t = r.tag();
    const wt = t & 7;
    switch (t >>> 3) {
      case 1: expect(r, wt, 0); h.count = r.uvarint(); break;
      case 4: expect(r, wt, 1); h.countFloat = r.double(); break;
      case 2: expect(r, wt, 1); h.sum = r.double(); break;
      case 3:
        expect(r, wt, 2);
        h.buckets.push(
          r.nested("bucket", (br) => {
            const b: PbBucket = { count: 0, countFloat: 0, upper: 0, exemplar: undefined };
            while (!br.done()) {
              const bt = br.tag();
              switch (bt >>> 3) {
                case 1: expect(br, bt & 7, 0); b.count = br.uvarint(); break;
                case 4: expect(br, bt & 7, 1); b.countFloat = br.double(); break;
                case 2: expect(br, bt & 7, 1); b.upper = br.double(); break;
                case 3: expect(br, bt & 7, 2); b.exemplar = br.nested("exemplar", readExemplar); break;
                default: br.skip(bt & 7);
              }
            }
            return b;
          }),
        );
        break;
      case 15: expect(r, wt, 2); h.created = r.nested("created_timestamp", readTimestamp); break;
      case 5: expect(r, wt, 0); h.schema = r.sint(); break;
      case 6: expect(r, wt, 1); h.zeroThreshold = r.double(); break;
      case 7: expect(r, wt, 0); h.zeroCount = r.uvarint(); break;
      case 8: expect(r, wt, 1); h.zeroCountFloat = r.double(); break;
      case 9: expect(r, wt, 2); h.negSpans.push(r.nested("negative_span", readSpan)); break;
      case 10: r.repeated(wt, h.negDeltas, sint); break;
      case 11: r.repeated(wt, h.negCounts, dbl); break;
      case 12: expect(r, wt, 2); h.posSpans.push(r.nested("positive_span", readSpan)); break;
      case 13: r.repeated(wt, h.posDeltas, sint); break;
      case 14: r.repeated(wt, h.posCounts, dbl); break;
      case 16: expect(r, wt, 2); h.exemplars.push(r.nested("exemplars", readExemplar)); break;
      default: r.skip(wt);
    }
  }
  return h;
}

export function readMetric(r: ProtoReader): PbMetric {
  const m: PbMetric = { labels: [], value: 0, exemplar: undefined, created: undefined, summary: undefined, histogram: undefined, timestampMs: 0 };
  while (!r.done()) {
    const t = r.tag();
    const wt = t & 7;
    switch (t >>> 3) {
      case 1: expect(r, wt, 2); m.labels.push(r.nested("label", readLabelPair)); break;
      case 2: expect(r, wt, 2); r.nested("gauge", (x) => readSimple(x, m)); break;
      case 3: expect(r, wt, 2); r.nested("counter", (x) => readSimple(x, m)); break;
      case 4: expect(r, wt, 2); m.summary = r.nested("summary", readSummary); break;
      case 5: expect(r, wt, 2); r.nested("untyped", (x) => readSimple(x, m)); break;
      case 7: expect(r, wt, 2); m.histogram = r.nested("histogram", readHistogram); break;
      case 6: expect(r, wt, 0); m.timestampMs = r.int64(); break;
      default: r.skip(wt);
    }
  }
  return m;
}

/** Reads one MetricFamily message. */
export function readMetricFamily(r: ProtoReader): PbFamily {
  const f: PbFamily = { name: "", help: "", unit: "", type: 0, metrics: [] };
  while (!r.done()) {
    const t = r.tag();
    const wt = t & 7;
    switch (t >>> 3) {
      case 1: expect(r, wt, 2); f.name = r.string(); break;
      case 2: expect(r, wt, 2); f.help = r.string(); break;
      case 3: expect(r, wt, 0); f.type = r.uvarint(); break;
      case 4: expect(r, wt, 2); f.metrics.push(r.nested(`metric[${f.metrics.length}]`, readMetric)); break;
      case 5: expect(r, wt, 2); f.unit = r.string(); break;
      default: r.skip(wt);
    }
  }
  return f;
}

export interface PbFamily {
  name: string;
  help: string;
  unit: string;
  type: number;
  metrics: PbMetric[];
}
