// Prometheus samples → OTLP metrics, as the Collector's prometheusreceiver assembles them:
// one resource per job/instance (service.name, service.instance.id, server.address/port,
// url.scheme), target_info samples become resource attributes, metric families come from the
// batch's metadata (counter → monotonic cumulative Sum, gauge/unknown → Gauge, histogram
// _bucket/_sum/_count → Histogram, summary → Summary, native histograms → ExponentialHistogram
// or, with custom buckets, Histogram). Start times are the first time a series was seen.

import { create } from "@bufbuild/protobuf";
import {
  AggregationTemporality,
  DataPointFlags,
  ExponentialHistogramDataPoint_BucketsSchema,
  ExponentialHistogramDataPointSchema,
  ExportMetricsServiceRequestSchema,
  HistogramDataPointSchema,
  InstrumentationScopeSchema,
  KeyValueSchema,
  MetricSchema,
  NumberDataPointSchema,
  ResourceMetricsSchema,
  ResourceSchema,
  ScopeMetricsSchema,
  SummaryDataPoint_ValueAtQuantileSchema,
  SummaryDataPointSchema,
  type Exemplar as OtlpExemplar,
  type ExportMetricsServiceRequest,
  type KeyValue,
  type Metric,
} from "../../../../telemetry/otlp/index.ts";
import type { MetricsBatch } from "../../../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../../../telemetry/prometheus/labels.ts";
import type { Metadata, MetricType } from "../../../../telemetry/prometheus/metadata.ts";
import { CUSTOM_BUCKETS_SCHEMA, toFloatHistogram, type NativeHistogram } from "../../../../telemetry/prometheus/histogram.ts";
import { stringValue } from "../../processor/matching.ts";
import { denseCounts, msToNs, otlpExemplar } from "./points.ts";

export const SCOPE_NAME = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";

const SUFFIXES: Array<[string, MetricType[]]> = [
  ["_bucket", ["histogram", "gaugehistogram"]],
  ["_sum", ["histogram", "gaugehistogram", "summary"]],
  ["_count", ["histogram", "gaugehistogram", "summary"]],
  ["_total", ["counter"]],
  ["_created", ["counter", "histogram", "summary"]],
  ["_info", ["info"]],
];

interface Family {
  name: string;
  type: MetricType;
  meta: Metadata | undefined;
}

interface Point {
  attrs: Labels;
  ts: number;
  stale: boolean;
  value?: number;
  buckets?: Map<number, number>;
  quantiles?: Map<number, number>;
  sum?: number;
  count?: number;
  native?: NativeHistogram;
  exemplars?: OtlpExemplar[];
}

interface ResourceGroup {
  job: string;
  instance: string;
  extra: Map<string, string>;
  /** scope name/version → family name → points by attribute key */
  scopes: Map<string, { name: string; version: string; families: Map<string, { family: Family; points: Map<string, Point> }> }>;
}

const DROP = new Set(["__name__", "job", "instance", "otel_scope_name", "otel_scope_version"]);

function attributesOf(l: Labels, alsoDrop?: string): KeyValue[] {
  const out: KeyValue[] = [];
  l.forEach((n, v) => {
    if (!DROP.has(n) && n !== alsoDrop) out.push(create(KeyValueSchema, { key: n, value: stringValue(v) }));
  });
  return out;
}

function attrKey(l: Labels, alsoDrop?: string): string {
  const parts: string[] = [];
  l.forEach((n, v) => {
    if (!DROP.has(n) && n !== alsoDrop) parts.push(n, v);
  });
  return JSON.stringify(parts);
}

export class PromToOtlp {
  /** First time each cumulative series was seen, and its last value (a drop means a reset). */
  private readonly starts = new Map<string, { start: number; last: number }>();
  /** Metadata by series metric name, as last received. */
  private readonly metadata = new Map<string, Metadata>();

  private startTime(key: string, ts: number, value: number): number {
    // A staleness marker ends the series: when it comes back it starts afresh.
    if (Number.isNaN(value)) {
      this.starts.delete(key);
      return ts;
    }
    const s = this.starts.get(key);
    if (!s || value < s.last) {
      this.starts.set(key, { start: ts, last: value });
      return ts;
    }
    s.last = value;
    return s.start;
  }

  /** Forgets series start times (a target went away). */
  forget(): void {
    this.starts.clear();
    this.metadata.clear();
  }

