// native_histogram_bucket_limit and native_histogram_min_bucket_factor, as
// Prometheus's bucketLimitAppender and maxSchemaAppender: a histogram with too
// many buckets, or finer buckets than wanted, has its resolution reduced (adjacent
// buckets merged, one schema step at a time); when even the coarsest schema has too
// many buckets the scrape fails.

import {
  CUSTOM_BUCKETS_SCHEMA,
  countsToDeltas,
  deltasToCounts,
  type BucketSpan,
  type NativeHistogram,
} from "../../../telemetry/prometheus/histogram.ts";

export const BUCKET_LIMIT_ERROR = "histogram bucket limit exceeded";
const SCHEMA_MIN = -4;
const SCHEMA_MAX = 8;

/** Prometheus's pickSchema: the coarsest schema whose bucket growth factor is at least `factor`. */
export function pickSchema(factor: number): number {
  const f = factor <= 1 ? 1.00271 : factor;
  const floor = Math.floor(-Math.log2(Math.log2(f)));
  if (floor >= SCHEMA_MAX) return SCHEMA_MAX;
  if (floor <= SCHEMA_MIN) return SCHEMA_MIN;
  return floor | 0;
}

/** Bucket `idx` at `from` falls into this bucket at the coarser schema `to`. */
function targetIndex(idx: number, from: number, to: number): number {
  return ((idx - 1) >> (from - to)) + 1;
}

/** Merges buckets of one side (absolute counts) into the coarser schema. */
function reduceSide(spans: readonly BucketSpan[], counts: readonly number[], from: number, to: number): { spans: BucketSpan[]; counts: number[] } {
  const outSpans: BucketSpan[] = [];
  const outCounts: number[] = [];
  let idx = 0;
  let b = 0;
  let last = 0;
  for (let si = 0; si < spans.length; si++) {
    const s = spans[si]!;
    idx += s.offset;
    for (let j = 0; j < s.length; j++, idx++, b++) {
      const t = targetIndex(idx, from, to);
      if (outCounts.length === 0) {
        outSpans.push({ offset: t, length: 1 });
        outCounts.push(counts[b]!);
      } else if (t === last) {
        outCounts[outCounts.length - 1]! += counts[b]!;
      } else if (t === last + 1) {
        outSpans[outSpans.length - 1]!.length++;
        outCounts.push(counts[b]!);
      } else {
        outSpans.push({ offset: t - last - 1, length: 1 });
        outCounts.push(counts[b]!);
      }
      last = t;
    }
  }
  return { spans: outSpans, counts: outCounts };
}

/** The histogram at the coarser schema `to`. */
export function reduceResolution(h: NativeHistogram, to: number): NativeHistogram {
  const asCounts = (b: number[]) => (h.kind === "int" ? deltasToCounts(b) : b);
  const back = (c: number[]) => (h.kind === "int" ? countsToDeltas(c) : c);
  const pos = reduceSide(h.positiveSpans, asCounts(h.positiveBuckets), h.schema, to);
  const neg = reduceSide(h.negativeSpans, asCounts(h.negativeBuckets), h.schema, to);
  return {
    ...h,
    schema: to,
    positiveSpans: pos.spans,
    positiveBuckets: back(pos.counts),
    negativeSpans: neg.spans,
    negativeBuckets: back(neg.counts),
  } as NativeHistogram;
}

/** Applies both limits; the histogram to append, or BUCKET_LIMIT_ERROR. */
export function limitHistogram(h: NativeHistogram, bucketLimit: number, maxSchema: number): NativeHistogram | typeof BUCKET_LIMIT_ERROR {
  let out = h;
  const exponential = out.schema !== CUSTOM_BUCKETS_SCHEMA;
  if (bucketLimit > 0) {
    const buckets = () => out.positiveBuckets.length + out.negativeBuckets.length;
    if (buckets() > bucketLimit && !exponential) return BUCKET_LIMIT_ERROR;
    while (buckets() > bucketLimit) {
      if (out.schema <= SCHEMA_MIN) return BUCKET_LIMIT_ERROR;
      out = reduceResolution(out, out.schema - 1);
    }
  }
  if (exponential && out.schema > maxSchema) out = reduceResolution(out, maxSchema);
  return out;
}
