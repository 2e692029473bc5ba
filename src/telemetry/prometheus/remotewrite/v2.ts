// Remote write 2.0 (io.prometheus.write.v2.Request): every string of a request —
// label names and values, help and unit — is interned once in `symbols` and
// referenced by index; each series carries its own metadata. Encoded straight from a
// MetricsBatch into a reused buffer (byte-equal to @bufbuild/protobuf's encoding,
// tested), and decoded with bounds-checked symbol references.

import { MetricsBatch } from "../batch.ts";
import type { Exemplar } from "../exemplar.ts";
import type { NativeHistogram } from "../histogram.ts";
import { Labels, LabelsBuilder } from "../labels.ts";
import type { Metadata, MetricType } from "../metadata.ts";
import { ProtoDecodeError, ProtoReader, ProtoWriter, uvarintSize } from "../protowire.ts";
import { expectWire, readHistogram, RemoteWriteDecodeError, type DecodedHistogram } from "./decode.ts";
import { METRIC_TYPE_NUMBER, writeDoubleField, writeHistogram } from "./encode.ts";

export const REMOTE_WRITE_V2_MESSAGE = "io.prometheus.write.v2.Request";
export const REMOTE_WRITE_V2_CONTENT_TYPE = `application/x-protobuf;proto=${REMOTE_WRITE_V2_MESSAGE}`;
export const REMOTE_WRITE_V2_VERSION = "2.0.0";
/** Response headers a 2.0 receiver sets with what it wrote. */
export const WRITTEN_SAMPLES_HEADER = "X-Prometheus-Remote-Write-Samples-Written";
export const WRITTEN_HISTOGRAMS_HEADER = "X-Prometheus-Remote-Write-Histograms-Written";
export const WRITTEN_EXEMPLARS_HEADER = "X-Prometheus-Remote-Write-Exemplars-Written";

const SUFFIXES = ["_bucket", "_count", "_sum", "_total", "_created"];

/** Interned strings of one request; index 0 is always "". */
export class SymbolTable {
  readonly symbols: string[] = [""];
  readonly #index = new Map<string, number>([["", 0]]);

  ref(s: string): number {
    let r = this.#index.get(s);
    if (r === undefined) {
      r = this.symbols.length;
      this.symbols.push(s);
      this.#index.set(s, r);
    }
    return r;
  }
}

function writePackedRefs(w: ProtoWriter, field: number, refs: number[]): void {
  if (refs.length === 0) return;
  let size = 0;
  for (const r of refs) size += uvarintSize(r);
  w.tag(field, 2);
  w.uvarint(size);
  for (const r of refs) w.uvarint(r);
}

function labelRefs(l: Labels, st: SymbolTable): number[] {
  const refs: number[] = [];
  l.forEach((n, v) => refs.push(st.ref(n), st.ref(v)));
  return refs;
}

interface Group {
  labels: Labels;
  samples: number[];
  exemplars: Exemplar[];
  histograms: { timestamp: number; histogram: NativeHistogram; stale: boolean }[];
}

