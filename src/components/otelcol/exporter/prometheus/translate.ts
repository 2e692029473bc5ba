// OTLP metrics → Prometheus samples, as otelcol.exporter.prometheus writes them: names and
// labels per the compatibility specification, target_info from resource attributes, scope
// labels, classic histograms as _bucket/_sum/_count, summaries as quantiles, exponential
// histograms as native histograms. Only cumulative sums and histograms are written; delta
// temporality is dropped, as in Alloy (use otelcol.processor.deltatocumulative first).

import {
  AggregationTemporality,
  DataPointFlags,
  type Exemplar as OtlpExemplar,
  type ExponentialHistogramDataPoint,
  type HistogramDataPoint,
  type KeyValue,
  type Metric,
  type NumberDataPoint,
  type ResourceMetrics,
  type ScopeMetrics,
} from "../../../../telemetry/otlp/index.ts";
import { MetricsBatch } from "../../../../telemetry/prometheus/batch.ts";
import { Labels } from "../../../../telemetry/prometheus/labels.ts";
import type { MetricType } from "../../../../telemetry/prometheus/metadata.ts";
import { CUSTOM_BUCKETS_SCHEMA, CounterResetHint, type NativeHistogram } from "../../../../telemetry/prometheus/histogram.ts";
import { anyValueString, findAttr } from "../../processor/matching.ts";
import { metricName, normalizeLabel } from "./normalize.ts";

export interface TranslateOptions {
  includeTargetInfo: boolean;
  includeScopeInfo: boolean;
  includeScopeLabels: boolean;
  addMetricSuffixes: boolean;
  resourceToTelemetryConversion: boolean;
  keepIdentifyingResourceAttributes: boolean;
  convertClassicHistogramsToNHCB: boolean;
  /** Write a zero sample at the start time of cumulative counters and histograms (created-timestamp ingestion). */
  startTimestampZeroIngestion?: boolean;
  /** Send type/help/unit metadata downstream (experimental in Alloy; off by default). */
  honorMetadata?: boolean;
}

const IDENTIFYING = new Set(["service.name", "service.namespace", "service.instance.id"]);

function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

/** Label pairs from attributes; names colliding after sanitization join their values with `;`. */
function addAttributes(out: Map<string, string>, attrs: readonly KeyValue[], skip?: (k: string) => boolean): void {
  const sorted = [...attrs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const kv of sorted) {
    if (skip?.(kv.key)) continue;
    const name = normalizeLabel(kv.key);
    if (name === "") continue;
    const v = anyValueString(kv.value);
    const prev = out.get(name);
    out.set(name, prev === undefined ? v : `${prev};${v}`);
  }
}

interface ResourceContext {
  job?: string;
  instance?: string;
  resourceLabels: Map<string, string>;
}

function resourceContext(rm: ResourceMetrics, o: TranslateOptions): ResourceContext {
  const attrs = rm.resource?.attributes ?? [];
  const name = findAttr(attrs, "service.name");
  const ns = findAttr(attrs, "service.namespace");
  const inst = findAttr(attrs, "service.instance.id");
  const ctx: ResourceContext = { resourceLabels: new Map() };
  if (name) ctx.job = ns ? `${anyValueString(ns.value)}/${anyValueString(name.value)}` : anyValueString(name.value);
  if (inst) ctx.instance = anyValueString(inst.value);
  if (o.resourceToTelemetryConversion) addAttributes(ctx.resourceLabels, attrs);
  return ctx;
}

export class Translator {
  constructor(private readonly o: TranslateOptions) {}