  convert(batch: MetricsBatch): ExportMetricsServiceRequest | undefined {
    // Scrapes send metadata only for new series or when it changed, so it is remembered.
    const meta = this.metadata;
    for (const m of batch.metadata) meta.set(m.series.metricName(), m.metadata);
    // Without metadata (a scrape sends it only with honor_metadata), families are inferred
    // from the series shapes: _bucket with le → histogram, quantile → summary, _total → counter.
    const guessed = new Map<string, Family>();
    batch.forEachSample((l) => {
      const name = l.metricName();
      if (meta.has(name)) return;
      if (name.endsWith("_bucket") && l.has("le")) {
        const base = name.slice(0, -7);
        for (const n of [name, `${base}_sum`, `${base}_count`]) guessed.set(n, { name: base, type: "histogram", meta: undefined });
      } else if (l.has("quantile")) {
        for (const n of [name, `${name}_sum`, `${name}_count`]) guessed.set(n, { name, type: "summary", meta: undefined });
      } else if (name.endsWith("_total") && !guessed.has(name)) {
        guessed.set(name, { name, type: "counter", meta: undefined });
      }
    });
    const family = (name: string): Family => {
      const direct = meta.get(name);
      if (direct) {
        // Metadata arrives per series; histogram and summary series name their family without the suffix.
        for (const [suffix, types] of SUFFIXES) {
          if (suffix !== "_total" && name.endsWith(suffix) && types.includes(direct.type)) return { name: name.slice(0, -suffix.length), type: direct.type, meta: direct };
        }
        return { name, type: direct.type, meta: direct };
      }
      for (const [suffix, types] of SUFFIXES) {
        if (!name.endsWith(suffix)) continue;
        const base = name.slice(0, -suffix.length);
        const m = meta.get(base);
        if (m && types.includes(m.type)) return { name: base, type: m.type, meta: m };
      }
      return guessed.get(name) ?? { name, type: "unknown", meta: undefined };
    };

    const groups = new Map<string, ResourceGroup>();
    const group = (l: Labels): ResourceGroup => {
      const job = l.get("job");
      const instance = l.get("instance");
      const key = `${job}\u0000${instance}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { job, instance, extra: new Map(), scopes: new Map() }));
      return g;
    };
    const pointFor = (l: Labels, fam: Family, ts: number, stale: boolean, dropLabel?: string): Point => {
      const g = group(l);
      const sName = l.get("otel_scope_name") || SCOPE_NAME;
      const sVersion = l.get("otel_scope_version");
      const sKey = `${sName}\u0000${sVersion}`;
      let scope = g.scopes.get(sKey);
      if (!scope) g.scopes.set(sKey, (scope = { name: sName, version: sVersion, families: new Map() }));
      let f = scope.families.get(fam.name);
      if (!f) scope.families.set(fam.name, (f = { family: fam, points: new Map() }));
      const key = attrKey(l, dropLabel);
      let p = f.points.get(key);
      if (!p) f.points.set(key, (p = { attrs: l, ts, stale, }));
      p.ts = Math.max(p.ts, ts);
      p.stale ||= stale;
      return p;
    };

    batch.forEachSample((l, ts, value, stale) => {
      const name = l.metricName();
      if (name === "target_info") {
        const g = group(l);
        l.forEach((n, v) => {
          if (!DROP.has(n)) g.extra.set(n, v);
        });
        return;
      }
      const fam = family(name);
      switch (fam.type) {
        case "histogram":
        case "gaugehistogram": {
          const p = pointFor(l, fam, ts, stale, "le");
          if (name.endsWith("_bucket")) (p.buckets ??= new Map()).set(Number(l.get("le") === "+Inf" ? Infinity : l.get("le")), value);
          else if (name.endsWith("_sum")) p.sum = value;
          else if (name.endsWith("_count")) p.count = value;
          return;
        }
        case "summary": {
          const p = pointFor(l, fam, ts, stale, "quantile");
          if (name === fam.name) (p.quantiles ??= new Map()).set(Number(l.get("quantile")), value);
          else if (name.endsWith("_sum")) p.sum = value;
          else if (name.endsWith("_count")) p.count = value;
          return;
        }
        default: {
          if (name.endsWith("_created") && name !== fam.name) return;
          const p = pointFor(l, fam, ts, stale);
          p.value = value;
        }
      }
    });
    for (const h of batch.histograms) {
      const name = h.series.metricName();
      const m = meta.get(name);
      const p = pointFor(h.series, { name, type: "histogram", meta: m }, h.timestamp, h.stale);
      p.native = h.histogram;
    }
    // Exemplars join the data point of their series (a histogram's via its bucket series).
    for (const { series, exemplar } of batch.exemplars) {
      const name = series.metricName();
      const fam = batch.histograms.some((h) => h.series.metricName() === name) ? { name, type: "histogram" as const, meta: meta.get(name) } : family(name);
      if (fam.type === "summary" || name === "target_info") continue;
      const scopeName = series.get("otel_scope_name") || SCOPE_NAME;
      const g = groups.get(`${series.get("job")}\u0000${series.get("instance")}`);
      const f = g?.scopes.get(`${scopeName}\u0000${series.get("otel_scope_version")}`)?.families.get(fam.name);
      const p = f?.points.get(attrKey(series, fam.type === "histogram" || fam.type === "gaugehistogram" ? "le" : undefined));
      if (p) (p.exemplars ??= []).push(otlpExemplar(exemplar));
    }
    if (groups.size === 0) return undefined;

    const resourceMetrics = [...groups.values()].map((g) => {
      const attrs: KeyValue[] = [];
      const put = (k: string, v: string): void => {
        if (v !== "") attrs.push(create(KeyValueSchema, { key: k, value: stringValue(v) }));
      };
      put("service.name", g.job);
      put("service.instance.id", g.instance);
      const hp = /^(.*):(\d+)$/.exec(g.instance);
      if (hp) {
        put("server.address", hp[1]!.replace(/^\[|\]$/g, ""));
        put("server.port", hp[2]!);
        put("url.scheme", "http");
      }
      for (const [k, v] of g.extra) put(k, v);
      const scopeMetrics = [...g.scopes.values()].map((s) =>
        create(ScopeMetricsSchema, {
          scope: create(InstrumentationScopeSchema, { name: s.name, version: s.version }),
          metrics: [...s.families.values()].map((f) => this.metric(g, f.family, [...f.points.values()])),
        }),
      );
      return create(ResourceMetricsSchema, { resource: create(ResourceSchema, { attributes: attrs }), scopeMetrics });
    });
    return create(ExportMetricsServiceRequestSchema, { resourceMetrics });
  }

  private metric(g: ResourceGroup, fam: Family, points: Point[]): Metric {
    const m = create(MetricSchema, { name: fam.name, description: fam.meta?.help ?? "", unit: fam.meta?.unit ?? "" });
    const flags = (p: Point): number => (p.stale ? DataPointFlags.NO_RECORDED_VALUE_MASK : 0);
    const seriesKey = (p: Point): string => `${g.job}\u0000${g.instance}\u0000${fam.name}\u0000${attrKey(p.attrs)}`;
    const natives = points.filter((p) => p.native);
    if (natives.length > 0) {
      const custom = natives.filter((p) => p.native!.schema === CUSTOM_BUCKETS_SCHEMA);
      if (custom.length === natives.length) {
        m.data = {
          case: "histogram",
          value: { $typeName: "opentelemetry.proto.metrics.v1.Histogram", aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: custom.map((p) => {
            const h = toFloatHistogram(p.native!);
            const counts = denseCounts(h.positiveSpans, h.positiveBuckets, 0).counts;
            while (counts.length < h.customValues.length + 1) counts.push(0);
            return create(HistogramDataPointSchema, {
              attributes: attributesOf(p.attrs),
              timeUnixNano: msToNs(p.ts),
              startTimeUnixNano: msToNs(this.startTime(seriesKey(p), p.ts, h.count)),
              count: BigInt(Math.round(h.count)),
              sum: h.sum,
              explicitBounds: h.customValues,
              bucketCounts: counts.map((c) => BigInt(Math.round(c))),
              exemplars: p.exemplars ?? [],
              flags: flags(p),
            });
          }) },
        } as Metric["data"];
        return m;
      }
      m.data = {
        case: "exponentialHistogram",
        value: { $typeName: "opentelemetry.proto.metrics.v1.ExponentialHistogram", aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: natives.map((p) => {
          const h = toFloatHistogram(p.native!);
          const pos = denseCounts(h.positiveSpans, h.positiveBuckets, 1);
          const neg = denseCounts(h.negativeSpans, h.negativeBuckets, 1);
          return create(ExponentialHistogramDataPointSchema, {
            attributes: attributesOf(p.attrs),
            timeUnixNano: msToNs(p.ts),
            startTimeUnixNano: msToNs(this.startTime(seriesKey(p), p.ts, h.count)),
            count: BigInt(Math.round(h.count)),
            sum: h.sum,
            scale: h.schema,
            zeroCount: BigInt(Math.round(h.zeroCount)),
            zeroThreshold: h.zeroThreshold,
            positive: create(ExponentialHistogramDataPoint_BucketsSchema, { offset: pos.offset, bucketCounts: pos.counts.map((c) => BigInt(Math.round(c))) }),
            negative: create(ExponentialHistogramDataPoint_BucketsSchema, { offset: neg.offset, bucketCounts: neg.counts.map((c) => BigInt(Math.round(c))) }),
            exemplars: p.exemplars ?? [],
            flags: flags(p),
          });
        }) },
      } as Metric["data"];
      return m;
    }
    switch (fam.type) {
      case "counter":
        m.data = {
          case: "sum",
          value: { $typeName: "opentelemetry.proto.metrics.v1.Sum", aggregationTemporality: AggregationTemporality.CUMULATIVE, isMonotonic: true, dataPoints: points.map((p) =>
            create(NumberDataPointSchema, {
              attributes: attributesOf(p.attrs),
              timeUnixNano: msToNs(p.ts),
              startTimeUnixNano: msToNs(this.startTime(seriesKey(p), p.ts, p.value ?? 0)),
              value: { case: "asDouble", value: p.value ?? 0 },
              exemplars: p.exemplars ?? [],
              flags: flags(p),
            }),
          ) },
        } as Metric["data"];
        return m;
      case "histogram":
      case "gaugehistogram":
        m.data = {
          case: "histogram",
          value: { $typeName: "opentelemetry.proto.metrics.v1.Histogram", aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: points.map((p) => {
            const entries = [...(p.buckets ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
            const bounds = entries.map(([b]) => b).filter((b) => b !== Infinity);
            const counts: bigint[] = [];
            let prev = 0;
            for (const [, cum] of entries) {
              counts.push(BigInt(Math.max(0, Math.round(cum - prev))));
              prev = cum;
            }
            if (entries.length === 0 || entries[entries.length - 1]![0] !== Infinity) counts.push(BigInt(Math.max(0, Math.round((p.count ?? prev) - prev))));
            const count = p.count ?? prev;
            return create(HistogramDataPointSchema, {
              attributes: attributesOf(p.attrs, "le"),
              timeUnixNano: msToNs(p.ts),
              startTimeUnixNano: msToNs(this.startTime(seriesKey(p), p.ts, count)),
              count: BigInt(Math.round(count)),
              sum: p.sum,
              explicitBounds: bounds,
              bucketCounts: counts,
              exemplars: p.exemplars ?? [],
              flags: flags(p),
            });
          }) },
        } as Metric["data"];
        return m;
      case "summary":
        m.data = {
          case: "summary",
          value: { $typeName: "opentelemetry.proto.metrics.v1.Summary", dataPoints: points.map((p) =>
            create(SummaryDataPointSchema, {
              attributes: attributesOf(p.attrs, "quantile"),
              timeUnixNano: msToNs(p.ts),
              startTimeUnixNano: msToNs(this.startTime(seriesKey(p), p.ts, p.count ?? 0)),
              count: BigInt(Math.round(p.count ?? 0)),
              sum: p.sum ?? 0,
              quantileValues: [...(p.quantiles ?? new Map<number, number>())]
                .sort((a, b) => a[0] - b[0])
                .map(([quantile, value]) => create(SummaryDataPoint_ValueAtQuantileSchema, { quantile, value })),
              flags: flags(p),
            }),
          ) },
        } as Metric["data"];
        return m;
      default:
        m.data = {
          case: "gauge",
          value: { $typeName: "opentelemetry.proto.metrics.v1.Gauge", dataPoints: points.map((p) =>
            create(NumberDataPointSchema, { attributes: attributesOf(p.attrs), timeUnixNano: msToNs(p.ts), value: { case: "asDouble", value: p.value ?? 0 }, exemplars: p.exemplars ?? [], flags: flags(p) }),
          ) },
        } as Metric["data"];
        return m;
    }
  }
}