/** Encodes a batch as a 2.0 Request; metadata is matched to series by labels, then by family name. */
export function encodeWriteRequestV2(batch: MetricsBatch, w = new ProtoWriter()): Uint8Array {
  const byKey = new Map<string, Group>();
  const groups: Group[] = [];
  const get = (labels: Labels): Group => {
    let g = byKey.get(labels.key());
    if (g === undefined) {
      g = { labels, samples: [], exemplars: [], histograms: [] };
      byKey.set(labels.key(), g);
      groups.push(g);
    }
    return g;
  };
  for (let i = 0; i < batch.length; i++) get(batch.series[i]!).samples.push(i);
  for (const h of batch.histograms) get(h.series).histograms.push(h);
  for (const e of batch.exemplars) get(e.series).exemplars.push(e.exemplar);
  const metaBySeries = new Map<string, Metadata>();
  const metaByName = new Map<string, Metadata>();
  for (const m of batch.metadata) {
    metaBySeries.set(m.series.key(), m.metadata);
    metaByName.set(m.series.metricName(), m.metadata);
  }
  const metadataFor = (l: Labels): Metadata | undefined => {
    const m = metaBySeries.get(l.key()) ?? metaByName.get(l.metricName());
    if (m !== undefined) return m;
    const name = l.metricName();
    for (const s of SUFFIXES) if (name.endsWith(s)) return metaByName.get(name.slice(0, -s.length));
    return undefined;
  };

  const st = new SymbolTable();
  const series = new ProtoWriter(64 * 1024);
  const one = new ProtoWriter(1024);
  const part = new ProtoWriter(256);
  const values = batch.valueBytes();
  const words = new Uint32Array(values.buffer, 0, batch.length * 2);
  for (const g of groups) {
    one.reset();
    writePackedRefs(one, 1, labelRefs(g.labels, st));
    for (const i of g.samples) {
      part.reset();
      if (words[2 * i] !== 0 || words[2 * i + 1] !== 0) {
        part.tag(1, 1);
        part.rawDouble(values, i * 8);
      }
      const t = batch.timestamps[i]!;
      if (t !== 0) {
        part.tag(2, 0);
        part.int64(t);
      }
      one.tag(2, 2);
      one.uvarint(part.pos);
      one.bytes(part.buf.subarray(0, part.pos));
    }
    for (const h of g.histograms) {
      part.reset();
      writeHistogram(part, h.histogram, h.timestamp, h.stale);
      one.tag(3, 2);
      one.uvarint(part.pos);
      one.bytes(part.buf.subarray(0, part.pos));
    }
    for (const e of g.exemplars) {
      part.reset();
      writePackedRefs(part, 1, labelRefs(e.labels, st));
      writeDoubleField(part, 2, e.value);
      const ts = e.hasTimestamp ? e.timestamp : 0;
      if (ts !== 0) {
        part.tag(3, 0);
        part.int64(ts);
      }
      one.tag(4, 2);
      one.uvarint(part.pos);
      one.bytes(part.buf.subarray(0, part.pos));
    }
    // Metadata is a non-nullable field in Prometheus's encoding: always present.
    part.reset();
    const m = metadataFor(g.labels);
    if (m !== undefined) {
      const type = METRIC_TYPE_NUMBER[m.type];
      if (type !== 0) {
        part.tag(1, 0);
        part.uvarint(type);
      }
      const help = st.ref(m.help);
      if (help !== 0) {
        part.tag(3, 0);
        part.uvarint(help);
      }
      const unit = st.ref(m.unit);
      if (unit !== 0) {
        part.tag(4, 0);
        part.uvarint(unit);
      }
    }
    one.tag(5, 2);
    one.uvarint(part.pos);
    one.bytes(part.buf.subarray(0, part.pos));
    series.tag(5, 2);
    series.uvarint(one.pos);
    series.bytes(one.buf.subarray(0, one.pos));
  }
  w.reset();
  for (const s of st.symbols) w.stringField(4, s);
  w.bytes(series.buf.subarray(0, series.pos));
  return w.finish();
}

const TYPE_BY_NUMBER: MetricType[] = [];
for (const [k, v] of Object.entries(METRIC_TYPE_NUMBER)) TYPE_BY_NUMBER[v] = k as MetricType;

function readRefs(r: ProtoReader, wt: number, out: number[]): void {
  r.repeated(wt, out, () => r.uvarint());
}

function resolveLabels(r: ProtoReader, refs: number[], symbols: string[], what: string): Labels {
  if (refs.length % 2 !== 0) r.fail(`${what} has an odd number of references (${refs.length})`);
  const b = new LabelsBuilder();
  const seen = new Set<string>();
  for (let i = 0; i < refs.length; i += 2) {
    const n = symbols[refs[i]!];
    const v = symbols[refs[i + 1]!];
    if (n === undefined || v === undefined) r.fail(`${what} references symbol ${Math.max(refs[i]!, refs[i + 1]!)}, but there are only ${symbols.length}`);
    if (seen.has(n)) r.fail(`duplicate label name ${JSON.stringify(n)}`);
    seen.add(n);
    b.set(n, v);
  }
  return b.labels();
}

