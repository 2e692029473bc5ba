import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import {
  AggregationTemporality,
  DataPointFlags,
  ExportMetricsServiceRequestSchema,
  MetricsBatch,
  type Metric,
} from "../../../src/telemetry/otlp/index.ts";
import { metricName, normalizeLabel } from "../../../src/components/otelcol/exporter/prometheus/normalize.ts";
import { Translator, nativeFromExponential, type TranslateOptions } from "../../../src/components/otelcol/exporter/prometheus/translate.ts";
import type { MetricsBatch as PromBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { toFloatHistogram } from "../../../src/telemetry/prometheus/histogram.ts";
import type { TestRuntime } from "../../runtime/helpers.ts";
import { received, samples } from "../prometheus/scrape_test_receiver.ts";
import { kv, loadErrors, pipeline, sources } from "./attributes_harness.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const T = 1_700_000_000_123n * 1_000_000n;
const defaults: TranslateOptions = {
  includeTargetInfo: true,
  includeScopeInfo: false,
  includeScopeLabels: true,
  addMetricSuffixes: true,
  resourceToTelemetryConversion: false,
  keepIdentifyingResourceAttributes: false,
  convertClassicHistogramsToNHCB: false,
};

function request(metrics: Array<Partial<Metric>>, resource: Record<string, string> = { "service.name": "shop", "service.namespace": "prod", "service.instance.id": "i-1", "host.name": "box" }) {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [{ resource: { attributes: kv(resource) }, scopeMetrics: [{ scope: { name: "my.lib", version: "2.0" }, metrics: metrics as Metric[] }] }],
  });
}

function rows(b: PromBatch): Array<{ labels: Record<string, string>; t: number; v: number; stale: boolean }> {
  const out: Array<{ labels: Record<string, string>; t: number; v: number; stale: boolean }> = [];
  b.forEachSample((s, t, v, stale) => out.push({ labels: s.toObject(), t, v, stale }));
  return out;
}

test("metric names follow the compatibility spec: words, unit suffixes, _total, _ratio, per-units", () => {
  const cases: Array<[string, string, "counter" | "gauge" | "other", string]> = [
    ["http.server.duration", "ms", "other", "http_server_duration_milliseconds"],
    ["http.server.request.size", "By", "other", "http_server_request_size_bytes"],
    ["system.cpu.time", "s", "counter", "system_cpu_time_seconds_total"],
    ["requests_total", "", "counter", "requests_total"],
    ["requests.total.count", "{request}", "counter", "requests_count_total"],
    ["cpu.utilization", "1", "gauge", "cpu_utilization_ratio"],
    ["throughput", "By/s", "gauge", "throughput_bytes_per_second"],
    ["disk.io", "MiBy", "counter", "disk_io_mebibytes_total"],
    ["latency_seconds", "s", "gauge", "latency_seconds"],
    ["2xx.rate", "", "gauge", "_2xx_rate"],
    ["temp", "Cel", "gauge", "temp_celsius"],
  ];
  expect(cases.map(([n, u, k]) => metricName(n, u, k, true))).toEqual(cases.map((c) => c[3]));
  expect(metricName("http.server.duration", "ms", "other", false)).toBe("http_server_duration");
  expect(metricName("system.cpu.time", "s", "counter", false)).toBe("system_cpu_time");
});

test("label names are sanitized as Prometheus labels", () => {
  expect(["host.name", "name (of the host)", "2 cents", "__name", "_name", "ok"].map(normalizeLabel)).toEqual([
    "host_name",
    "name__of_the_host_",
    "key_2_cents",
    "__name",
    "key_name",
    "ok",
  ]);
});

