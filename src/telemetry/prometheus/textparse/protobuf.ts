// Parser for the protobuf exposition format (varint-delimited
// io.prometheus.client.MetricFamily messages), producing the same entry sequence
// as Prometheus's model/textparse/protobufparse.go: per family HELP, UNIT (if set)
// and TYPE, then per metric the series a text exposition would have (`_count`,
// `_sum`, `quantile`/`le` series with OpenMetrics float formatting and a synthetic
// `+Inf` bucket), or a native histogram entry, optionally followed by its classic
// series. The body is decoded family by family; entries of a family are prepared
// when the family is reached.

import type { Exemplar } from "../exemplar.ts";
import { CounterResetHint, type BucketSpan, type NativeHistogram } from "../histogram.ts";
import { Labels, LabelsBuilder, METRIC_NAME } from "../labels.ts";
import type { MetricType } from "../metadata.ts";
import { ProtoDecodeError, ProtoReader } from "../protowire.ts";
import { formatOpenMetricsFloat } from "./float.ts";
import { METRIC_TYPE_LABEL, METRIC_UNIT_LABEL } from "./lex.ts";
import { readHistogram, readMetricFamily, type PbExemplar, type PbHistogram, type PbMetric } from "./metricfamily.ts";
import { ParseError, type Entry, type ExpositionParser } from "./parser.ts";

export interface ProtobufParserOptions {
  /** Treat native histograms as classic ones (scrape_native_histograms = false). */
  ignoreNativeHistograms?: boolean;
  /** Also emit the classic series of histograms that have a native form (scrape_classic_histograms). */
  keepClassicHistograms?: boolean;
  /** enable_type_and_unit_labels: add `__type__` and `__unit__` from the family to every series. */
  typeAndUnitLabels?: boolean;
}

const TYPE_NAMES: readonly (MetricType | undefined)[] = ["counter", "gauge", "summary", "unknown", "histogram", "gaugehistogram"];
const SEP = "\xff";

interface PreparedEntry {
  kind: Entry;
  seriesText: string;
  labels: Labels;
  value: number;
  timestamp: number | undefined;
  exemplars: Exemplar[];
  created: number | undefined;
  histogram: NativeHistogram | undefined;
}

function isNative(h: PbHistogram): boolean {
  return h.posSpans.length > 0 || h.negSpans.length > 0 || h.zeroThreshold > 0 || h.zeroCount > 0;
}

function toExemplar(e: PbExemplar): Exemplar {
  const b = new LabelsBuilder();
  for (const [n, v] of e.labels) b.set(n, v);
  return { labels: b.labels(), value: e.value, timestamp: e.ts ?? 0, hasTimestamp: e.ts !== undefined };
}

function spanTotal(spans: BucketSpan[]): number {
  let n = 0;
  for (const s of spans) n += s.length;
  return n;
}

export class ProtobufParser implements ExpositionParser {
  readonly #body: Uint8Array;
  #pos = 0;
  #familyIndex = 0;
  #queue: PreparedEntry[] = [];
  #qi = 0;
  #current: PreparedEntry | undefined;
  #final: Entry | undefined;
  readonly #opts: ProtobufParserOptions;

  error: ParseError | undefined;
  seriesText = "";
  value = 0;
  timestamp: number | undefined;
  metricFamily = "";
  help = "";
  type: MetricType = "unknown";
  unit = "";
  comment = "";

  constructor(body: Uint8Array, opts: ProtobufParserOptions = {}) {
    this.#body = body;
    this.#opts = opts;
  }

  labels(): Labels {
    return this.#current?.labels ?? Labels.EMPTY;
  }
  exemplars(): Exemplar[] {
    return this.#current?.exemplars ?? [];
  }
  createdTimestamp(): number | undefined {
    return this.#current?.created;
  }
  histogram(): NativeHistogram | undefined {
    return this.#current?.histogram;
  }