function readSeries(r: ProtoReader, symbols: string[], batch: MetricsBatch): void {
  const refs: number[] = [];
  const samples: { off: number; ts: number }[] = [];
  const histograms: DecodedHistogram[] = [];
  const exemplars: { refs: number[]; value: number; ts: number }[] = [];
  let meta: { type: number; help: number; unit: number } | undefined;
  while (!r.done()) {
    const t = r.tag();
    const f = t >>> 3;
    const wt = t & 7;
    switch (f) {
      case 1:
        readRefs(r, wt, refs);
        break;
      case 2:
        expectWire(r, f, wt, 2);
        samples.push(
          r.nested(`samples[${samples.length}]`, (sr) => {
            const s = { off: -1, ts: 0 };
            while (!sr.done()) {
              const st = sr.tag();
              if (st >>> 3 === 1) (expectWire(sr, 1, st & 7, 1), (s.off = sr.doubleOffset()));
              else if (st >>> 3 === 2) (expectWire(sr, 2, st & 7, 0), (s.ts = sr.int64()));
              else sr.skip(st & 7);
            }
            return s;
          }),
        );
        break;
      case 3:
        expectWire(r, f, wt, 2);
        histograms.push(r.nested(`histograms[${histograms.length}]`, readHistogram));
        break;
      case 4:
        expectWire(r, f, wt, 2);
        exemplars.push(
          r.nested(`exemplars[${exemplars.length}]`, (er) => {
            const e = { refs: [] as number[], value: 0, ts: 0 };
            while (!er.done()) {
              const et = er.tag();
              if (et >>> 3 === 1) readRefs(er, et & 7, e.refs);
              else if (et >>> 3 === 2) (expectWire(er, 2, et & 7, 1), (e.value = er.double()));
              else if (et >>> 3 === 3) (expectWire(er, 3, et & 7, 0), (e.ts = er.int64()));
              else er.skip(et & 7);
            }
            return e;
          }),
        );
        break;
      case 5:
        expectWire(r, f, wt, 2);
        meta = r.nested("metadata", (mr) => {
          const m = { type: 0, help: 0, unit: 0 };
          while (!mr.done()) {
            const mt = mr.tag();
            if (mt >>> 3 === 1) (expectWire(mr, 1, mt & 7, 0), (m.type = mr.uvarint()));
            else if (mt >>> 3 === 3) (expectWire(mr, 3, mt & 7, 0), (m.help = mr.uvarint()));
            else if (mt >>> 3 === 4) (expectWire(mr, 4, mt & 7, 0), (m.unit = mr.uvarint()));
            else mr.skip(mt & 7);
          }
          return m;
        });
        break;
      default:
        r.skip(wt);
    }
  }
  const labels = resolveLabels(r, refs, symbols, "labels_refs");
  for (const s of samples) {
    if (s.off < 0) batch.appendSample(labels, s.ts, 0);
    else batch.appendSampleBits(labels, s.ts, r.buf, s.off);
  }
  for (const h of histograms) {
    if (h.stale) batch.appendHistogramStaleMarker(labels, h.timestamp, h.histogram);
    else batch.appendHistogram(labels, h.timestamp, h.histogram);
  }
  for (const e of exemplars) {
    batch.appendExemplar(labels, { labels: resolveLabels(r, e.refs, symbols, "exemplar labels_refs"), value: e.value, timestamp: e.ts, hasTimestamp: e.ts !== 0 });
  }
  if (meta !== undefined && (meta.type !== 0 || meta.help !== 0 || meta.unit !== 0)) {
    const type = TYPE_BY_NUMBER[meta.type];
    const help = symbols[meta.help];
    const unit = symbols[meta.unit];
    if (type === undefined) r.fail(`unknown metric type ${meta.type}`);
    if (help === undefined || unit === undefined) r.fail(`metadata references a symbol beyond the ${symbols.length} symbols`);
    batch.updateMetadata(labels, { type, help, unit });
  }
}

/** Decodes an uncompressed 2.0 Request; throws RemoteWriteDecodeError on malformed input. */
export function decodeWriteRequestV2(bytes: Uint8Array): MetricsBatch {
  const batch = new MetricsBatch(256);
  const r = new ProtoReader(bytes, 0, bytes.length, "Request");
  try {
    const symbols: string[] = [];
    const series: [number, number][] = [];
    while (!r.done()) {
      const t = r.tag();
      const f = t >>> 3;
      const wt = t & 7;
      if (f >= 1 && f <= 3) r.fail(`field ${f} is reserved in remote write 2.0 (is this a 1.0 WriteRequest?)`);
      if (f === 4) {
        expectWire(r, f, wt, 2);
        symbols.push(r.string());
      } else if (f === 5) {
        expectWire(r, f, wt, 2);
        const n = r.length();
        series.push([r.pos, r.pos + n]);
        r.pos += n;
      } else r.skip(wt);
    }
    series.forEach(([start, end], i) => readSeries(new ProtoReader(bytes, start, end, `Request.timeseries[${i}]`), symbols, batch));
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw new RemoteWriteDecodeError(`malformed remote write 2.0 request: ${e.message}`);
    throw e;
  }
  return batch;
}