test("a cumulative histogram becomes _bucket/_sum/_count with job, instance, scope labels and target_info", () => {
  const out = new Translator({ ...defaults, honorMetadata: true }).translate(
    request([
      {
        name: "http.server.duration",
        unit: "ms",
        description: "request time",
        data: {
          case: "histogram",
          value: {
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPoints: [
              {
                attributes: kv({ "http.method": "GET" }),
                timeUnixNano: T,
                count: 6n,
                sum: 123.5,
                explicitBounds: [10, 100],
                bucketCounts: [1n, 3n, 2n],
                exemplars: [{ value: { case: "asDouble", value: 50 }, traceId: new Uint8Array(16).fill(0xab), spanId: new Uint8Array(8).fill(0xcd), timeUnixNano: T }],
              },
            ],
          },
        },
      } as Partial<Metric>,
    ]),
  );
  const base = { job: "prod/shop", instance: "i-1", http_method: "GET", otel_scope_name: "my.lib", otel_scope_version: "2.0" };
  expect(rows(out)).toEqual([
    { labels: { ...base, __name__: "http_server_duration_milliseconds_bucket", le: "10" }, t: 1_700_000_000_123, v: 1, stale: false },
    { labels: { ...base, __name__: "http_server_duration_milliseconds_bucket", le: "100" }, t: 1_700_000_000_123, v: 4, stale: false },
    { labels: { ...base, __name__: "http_server_duration_milliseconds_bucket", le: "+Inf" }, t: 1_700_000_000_123, v: 6, stale: false },
    { labels: { ...base, __name__: "http_server_duration_milliseconds_sum" }, t: 1_700_000_000_123, v: 123.5, stale: false },
    { labels: { ...base, __name__: "http_server_duration_milliseconds_count" }, t: 1_700_000_000_123, v: 6, stale: false },
    { labels: { __name__: "target_info", job: "prod/shop", instance: "i-1", host_name: "box" }, t: 1_700_000_000_123, v: 1, stale: false },
  ]);
  expect(out.exemplars).toHaveLength(1);
  expect(out.exemplars[0]!.series.get("le")).toBe("100");
  expect(out.exemplars[0]!.exemplar.labels.toObject()).toEqual({ trace_id: "ab".repeat(16), span_id: "cd".repeat(8) });
  expect(out.metadata.map((m) => [m.series.metricName(), m.metadata.type])).toEqual([
    ["http_server_duration_milliseconds", "histogram"],
    ["target_info", "gauge"],
  ]);
});

test("monotonic cumulative sums are counters, other sums and gauges are gauges, deltas are dropped, no-value points are stale", () => {
  const sum = (name: string, monotonic: boolean, temporality: AggregationTemporality, flags = 0): Partial<Metric> =>
    ({
      name,
      unit: "s",
      data: { case: "sum", value: { isMonotonic: monotonic, aggregationTemporality: temporality, dataPoints: [{ timeUnixNano: T, value: { case: "asInt", value: 5n }, flags }] } },
    }) as Partial<Metric>;
  const out = new Translator({ ...defaults, includeTargetInfo: false, includeScopeLabels: false }).translate(
    request([
      sum("cpu.time", true, AggregationTemporality.CUMULATIVE),
      sum("queue.wait", false, AggregationTemporality.CUMULATIVE),
      sum("delta.time", true, AggregationTemporality.DELTA),
      sum("gone.time", true, AggregationTemporality.CUMULATIVE, DataPointFlags.NO_RECORDED_VALUE_MASK),
      { name: "temp", unit: "1", data: { case: "gauge", value: { dataPoints: [{ timeUnixNano: T, value: { case: "asDouble", value: 0.25 } }] } } } as Partial<Metric>,
    ]),
  );
  expect(rows(out).map((r) => [r.labels.__name__, r.v, r.stale])).toEqual([
    ["cpu_time_seconds_total", 5, false],
    ["queue_wait_seconds", 5, false],
    ["gone_time_seconds_total", NaN, true],
    ["temp_ratio", 0.25, false],
  ]);
});

test("summaries become quantile series; resource_to_telemetry_conversion copies resource attributes; scope info on request", () => {
  const out = new Translator({ ...defaults, includeTargetInfo: false, resourceToTelemetryConversion: true, includeScopeInfo: true }).translate(
    request([
      {
        name: "rpc.latency",
        unit: "s",
        data: { case: "summary", value: { dataPoints: [{ timeUnixNano: T, count: 3n, sum: 1.5, quantileValues: [{ quantile: 0.5, value: 0.4 }, { quantile: 0.99, value: 0.9 }] }] } },
      } as Partial<Metric>,
    ]),
  );
  const r = rows(out);
  expect(r[0]!.labels).toEqual({ __name__: "otel_scope_info", otel_scope_name: "my.lib", otel_scope_version: "2.0", job: "prod/shop", instance: "i-1" });
  expect(r.slice(1).map((x) => [x.labels.__name__, x.labels.quantile, x.v])).toEqual([
    ["rpc_latency_seconds", "0.5", 0.4],
    ["rpc_latency_seconds", "0.99", 0.9],
    ["rpc_latency_seconds_sum", undefined, 1.5],
    ["rpc_latency_seconds_count", undefined, 3],
  ]);
  expect(r[1]!.labels.host_name).toBe("box");
  expect(r[1]!.labels.service_name).toBe("shop");
});

