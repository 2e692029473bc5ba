// Conversion of classic histograms to native histograms with custom buckets (NHCB),
// for prometheus.scrape's convert_classic_histograms_to_nhcb. A wrapper around any
// ExpositionParser, following Prometheus's model/textparse/nhcbparse.go: the
// `_bucket`/`_count`/`_sum` series of one histogram (same labels apart from `le`) are
// collected and, when the next series belongs elsewhere, emitted as one "histogram"
// entry (schema -53, bucket bounds in customValues, +Inf implied). The classic
// series are passed through too when keepClassicHistograms is set. A native
// histogram with the same name and labels inhibits the conversion. Inconsistent
// input (non-cumulative buckets, count mismatch) yields no histogram, and its
// classic series survive only with keepClassicHistograms — as in Prometheus.
//
// Deviation kept on purpose: the emitted histogram carries the timestamp of its own
// classic series (Prometheus's wrapper uses the one of the series read after them).

import type { Exemplar } from "../exemplar.ts";
import { CUSTOM_BUCKETS_SCHEMA, type BucketSpan, type NativeHistogram } from "../histogram.ts";
import { Labels, METRIC_NAME } from "../labels.ts";
import type { MetricType } from "../metadata.ts";
import { parseGoFloat } from "./float.ts";
import type { Entry, ExpositionParser, ParseError } from "./parser.ts";

export interface NhcbOptions {
  /** Also return the classic series (always_scrape_classic_histograms). */
  keepClassicHistograms?: boolean;
  /** Collect created timestamps from the wrapped parser (they are expensive in OpenMetrics). */
  parseCreatedTimestamps?: boolean;
}

interface Temp {
  buckets: { le: number; count: number }[];
  count: number;
  hasCount: boolean;
  sum: number;
  err: boolean;
}

function newTemp(): Temp {
  return { buckets: [], count: 0, hasCount: false, sum: 0, err: false };
}

function setBucket(h: Temp, le: number, count: number): void {
  if (h.err) return;
  if (Number.isNaN(le) || count < 0) {
    h.err = true;
    return;
  }
  const b = h.buckets;
  const last = b[b.length - 1];
  if (last === undefined || last.le < le) {
    if (last !== undefined && count < last.count) h.err = true;
    else b.push({ le, count });
    return;
  }
  if (last.le === le) return;
  let i = 0;
  while (b[i]!.le < le) i++;
  if (b[i]!.le === le) return;
  if ((i > 0 && count < b[i - 1]!.count) || count > b[i]!.count) {
    h.err = true;
    return;
  }
  b.splice(i, 0, { le, count });
}

/** Spans and per-bucket values without empty buckets; runs of ≤ maxEmpty empties stay inside a span. */
function compact(counts: number[], maxEmpty: number): { spans: BucketSpan[]; values: number[]; index: number[] } {
  const spans: BucketSpan[] = [];
  const values: number[] = [];
  const index: number[] = [];
  let lastNonEmpty = -1;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const gap = lastNonEmpty < 0 ? i : i - lastNonEmpty - 1;
    if (lastNonEmpty >= 0 && gap <= maxEmpty) {
      for (let k = lastNonEmpty + 1; k < i; k++) {
        values.push(0);
        index.push(k);
      }
      spans[spans.length - 1]!.length += gap + 1;
    } else {
      spans.push({ offset: gap, length: 1 });
    }
    values.push(counts[i]!);
    index.push(i);
    lastNonEmpty = i;
  }
  return { spans, values, index };
}

