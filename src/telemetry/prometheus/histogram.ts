// Native histograms as Prometheus models them (model/histogram). Integer histograms
// keep bucket counts as deltas between consecutive buckets (as the wire formats do);
// float histograms keep absolute counts. Spans say which buckets exist: each span
// skips `offset` buckets after the previous span and then covers `length` buckets.

export interface BucketSpan {
  offset: number;
  length: number;
}

/** Hint about counter resets, as in Prometheus's histogram.CounterResetHint. */
export const CounterResetHint = {
  Unknown: 0,
  CounterReset: 1,
  NotCounterReset: 2,
  Gauge: 3,
} as const;
export type CounterResetHint = (typeof CounterResetHint)[keyof typeof CounterResetHint];

/** Schema of native histograms with custom bucket boundaries (NHCB). */
export const CUSTOM_BUCKETS_SCHEMA = -53;

interface HistogramCommon {
  counterResetHint: CounterResetHint;
  /** -4..8 exponential schemas, or CUSTOM_BUCKETS_SCHEMA. */
  schema: number;
  zeroThreshold: number;
  sum: number;
  positiveSpans: BucketSpan[];
  negativeSpans: BucketSpan[];
  /** Upper bounds for CUSTOM_BUCKETS_SCHEMA; empty otherwise. */
  customValues: number[];
}

export interface IntHistogram extends HistogramCommon {
  kind: "int";
  count: number;
  zeroCount: number;
  /** Deltas: the first is an absolute count, each next one the difference to its predecessor. */
  positiveBuckets: number[];
  negativeBuckets: number[];
}

export interface FloatHistogram extends HistogramCommon {
  kind: "float";
  count: number;
  zeroCount: number;
  /** Absolute counts. */
  positiveBuckets: number[];
  negativeBuckets: number[];
}

export type NativeHistogram = IntHistogram | FloatHistogram;

/** Absolute counts from delta-encoded buckets. */
export function deltasToCounts(deltas: readonly number[]): number[] {
  const out = new Array<number>(deltas.length);
  let acc = 0;
  for (let i = 0; i < deltas.length; i++) {
    acc += deltas[i]!;
    out[i] = acc;
  }
  return out;
}

/** Delta encoding of absolute counts. */
export function countsToDeltas(counts: readonly number[]): number[] {
  const out = new Array<number>(counts.length);
  let prev = 0;
  for (let i = 0; i < counts.length; i++) {
    out[i] = counts[i]! - prev;
    prev = counts[i]!;
  }
  return out;
}

/** The float form of a histogram (absolute bucket counts). */
export function toFloatHistogram(h: NativeHistogram): FloatHistogram {
  if (h.kind === "float") return h;
  return {
    kind: "float",
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    count: h.count,
    sum: h.sum,
    positiveSpans: h.positiveSpans.map((s) => ({ ...s })),
    negativeSpans: h.negativeSpans.map((s) => ({ ...s })),
    positiveBuckets: deltasToCounts(h.positiveBuckets),
    negativeBuckets: deltasToCounts(h.negativeBuckets),
    customValues: h.customValues.slice(),
  };
}

/** Number of buckets the spans describe; must equal the bucket array length. */
export function spansBucketCount(spans: readonly BucketSpan[]): number {
  let n = 0;
  for (const s of spans) n += s.length;
  return n;
}

/**
 * Checks the structural invariants Prometheus checks before ingesting a histogram.
 * Returns an error message, or undefined when valid.
 */
export function validateHistogram(h: NativeHistogram): string | undefined {
  if (h.schema !== CUSTOM_BUCKETS_SCHEMA && (h.schema < -4 || h.schema > 8)) {
    return `histogram has an invalid schema ${h.schema}, must be in [-4, 8] or ${CUSTOM_BUCKETS_SCHEMA}`;
  }
  if (spansBucketCount(h.positiveSpans) !== h.positiveBuckets.length) {
    return `histogram spans need ${spansBucketCount(h.positiveSpans)} positive buckets, have ${h.positiveBuckets.length}`;
  }
  if (spansBucketCount(h.negativeSpans) !== h.negativeBuckets.length) {
    return `histogram spans need ${spansBucketCount(h.negativeSpans)} negative buckets, have ${h.negativeBuckets.length}`;
  }
  for (let i = 1; i < h.positiveSpans.length; i++) {
    if (h.positiveSpans[i]!.offset < 0) return `histogram positive span ${i} has a negative offset`;
  }
  for (let i = 1; i < h.negativeSpans.length; i++) {
    if (h.negativeSpans[i]!.offset < 0) return `histogram negative span ${i} has a negative offset`;
  }
  if (h.kind === "int") {
    const neg = h.negativeBuckets.length > 0 && deltasToCounts(h.negativeBuckets).some((c) => c < 0);
    const pos = h.positiveBuckets.length > 0 && deltasToCounts(h.positiveBuckets).some((c) => c < 0);
    if (neg || pos) return "histogram has a bucket whose observation count is negative";
  }
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) {
    if (h.negativeSpans.length > 0 || h.negativeBuckets.length > 0) {
      return "histogram with custom buckets must not have negative buckets";
    }
    for (let i = 1; i < h.customValues.length; i++) {
      if (!(h.customValues[i]! > h.customValues[i - 1]!)) return "histogram custom bounds must be strictly increasing";
    }
  }
  return undefined;
}