  /** One Prometheus batch for one OTLP request. */
  translate(request: { resourceMetrics: ResourceMetrics[] }): MetricsBatch {
    const out = new MetricsBatch();
    for (const rm of request.resourceMetrics) {
      const rc = resourceContext(rm, this.o);
      let latest = 0n;
      for (const sm of rm.scopeMetrics) {
        for (const m of sm.metrics) latest = maxTime(m, latest);
        this.scope(out, rc, sm);
      }
      if (this.o.includeTargetInfo && rm.resource && rm.resource.attributes.length > 0 && latest > 0n) {
        const l = new Map<string, string>();
        addAttributes(l, rm.resource.attributes, (k) => !this.o.keepIdentifyingResourceAttributes && IDENTIFYING.has(k));
        if (l.size > 0) {
          if (rc.job !== undefined) l.set("job", rc.job);
          if (rc.instance !== undefined) l.set("instance", rc.instance);
          l.set("__name__", "target_info");
          const series = Labels.fromPairs(l);
          if (this.o.honorMetadata) out.updateMetadata(series, { type: "gauge", help: "Target metadata", unit: "" });
          out.appendSample(series, nsToMs(latest), 1);
        }
      }
    }
    return out;
  }

  private baseLabels(rc: ResourceContext, sm: ScopeMetrics, attrs: readonly KeyValue[]): Map<string, string> {
    const l = new Map(rc.resourceLabels);
    addAttributes(l, attrs);
    if (this.o.includeScopeLabels && sm.scope?.name) {
      l.set("otel_scope_name", sm.scope.name);
      if (sm.scope.version) l.set("otel_scope_version", sm.scope.version);
    }
    if (rc.job !== undefined) l.set("job", rc.job);
    if (rc.instance !== undefined) l.set("instance", rc.instance);
    return l;
  }

  private scope(out: MetricsBatch, rc: ResourceContext, sm: ScopeMetrics): void {
    if (this.o.includeScopeInfo && sm.scope?.name) {
      const l = new Map<string, string>();
      addAttributes(l, sm.scope.attributes);
      l.set("otel_scope_name", sm.scope.name);
      if (sm.scope.version) l.set("otel_scope_version", sm.scope.version);
      if (rc.job !== undefined) l.set("job", rc.job);
      if (rc.instance !== undefined) l.set("instance", rc.instance);
      l.set("__name__", "otel_scope_info");
      const t = sm.metrics.reduce((acc, m) => maxTime(m, acc), 0n);
      if (t > 0n) out.appendSample(Labels.fromPairs(l), nsToMs(t), 1);
    }
    for (const m of sm.metrics) this.metric(out, rc, sm, m);
  }

  private series(base: Map<string, string>, name: string, extra?: [string, string]): Labels {
    const l = new Map(base);
    if (extra) l.set(extra[0], extra[1]);
    l.set("__name__", name);
    return Labels.fromPairs(l);
  }

  private metric(out: MetricsBatch, rc: ResourceContext, sm: ScopeMetrics, m: Metric): void {
    const d = m.data;
    const meta = (name: string, type: MetricType): void => {
      if (this.o.honorMetadata) out.updateMetadata(Labels.fromStrings("__name__", name), { type, help: m.description, unit: m.unit });
    };
    switch (d.case) {
      case "gauge":
      case "sum": {
        let kind: "counter" | "gauge" = "gauge";
        if (d.case === "sum") {
          if (d.value.aggregationTemporality !== AggregationTemporality.CUMULATIVE) return;
          if (d.value.isMonotonic) kind = "counter";
        }
        const name = metricName(m.name, m.unit, kind, this.o.addMetricSuffixes);
        meta(name, kind);
        for (const p of d.value.dataPoints) {
          const s = this.series(this.baseLabels(rc, sm, p.attributes), name);
          if (kind === "counter") this.zeroAtStart(out, s, p.startTimeUnixNano, p.timeUnixNano);
          appendNumber(out, s, p);
          for (const e of p.exemplars) appendExemplar(out, s, e);
        }
        return;
      }
      case "histogram": {
        if (d.value.aggregationTemporality !== AggregationTemporality.CUMULATIVE) return;
        const name = metricName(m.name, m.unit, "other", this.o.addMetricSuffixes);
        meta(name, "histogram");
        for (const p of d.value.dataPoints) this.histogram(out, this.baseLabels(rc, sm, p.attributes), name, p);
        return;
      }
      case "exponentialHistogram": {
        if (d.value.aggregationTemporality !== AggregationTemporality.CUMULATIVE) return;
        const name = metricName(m.name, m.unit, "other", this.o.addMetricSuffixes);
        meta(name, "histogram");
        for (const p of d.value.dataPoints) {
          const s = this.series(this.baseLabels(rc, sm, p.attributes), name);
          const h = nativeFromExponential(p);
          if (!h) continue;
          if (p.flags & DataPointFlags.NO_RECORDED_VALUE_MASK) out.appendHistogramStaleMarker(s, nsToMs(p.timeUnixNano), h);
          else out.appendHistogram(s, nsToMs(p.timeUnixNano), h);
          for (const e of p.exemplars) appendExemplar(out, s, e);
        }
        return;
      }
      case "summary": {
        const name = metricName(m.name, m.unit, "other", this.o.addMetricSuffixes);
        meta(name, "summary");
        for (const p of d.value.dataPoints) {
          const base = this.baseLabels(rc, sm, p.attributes);
          const ts = nsToMs(p.timeUnixNano);
          const stale = (p.flags & DataPointFlags.NO_RECORDED_VALUE_MASK) !== 0;
          const put = (s: Labels, v: number): void => (stale ? out.appendStaleMarker(s, ts) : out.appendSample(s, ts, v));
          for (const q of p.quantileValues) put(this.series(base, name, ["quantile", formatFloat(q.quantile)]), q.value);
          put(this.series(base, `${name}_sum`), p.sum);
          put(this.series(base, `${name}_count`), Number(p.count));
        }
        return;
      }
      default:
        return;
    }
  }