/** Prometheus's convertnhcb.TempHistogram.Convert; undefined when the input is inconsistent. */
function convert(h: Temp): NativeHistogram | undefined {
  if (h.err) return undefined;
  const buckets = h.buckets.slice();
  let count = h.count;
  if (!h.hasCount && buckets.length > 0) count = buckets[buckets.length - 1]!.count;
  if (buckets.length === 0 || buckets[buckets.length - 1]!.le !== Infinity) buckets.push({ le: Infinity, count });
  if (count !== buckets[buckets.length - 1]!.count) return undefined;
  const isInt = buckets.every((b) => Number.isInteger(b.count)) && Number.isInteger(count);
  const perBucket = buckets.map((b, i) => b.count - (i > 0 ? buckets[i - 1]!.count : 0));
  const customValues = buckets.slice(0, -1).map((b) => b.le);
  const c = compact(perBucket, isInt ? 2 : 0);
  const common = {
    counterResetHint: 0 as const,
    schema: CUSTOM_BUCKETS_SCHEMA,
    zeroThreshold: 0,
    sum: h.sum,
    positiveSpans: c.spans,
    negativeSpans: [],
    customValues,
    zeroCount: 0,
    count,
    negativeBuckets: [],
  };
  if (!isInt) return { kind: "float", ...common, positiveBuckets: c.values };
  const deltas: number[] = [];
  let prev = 0;
  for (const v of c.values) {
    deltas.push(v - prev);
    prev = v;
  }
  return { kind: "int", ...common, positiveBuckets: deltas };
}

function baseName(name: string): ["bucket" | "sum" | "count" | "none", string] {
  if (name.endsWith("_bucket")) return ["bucket", name.slice(0, -7)];
  if (name.endsWith("_sum")) return ["sum", name.slice(0, -4)];
  if (name.endsWith("_count")) return ["count", name.slice(0, -6)];
  return ["none", name];
}

function identityWithout(labels: Labels, name: string, drop: string | undefined): string {
  let id = name;
  labels.forEach((n, v) => {
    if (n !== METRIC_NAME && n !== drop) id += `\u0000${n}\u0000${v}`;
  });
  return id;
}

type State = "start" | "collecting" | "emitting" | "inhibiting";

export class NhcbParser implements ExpositionParser {
  #state: State = "start";
  #entry: Entry = "eof";
  /** Labels of the current pass-through entry, built on first use. */
  #labels: Labels | undefined;
  #typeName = "";
  #type: MetricType = "unknown";
  #lastName = "";
  #lastId = "";
  #temp = newTemp();
  #tempLabels: Labels = Labels.EMPTY;
  #tempExemplars: Exemplar[] = [];
  #tempCt: number | undefined;
  #tempTs: number | undefined;
  #out: { labels: Labels; text: string; histogram: NativeHistogram; exemplars: Exemplar[]; ct: number | undefined; ts: number | undefined } | undefined;
  readonly #keepClassic: boolean;
  readonly #parseCt: boolean;

  constructor(
    private readonly inner: ExpositionParser,
    opts: NhcbOptions = {},
  ) {
    this.#keepClassic = opts.keepClassicHistograms ?? false;
    this.#parseCt = opts.parseCreatedTimestamps ?? false;
  }