  next(): Entry {
    if (this.#final !== undefined) return this.#final;
    try {
      while (this.#qi >= this.#queue.length) {
        if (this.#pos >= this.#body.length) {
          this.#final = "eof";
          return "eof";
        }
        this.#readFamily();
      }
      const e = this.#queue[this.#qi++]!;
      this.#current = e;
      if (e.kind === "series" || e.kind === "histogram") {
        this.seriesText = e.seriesText;
        this.value = e.value;
        this.timestamp = e.timestamp;
      }
      return e.kind;
    } catch (e) {
      const msg = e instanceof ProtoDecodeError || e instanceof FamilyError ? e.message : String(e);
      this.error = new ParseError(this.#familyIndex, msg);
      this.#final = "invalid";
      return "invalid";
    }
  }

  #readFamily(): void {
    this.#familyIndex++;
    const outer = new ProtoReader(this.#body, this.#pos, this.#body.length, `MetricFamily #${this.#familyIndex}`);
    const len = outer.length();
    const r = new ProtoReader(this.#body, outer.pos, outer.pos + len, `MetricFamily #${this.#familyIndex}`);
    this.#pos = outer.pos + len;
    const { name, help, unit, type: typeNum, metrics } = readMetricFamily(r);
    this.#queue = [];
    this.#qi = 0;
    if (metrics.length === 0) return; // Empty families are skipped.
    if (name === "") throw new FamilyError(`invalid metric name: ${name}`);
    const type = TYPE_NAMES[typeNum];
    if (type === undefined) throw new FamilyError(`unknown metric type for metric ${JSON.stringify(name)}: ${typeNum}`);
    this.metricFamily = name;
    this.help = help;
    this.unit = unit;
    this.type = type;
    const meta = (kind: Entry): PreparedEntry => ({
      kind, seriesText: name, labels: Labels.EMPTY, value: 0, timestamp: undefined, exemplars: [], created: undefined, histogram: undefined,
    });
    this.#queue.push(meta("help"));
    if (unit !== "") this.#queue.push(meta("unit"));
    this.#queue.push(meta("type"));
    for (const m of metrics) this.#metricEntries(name, type, m);
  }

  #series(name: string, m: PbMetric, extra: [string, string] | undefined, value: number, kind: Entry = "series"): PreparedEntry {
    const b = new LabelsBuilder();
    for (const [n, v] of m.labels) b.set(n, v);
    b.set(METRIC_NAME, name);
    if (extra) b.set(extra[0], extra[1]);
    if (this.#opts.typeAndUnitLabels) {
      // The family's metadata replaces labels of the same name, as in Prometheus.
      if (this.type !== "unknown") b.set(METRIC_TYPE_LABEL, this.type);
      if (this.unit !== "") b.set(METRIC_UNIT_LABEL, this.unit);
    }
    const labels = b.labels();
    let text = "";
    labels.forEach((n, v) => {
      text += n === METRIC_NAME ? v : `${SEP}${n}${SEP}${v}`;
    });
    return {
      kind, seriesText: text, labels, value, timestamp: m.timestampMs !== 0 ? m.timestampMs : undefined, exemplars: [], created: undefined, histogram: undefined,
    };
  }

  #metricEntries(name: string, type: MetricType, m: PbMetric): void {
    const q = this.#queue;
    if (type === "counter" || type === "gauge" || type === "unknown") {
      const e = this.#series(name, m, undefined, m.value);
      if (type === "counter") {
        if (m.exemplar) e.exemplars.push(toExemplar(m.exemplar));
        e.created = m.created;
      }
      q.push(e);
      return;
    }
    if (type === "summary") {
      const s = m.summary ?? { count: 0, sum: 0, quantiles: [], created: undefined };
      const add = (e: PreparedEntry) => ((e.created = s.created), q.push(e));
      add(this.#series(`${name}_count`, m, undefined, s.count));
      add(this.#series(`${name}_sum`, m, undefined, s.sum));
      for (const [qq, v] of s.quantiles) add(this.#series(name, m, ["quantile", formatOpenMetricsFloat(qq)], v));
      return;
    }
    const h = m.histogram ?? readHistogram(new ProtoReader(new Uint8Array(0)));
    const native = !this.#opts.ignoreNativeHistograms && isNative(h);
    if (native) {
      const isFloat = h.countFloat > 0 || h.zeroCountFloat > 0;
      const pos = isFloat ? h.posCounts.length : h.posDeltas.length;
      const neg = isFloat ? h.negCounts.length : h.negDeltas.length;
      if (spanTotal(h.posSpans) !== pos) throw new FamilyError(`histogram ${JSON.stringify(name)}: positive side: spans require ${spanTotal(h.posSpans)} buckets, have ${pos}`);
      if (spanTotal(h.negSpans) !== neg) throw new FamilyError(`histogram ${JSON.stringify(name)}: negative side: spans require ${spanTotal(h.negSpans)} buckets, have ${neg}`);
      const common = {
        counterResetHint: type === "gaugehistogram" ? CounterResetHint.Gauge : CounterResetHint.Unknown,
        schema: h.schema,
        zeroThreshold: h.zeroThreshold,
        sum: h.sum,
        positiveSpans: h.posSpans,
        negativeSpans: h.negSpans,
        customValues: [],
      };
      const nh: NativeHistogram = isFloat
        ? { kind: "float", ...common, count: h.countFloat, zeroCount: h.zeroCountFloat, positiveBuckets: h.posCounts, negativeBuckets: h.negCounts }
        : { kind: "int", ...common, count: h.count, zeroCount: h.zeroCount, positiveBuckets: h.posDeltas, negativeBuckets: h.negDeltas };
      const e = this.#series(name, m, undefined, 0, "histogram");
      e.histogram = nh;
      e.created = h.created;
      // Native histograms only take exemplars that carry a timestamp.
      const exs = h.exemplars.length > 0 ? h.exemplars : h.buckets.flatMap((b) => (b.exemplar ? [b.exemplar] : []));
      for (const x of exs) if (x.ts !== undefined) e.exemplars.push(toExemplar(x));
      q.push(e);
      if (!(this.#opts.keepClassicHistograms && h.buckets.length > 0)) return;
    }
    const count = h.countFloat !== 0 ? h.countFloat : h.count;
    const add = (e: PreparedEntry) => ((e.created = h.created), q.push(e));
    add(this.#series(`${name}_count`, m, undefined, count));
    add(this.#series(`${name}_sum`, m, undefined, h.sum));
    let sawInf = false;
    for (const b of h.buckets) {
      const e = this.#series(`${name}_bucket`, m, ["le", formatOpenMetricsFloat(b.upper)], b.countFloat !== 0 ? b.countFloat : b.count);
      if (b.exemplar) e.exemplars.push(toExemplar(b.exemplar));
      add(e);
      if (b.upper === Infinity) {
        sawInf = true;
        break;
      }
    }
    if (!sawInf) add(this.#series(`${name}_bucket`, m, ["le", "+Inf"], count));
  }
}

class FamilyError extends Error {}
