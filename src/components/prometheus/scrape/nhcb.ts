// convert_classic_histograms_to_nhcb: a parser wrapper that turns each classic
// histogram (the `_bucket{le}`, `_count` and `_sum` series of a histogram family)
// into one native histogram with custom buckets (schema -53), as Prometheus's
// NHCB parser does. The classic series are passed through as well only when
// scrape_classic_histograms is set.

import type { Exemplar } from "../../../telemetry/prometheus/exemplar.ts";
import {
  CUSTOM_BUCKETS_SCHEMA,
  CounterResetHint,
  countsToDeltas,
  type BucketSpan,
  type NativeHistogram,
} from "../../../telemetry/prometheus/histogram.ts";
import { Labels, METRIC_NAME } from "../../../telemetry/prometheus/labels.ts";
import type { MetricType } from "../../../telemetry/prometheus/metadata.ts";
import type { Entry, ExpositionParser, ParseError } from "../../../telemetry/prometheus/textparse/parser.ts";

/** One entry of the inner parser, copied so the wrapper can hold it back. */
interface Snapshot {
  entry: Entry;
  seriesText: string;
  value: number;
  timestamp: number | undefined;
  labels: Labels | undefined;
  exemplars: Exemplar[];
  created: number | undefined;
  histogram: NativeHistogram | undefined;
  metricFamily: string;
  help: string;
  type: MetricType;
  unit: string;
  comment: string;
}

interface Group {
  family: string;
  base: Labels;
  key: string;
  /** Upper bound → cumulative count. */
  buckets: Map<number, number>;
  count: number | undefined;
  sum: number;
  timestamp: number | undefined;
  gauge: boolean;
}

function parseLe(v: string): number | undefined {
  if (v === "+Inf" || v === "Inf") return Infinity;
  const n = Number(v);
  return v.trim() === "" || Number.isNaN(n) ? undefined : n;
}

/** The native histogram of a finished group; undefined when it had no buckets. */
export function groupHistogram(g: Group): NativeHistogram | undefined {
  if (g.buckets.size === 0) return undefined;
  const bounds = [...g.buckets.keys()].sort((a, b) => a - b);
  if (bounds[bounds.length - 1] !== Infinity) bounds.push(Infinity);
  const counts: number[] = [];
  let prev = 0;
  for (const b of bounds) {
    const cum = g.buckets.get(b) ?? g.count ?? prev;
    counts.push(cum - prev);
    prev = cum;
  }
  // Empty buckets are left out, as Prometheus's Compact does.
  const spans: BucketSpan[] = [];
  const kept: number[] = [];
  let lastIdx = -1;
  counts.forEach((c, i) => {
    if (c === 0) return;
    if (spans.length > 0 && i === lastIdx + 1) spans[spans.length - 1]!.length++;
    else spans.push({ offset: spans.length === 0 ? i : i - lastIdx - 1, length: 1 });
    kept.push(c);
    lastIdx = i;
  });
  const count = g.count ?? prev;
  const isInt = Number.isInteger(count) && kept.every((c) => Number.isInteger(c));
  const common = {
    counterResetHint: g.gauge ? CounterResetHint.Gauge : CounterResetHint.Unknown,
    schema: CUSTOM_BUCKETS_SCHEMA,
    zeroThreshold: 0,
    zeroCount: 0,
    count,
    sum: g.sum,
    positiveSpans: spans,
    negativeSpans: [],
    negativeBuckets: [],
    customValues: bounds.slice(0, -1),
  };
  return isInt ? { ...common, kind: "int", positiveBuckets: countsToDeltas(kept) } : { ...common, kind: "float", positiveBuckets: kept };
}

export class NHCBParser implements ExpositionParser {
  private queue: Snapshot[] = [];
  private cur: Snapshot | undefined;
  private group: Group | undefined;
  private familyName = "";
  private familyType: MetricType = "unknown";

  constructor(
    private readonly inner: ExpositionParser,
    private readonly keepClassic: boolean,
  ) {}

  get error(): ParseError | undefined {
    return this.inner.error;
  }