test("exponential histograms become native histograms with shifted bucket indexes; high scales are merged down to 8", () => {
  const h = nativeFromExponential({
    scale: 2,
    count: 7n,
    sum: 10,
    zeroCount: 1n,
    zeroThreshold: 0,
    positive: { offset: -1, bucketCounts: [2n, 0n, 3n] },
    negative: { offset: 0, bucketCounts: [1n] },
    flags: 0,
  } as never)!;
  expect(h.schema).toBe(2);
  expect(h.positiveSpans).toEqual([{ offset: 0, length: 3 }]);
  expect(toFloatHistogram(h).positiveBuckets).toEqual([2, 0, 3]);
  expect(h.negativeSpans).toEqual([{ offset: 1, length: 1 }]);
  expect(h.count).toBe(7);
  expect(h.zeroCount).toBe(1);
  const merged = nativeFromExponential({ scale: 10, count: 4n, zeroCount: 0n, zeroThreshold: 0, positive: { offset: 0, bucketCounts: [1n, 1n, 1n, 1n, 1n] }, flags: 0 } as never)!;
  expect(merged.schema).toBe(8);
  // OTLP indexes 0..3 become index 0 at scale 8, index 4 becomes 1; Prometheus indexes are +1.
  expect(merged.positiveSpans).toEqual([{ offset: 1, length: 2 }]);
  expect(toFloatHistogram(merged).positiveBuckets).toEqual([4, 1]);
  expect(nativeFromExponential({ scale: -5, count: 0n, zeroCount: 0n, flags: 0 } as never)).toBeUndefined();
});

test("the component forwards converted batches to forward_to and rejects a non-positive gc_frequency", async () => {
  rt = await pipeline(`test.metrics "out" {}
otelcol.exporter.prometheus "p" {
  forward_to = [test.metrics.out.receiver]
  include_target_info = false
}
test.otelcol_source "in" {
  output {
    metrics = [otelcol.exporter.prometheus.p.input]
  }
}`);
  await sources.get("test.otelcol_source.in")!.consumeMetrics!(
    new MetricsBatch(request([{ name: "jobs.done", data: { case: "sum", value: { isMonotonic: true, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: [{ timeUnixNano: T, value: { case: "asInt", value: 9n } }] } } } as Partial<Metric>])),
  );
  expect(samples("test.metrics.out").map((s) => [s.name, s.v, s.labels.job])).toEqual([["jobs_done_total", 9, "prod/shop"]]);
  // Metadata goes downstream only with the experimental honor_metadata.
  expect(received.get("test.metrics.out")!.flatMap((b) => b.metadata)).toEqual([]);
  const errs = await loadErrors(`otelcol.exporter.prometheus "p" {
  forward_to = []
  gc_frequency = "0s"
}`);
  expect(errs.join("\n")).toContain("gc_frequency must be greater than 0");
  const gated = await loadErrors(`otelcol.exporter.prometheus "p" {
  forward_to = []
  honor_metadata = true
}`);
  expect(gated.join("\n")).toContain("experimental");
});

test("start_timestamp_zero_ingestion writes a zero at the start time of counters and histograms; NHCB conversion on request", () => {
  const start = T - 5_000_000_000n;
  const req = request([
    { name: "c", data: { case: "sum", value: { isMonotonic: true, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: [{ startTimeUnixNano: start, timeUnixNano: T, value: { case: "asDouble", value: 2 } }] } } } as Partial<Metric>,
    { name: "g", data: { case: "gauge", value: { dataPoints: [{ startTimeUnixNano: start, timeUnixNano: T, value: { case: "asDouble", value: 2 } }] } } } as Partial<Metric>,
    {
      name: "h",
      data: { case: "histogram", value: { aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: [{ startTimeUnixNano: start, timeUnixNano: T, count: 1n, sum: 1, explicitBounds: [], bucketCounts: [1n] }] } },
    } as unknown as Partial<Metric>,
  ]);
  const opts = { ...defaults, includeTargetInfo: false, includeScopeLabels: false, startTimestampZeroIngestion: true };
  const r = rows(new Translator(opts).translate(req)).map((x) => [x.labels.__name__, x.t, x.v]);
  const s = 1_700_000_000_123 - 5000;
  const t = 1_700_000_000_123;
  expect(r).toEqual([
    ["c_total", s, 0], ["c_total", t, 2],
    ["g", t, 2],
    ["h_bucket", s, 0], ["h_bucket", t, 1],
    ["h_sum", s, 0], ["h_sum", t, 1],
    ["h_count", s, 0], ["h_count", t, 1],
  ]);
  const nhcb = new Translator({ ...defaults, includeTargetInfo: false, convertClassicHistogramsToNHCB: true }).translate(
    request([{ name: "h", unit: "s", data: { case: "histogram", value: { aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: [{ timeUnixNano: T, count: 3n, sum: 2, explicitBounds: [0.5], bucketCounts: [1n, 2n] }] } } } as Partial<Metric>]),
  );
  expect(nhcb.length).toBe(0);
  expect(nhcb.histograms[0]!.series.metricName()).toBe("h_seconds");
  expect(nhcb.histograms[0]!.histogram).toMatchObject({ schema: -53, customValues: [0.5], positiveBuckets: [1, 2], count: 3, sum: 2 });
});