  private zeroAtStart(out: MetricsBatch, s: Labels, start: bigint, t: bigint): void {
    if (this.o.startTimestampZeroIngestion && start > 0n && start < t) out.appendSample(s, nsToMs(start), 0);
  }

  private histogram(out: MetricsBatch, base: Map<string, string>, name: string, p: HistogramDataPoint): void {
    const ts = nsToMs(p.timeUnixNano);
    const stale = (p.flags & DataPointFlags.NO_RECORDED_VALUE_MASK) !== 0;
    if (this.o.convertClassicHistogramsToNHCB) {
      const s = this.series(base, name);
      const h: NativeHistogram = {
        kind: "float",
        counterResetHint: CounterResetHint.Unknown,
        schema: CUSTOM_BUCKETS_SCHEMA,
        zeroThreshold: 0,
        zeroCount: 0,
        count: Number(p.count),
        sum: p.sum ?? 0,
        positiveSpans: p.bucketCounts.length > 0 ? [{ offset: 0, length: p.bucketCounts.length }] : [],
        negativeSpans: [],
        positiveBuckets: p.bucketCounts.map(Number),
        negativeBuckets: [],
        customValues: [...p.explicitBounds],
      };
      if (stale) out.appendHistogramStaleMarker(s, ts, h);
      else out.appendHistogram(s, ts, h);
      return;
    }
    const put = (s: Labels, v: number): void => (stale ? out.appendStaleMarker(s, ts) : out.appendSample(s, ts, v));
    let cumulative = 0;
    const bucketSeries: Array<[upper: number, s: Labels]> = [];
    const putWithZero = (s: Labels, v: number): void => {
      this.zeroAtStart(out, s, p.startTimeUnixNano, p.timeUnixNano);
      put(s, v);
    };
    p.explicitBounds.forEach((bound, i) => {
      cumulative += Number(p.bucketCounts[i] ?? 0n);
      const s = this.series(base, `${name}_bucket`, ["le", formatFloat(bound)]);
      bucketSeries.push([bound, s]);
      putWithZero(s, cumulative);
    });
    const inf = this.series(base, `${name}_bucket`, ["le", "+Inf"]);
    bucketSeries.push([Infinity, inf]);
    putWithZero(inf, Number(p.count));
    if (p.sum !== undefined) putWithZero(this.series(base, `${name}_sum`), p.sum);
    putWithZero(this.series(base, `${name}_count`), Number(p.count));
    // An exemplar goes on the first bucket whose upper bound holds its value.
    for (const e of p.exemplars) {
      const v = exemplarValue(e);
      const target = bucketSeries.find(([upper]) => v <= upper);
      if (target) appendExemplar(out, target[1], e);
    }
  }
}