  get error(): ParseError | undefined {
    return this.inner.error;
  }
  get seriesText(): string {
    return this.#state === "emitting" ? this.#out!.text : this.inner.seriesText;
  }
  get value(): number {
    return this.inner.value;
  }
  get timestamp(): number | undefined {
    return this.#state === "emitting" ? this.#out!.ts : this.inner.timestamp;
  }
  get metricFamily(): string {
    return this.inner.metricFamily;
  }
  get help(): string {
    return this.inner.help;
  }
  get type(): MetricType {
    return this.inner.type;
  }
  get unit(): string {
    return this.inner.unit;
  }
  get comment(): string {
    return this.inner.comment;
  }
  labels(): Labels {
    if (this.#state === "emitting") return this.#out!.labels;
    return (this.#labels ??= this.inner.labels());
  }

  #current(): Labels {
    return (this.#labels ??= this.inner.labels());
  }
  exemplars(): Exemplar[] {
    return this.#state === "emitting" ? this.#out!.exemplars : this.inner.exemplars();
  }
  createdTimestamp(): number | undefined {
    if (this.#state === "emitting") return this.#out!.ct;
    return this.inner.createdTimestamp();
  }
  histogram(): NativeHistogram | undefined {
    return this.#state === "emitting" ? this.#out!.histogram : this.inner.histogram();
  }

  next(): Entry {
    for (;;) {
      if (this.#state === "emitting") {
        this.#state = "start";
        if (this.#entry === "series" && this.#handleClassic() && !this.#keepClassic) continue;
        return this.#entry;
      }
      const e = this.inner.next();
      this.#entry = e;
      if (e === "eof") {
        if (this.#emit()) return "histogram";
        return e;
      }
      if (e === "invalid") return e;
      if (e === "series") {
        this.#labels = undefined;
        let converted: boolean;
        if (this.#state === "collecting") {
          if (this.#differentMetric() && this.#emit()) return "histogram";
          converted = this.#handleClassic();
        } else if (this.#state === "inhibiting") {
          if (this.#differentMetric()) {
            this.#state = "start";
            converted = this.#handleClassic();
          } else converted = false;
        } else {
          converted = this.#handleClassic();
        }
        if (converted && !this.#keepClassic) continue;
        return e;
      }
      if (e === "histogram") {
        this.#state = "inhibiting";
        this.#labels = undefined;
        const l = this.#current();
        this.#lastName = l.metricName();
        this.#lastId = identityWithout(l, this.#lastName, undefined);
      } else if (e === "type") {
        this.#typeName = this.inner.metricFamily;
        this.#type = this.inner.type;
      }
      if (this.#emit()) return "histogram";
      return e;
    }
  }

  #differentMetric(): boolean {
    if (this.#type !== "histogram") return true;
    const l = this.#current();
    const [, name] = baseName(l.metricName());
    if (this.#lastName !== name) return true;
    return this.#lastId !== identityWithout(l, name, "le");
  }

  #handleClassic(): boolean {
    if (this.#type !== "histogram") return false;
    const l = this.#current();
    const [suffix, name] = baseName(l.metricName());
    if (name !== this.#typeName) return false;
    const v = this.inner.value;
    switch (suffix) {
      case "bucket": {
        if (!l.has("le")) return false;
        const le = parseGoFloat(l.get("le"));
        if (typeof le !== "number" || Number.isNaN(le)) return false;
        this.#collect(name);
        setBucket(this.#temp, le, v);
        return true;
      }
      case "count":
        this.#collect(name);
        if (v < 0) this.#temp.err = true;
        this.#temp.count = v;
        this.#temp.hasCount = true;
        return true;
      case "sum":
        this.#collect(name);
        this.#temp.sum = v;
        return true;
      default:
        return false;
    }
  }

  #collect(name: string): void {
    if (this.#state !== "collecting") {
      const l = this.#current();
      this.#lastName = name;
      this.#lastId = identityWithout(l, name, "le");
      this.#tempCt = this.#parseCt ? this.inner.createdTimestamp() : undefined;
      this.#state = "collecting";
      this.#tempLabels = l.builder().set(METRIC_NAME, name).del("le").labels();
    }
    this.#tempTs = this.inner.timestamp;
    this.#tempExemplars.push(...this.inner.exemplars());
  }

  #emit(): boolean {
    if (this.#state !== "collecting") return false;
    const h = convert(this.#temp);
    if (h !== undefined) {
      const l = this.#tempLabels;
      const parts: string[] = [];
      l.forEach((n, v) => {
        if (n !== METRIC_NAME) parts.push(`${n}=${JSON.stringify(v)}`);
      });
      this.#out = {
        labels: l,
        text: parts.length === 0 ? l.metricName() : `${l.metricName()}{${parts.join(",")}}`,
        histogram: h,
        exemplars: this.#tempExemplars,
        ct: this.#tempCt,
        ts: this.#tempTs,
      };
      this.#state = "emitting";
    } else {
      this.#state = "start";
    }
    this.#temp = newTemp();
    this.#tempExemplars = [];
    this.#tempCt = undefined;
    return h !== undefined;
  }
}