  private snapshot(e: Entry): Snapshot {
    const p = this.inner;
    const isSample = e === "series" || e === "histogram";
    return {
      entry: e,
      seriesText: isSample ? p.seriesText : "",
      value: isSample ? p.value : 0,
      timestamp: isSample ? p.timestamp : undefined,
      labels: isSample ? p.labels() : undefined,
      exemplars: isSample ? p.exemplars() : [],
      created: isSample ? p.createdTimestamp() : undefined,
      histogram: e === "histogram" ? p.histogram() : undefined,
      metricFamily: p.metricFamily,
      help: p.help,
      type: p.type,
      unit: p.unit,
      comment: p.comment,
    };
  }

  private flush(): void {
    const g = this.group;
    this.group = undefined;
    if (!g) return;
    const h = groupHistogram(g);
    if (!h) return;
    this.queue.push({
      entry: "histogram",
      seriesText: `\u0000nhcb${g.key}`,
      value: 0,
      timestamp: g.timestamp,
      labels: g.base,
      exemplars: [],
      created: undefined,
      histogram: h,
      metricFamily: g.family,
      help: "",
      type: this.familyType,
      unit: "",
      comment: "",
    });
  }

  /** Folds a classic histogram series into the current group; false when it is not one. */
  private absorb(s: Snapshot): boolean {
    if (s.entry !== "series" || (this.familyType !== "histogram" && this.familyType !== "gaugehistogram")) return false;
    const lset = s.labels!;
    const name = lset.metricName();
    const fam = this.familyName;
    const suffix = name.startsWith(fam) ? name.slice(fam.length) : "";
    if (suffix !== "_bucket" && suffix !== "_count" && suffix !== "_sum") return false;
    let le: number | undefined;
    if (suffix === "_bucket") {
      le = parseLe(lset.get("le"));
      if (le === undefined) return false;
    }
    const b = lset.builder().set(METRIC_NAME, fam).del("le");
    const base = b.labels();
    const key = base.key();
    if (this.group && this.group.key !== key) this.flush();
    this.group ??= { family: fam, base, key, buckets: new Map(), count: undefined, sum: 0, timestamp: undefined, gauge: this.familyType === "gaugehistogram" };
    const g = this.group;
    if (suffix === "_bucket") g.buckets.set(le!, s.value);
    else if (suffix === "_count") g.count = s.value;
    else g.sum = s.value;
    if (s.timestamp !== undefined) g.timestamp = s.timestamp;
    return true;
  }

  next(): Entry {
    for (;;) {
      const held = this.queue.shift();
      if (held) {
        this.cur = held;
        return held.entry;
      }
      const e = this.inner.next();
      if (e === "type") {
        this.flush();
        this.familyName = this.inner.metricFamily;
        this.familyType = this.inner.type;
      }
      if (e === "eof" || e === "invalid") {
        if (e === "eof") this.flush();
        this.queue.push(this.snapshot(e));
        continue;
      }
      const s = this.snapshot(e);
      if (this.absorb(s)) {
        if (this.keepClassic) this.queue.push(s);
        continue;
      }
      if (e === "series" || e === "histogram") this.flush();
      this.queue.push(s);
    }
  }

  get seriesText(): string {
    return this.cur?.seriesText ?? "";
  }
  get value(): number {
    return this.cur?.value ?? 0;
  }
  get timestamp(): number | undefined {
    return this.cur?.timestamp;
  }
  labels(): Labels {
    return this.cur?.labels ?? Labels.EMPTY;
  }
  exemplars(): Exemplar[] {
    return this.cur?.exemplars ?? [];
  }
  createdTimestamp(): number | undefined {
    return this.cur?.created;
  }
  histogram(): NativeHistogram | undefined {
    return this.cur?.histogram;
  }
  get metricFamily(): string {
    return this.cur?.metricFamily ?? "";
  }
  get help(): string {
    return this.cur?.help ?? "";
  }
  get type(): MetricType {
    return this.cur?.type ?? "unknown";
  }
  get unit(): string {
    return this.cur?.unit ?? "";
  }
  get comment(): string {
    return this.cur?.comment ?? "";
  }
}