function maxTime(m: Metric, acc: bigint): bigint {
  const d = m.data;
  if (d.case === undefined) return acc;
  for (const p of d.value.dataPoints) if (p.timeUnixNano > acc) acc = p.timeUnixNano;
  return acc;
}

function appendNumber(out: MetricsBatch, s: Labels, p: NumberDataPoint): void {
  const ts = nsToMs(p.timeUnixNano);
  if (p.flags & DataPointFlags.NO_RECORDED_VALUE_MASK) return out.appendStaleMarker(s, ts);
  const v = p.value.case === "asInt" ? Number(p.value.value) : p.value.case === "asDouble" ? p.value.value : 0;
  out.appendSample(s, ts, v);
}

function exemplarValue(e: OtlpExemplar): number {
  return e.value.case === "asInt" ? Number(e.value.value) : e.value.case === "asDouble" ? e.value.value : 0;
}

function appendExemplar(out: MetricsBatch, s: Labels, e: OtlpExemplar): void {
  const l = new Map<string, string>();
  addAttributes(l, e.filteredAttributes);
  if (e.traceId.length > 0 && e.traceId.some((b) => b !== 0)) l.set("trace_id", Buffer.from(e.traceId).toString("hex"));
  if (e.spanId.length > 0 && e.spanId.some((b) => b !== 0)) l.set("span_id", Buffer.from(e.spanId).toString("hex"));
  out.appendExemplar(s, { labels: Labels.fromPairs(l), value: exemplarValue(e), timestamp: nsToMs(e.timeUnixNano), hasTimestamp: e.timeUnixNano > 0n });
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64) for bucket bounds and quantiles. */
export function formatFloat(f: number): string {
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (Number.isNaN(f)) return "NaN";
  const s = String(f);
  if (!/e/.test(s)) return s;
  // Expand exponent notation to plain decimal, as Go's 'f' format does.
  return f.toFixed(20).replace(/\.?0+$/, "");
}

/**
 * A native histogram from an exponential one: OTLP bucket i holds (base^i, base^(i+1)],
 * Prometheus bucket i holds (base^(i-1), base^i], so indexes shift by one. Scales above 8
 * are merged down to 8; below -4 the point is dropped.
 */
export function nativeFromExponential(p: ExponentialHistogramDataPoint): NativeHistogram | undefined {
  let scale = p.scale;
  if (scale < -4) return undefined;
  let down = 0;
  if (scale > 8) {
    down = scale - 8;
    scale = 8;
  }
  const side = (b: { offset: number; bucketCounts: bigint[] } | undefined) => {
    const counts = new Map<number, number>();
    if (b) {
      b.bucketCounts.forEach((c, i) => {
        const idx = (b.offset + i) >> down;
        counts.set(idx, (counts.get(idx) ?? 0) + Number(c));
      });
    }
    const idxs = [...counts.keys()].sort((a, b2) => a - b2);
    if (idxs.length === 0) return { spans: [], deltas: [] };
    const first = idxs[0]!;
    const last = idxs[idxs.length - 1]!;
    const dense: number[] = [];
    for (let i = first; i <= last; i++) dense.push(counts.get(i) ?? 0);
    const deltas: number[] = [];
    let prev = 0;
    for (const c of dense) {
      deltas.push(c - prev);
      prev = c;
    }
    return { spans: [{ offset: first + 1, length: dense.length }], deltas };
  };
  const pos = side(p.positive);
  const neg = side(p.negative);
  return {
    kind: "int",
    counterResetHint: CounterResetHint.Unknown,
    schema: scale,
    zeroThreshold: p.zeroThreshold,
    zeroCount: Number(p.zeroCount),
    count: Number(p.count),
    sum: p.sum ?? 0,
    positiveSpans: pos.spans,
    negativeSpans: neg.spans,
    positiveBuckets: pos.deltas,
    negativeBuckets: neg.deltas,
    customValues: [],
  };
}
