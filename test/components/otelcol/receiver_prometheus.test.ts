import { afterEach, expect, test } from "bun:test";
import { PromToOtlp, SCOPE_NAME } from "../../../src/components/otelcol/receiver/prometheus/translate.ts";
import { MetricsBatch as PromBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA } from "../../../src/telemetry/prometheus/histogram.ts";
import { AggregationTemporality, DataPointFlags, type Metric, type MetricsBatch } from "../../../src/telemetry/otlp/index.ts";
import { waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { pipeline, plain, sinks } from "./attributes_harness.ts";

let rt: TestRuntime | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.stop(true);
  server = undefined;
});

const L = (...nv: string[]) => Labels.fromStrings("job", "api", "instance", "10.0.0.1:9100", ...nv);

function metric(ms: Metric[], name: string): Metric {
  const m = ms.find((x) => x.name === name);
  if (!m) throw new Error(`no metric ${name} in ${ms.map((x) => x.name).join(",")}`);
  return m;
}

test("families from metadata: counters, gauges, histograms, summaries; job/instance and target_info become the resource", () => {
  const b = new PromBatch();
  b.updateMetadata(Labels.fromStrings("__name__", "http_requests_total"), { type: "counter", help: "requests", unit: "" });
  b.updateMetadata(Labels.fromStrings("__name__", "temp"), { type: "gauge", help: "", unit: "celsius" });
  b.updateMetadata(Labels.fromStrings("__name__", "latency"), { type: "histogram", help: "", unit: "" });
  b.updateMetadata(Labels.fromStrings("__name__", "rpc"), { type: "summary", help: "", unit: "" });
  b.appendSample(L("__name__", "http_requests_total", "code", "200"), 1000, 7);
  b.appendSample(L("__name__", "temp"), 1000, 21.5);
  b.appendSample(L("__name__", "latency_bucket", "le", "0.1"), 1000, 2);
  b.appendSample(L("__name__", "latency_bucket", "le", "1"), 1000, 5);
  b.appendSample(L("__name__", "latency_bucket", "le", "+Inf"), 1000, 6);
  b.appendSample(L("__name__", "latency_sum"), 1000, 3.25);
  b.appendSample(L("__name__", "latency_count"), 1000, 6);
  b.appendSample(L("__name__", "rpc", "quantile", "0.5"), 1000, 0.2);
  b.appendSample(L("__name__", "rpc_sum"), 1000, 4);
  b.appendSample(L("__name__", "rpc_count"), 1000, 10);
  b.appendSample(L("__name__", "target_info", "region", "eu"), 1000, 1);
  b.appendSample(L("__name__", "untyped_thing"), 1000, 3);
  b.appendStaleMarker(L("__name__", "temp", "sensor", "b"), 1000);

  const req = new PromToOtlp().convert(b)!;
  expect(req.resourceMetrics).toHaveLength(1);
  const rm = req.resourceMetrics[0]!;
  expect(plain(rm.resource!.attributes)).toEqual({
    "service.name": "api",
    "service.instance.id": "10.0.0.1:9100",
    "server.address": "10.0.0.1",
    "server.port": "9100",
    "url.scheme": "http",
    region: "eu",
  });
  expect(rm.scopeMetrics[0]!.scope!.name).toBe(SCOPE_NAME);
  const ms = rm.scopeMetrics[0]!.metrics;
  expect(ms.map((m) => [m.name, m.data.case])).toEqual([
    ["http_requests_total", "sum"],
    ["temp", "gauge"],
    ["latency", "histogram"],
    ["rpc", "summary"],
    ["untyped_thing", "gauge"],
  ]);
  const sum = metric(ms, "http_requests_total").data;
  if (sum.case !== "sum") throw new Error("not a sum");
  expect(sum.value.isMonotonic).toBe(true);
  expect(sum.value.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
  expect(sum.value.dataPoints[0]!.value).toEqual({ case: "asDouble", value: 7 });
  expect(plain(sum.value.dataPoints[0]!.attributes)).toEqual({ code: "200" });
  expect(sum.value.dataPoints[0]!.timeUnixNano).toBe(1_000_000_000n);
  expect(sum.value.dataPoints[0]!.startTimeUnixNano).toBe(1_000_000_000n);
  expect(metric(ms, "temp").unit).toBe("celsius");
  const g = metric(ms, "temp").data;
  if (g.case !== "gauge") throw new Error("not a gauge");
  expect(g.value.dataPoints.map((p) => p.flags)).toEqual([0, DataPointFlags.NO_RECORDED_VALUE_MASK]);
  const h = metric(ms, "latency").data;
  if (h.case !== "histogram") throw new Error("not a histogram");
  const hp = h.value.dataPoints[0]!;
  expect(hp.explicitBounds).toEqual([0.1, 1]);
  expect(hp.bucketCounts).toEqual([2n, 3n, 1n]);
  expect([hp.count, hp.sum]).toEqual([6n, 3.25]);
  expect(hp.attributes).toEqual([]);
  const s = metric(ms, "rpc").data;
  if (s.case !== "summary") throw new Error("not a summary");
  expect(s.value.dataPoints[0]!.quantileValues.map((q) => [q.quantile, q.value])).toEqual([[0.5, 0.2]]);
  expect([s.value.dataPoints[0]!.count, s.value.dataPoints[0]!.sum]).toEqual([10n, 4]);
});

test("start times stay at the first sighting until a counter resets or goes stale", () => {
  const conv = new PromToOtlp();
  const at = (t: number, v: number | "stale") => {
    const b = new PromBatch();
    b.updateMetadata(Labels.fromStrings("__name__", "c_total"), { type: "counter", help: "", unit: "" });
    if (v === "stale") b.appendStaleMarker(L("__name__", "c_total"), t);
    else b.appendSample(L("__name__", "c_total"), t, v);
    const d = conv.convert(b)!.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.data;
    if (d.case !== "sum") throw new Error("not a sum");
    return d.value.dataPoints[0]!.startTimeUnixNano / 1_000_000n;
  };
  expect([at(1000, 1), at(2000, 5), at(3000, 2), at(4000, 3), at(5000, "stale"), at(6000, 9), at(7000, 10)]).toEqual([1000n, 1000n, 3000n, 3000n, 5000n, 6000n, 6000n]);
});

test("native histograms become exponential histograms; custom-bucket ones become explicit histograms", () => {
  const b = new PromBatch();
  b.appendHistogram(L("__name__", "nh"), 1000, {
    kind: "int",
    counterResetHint: CounterResetHint.Unknown,
    schema: 3,
    zeroThreshold: 0.001,
    zeroCount: 1,
    count: 6,
    sum: 12,
    positiveSpans: [{ offset: 1, length: 2 }, { offset: 1, length: 1 }],
    negativeSpans: [],
    positiveBuckets: [2, 0, 1],
    negativeBuckets: [],
    customValues: [],
  });
  b.appendHistogram(L("__name__", "nhcb"), 1000, {
    kind: "float",
    counterResetHint: CounterResetHint.Unknown,
    schema: CUSTOM_BUCKETS_SCHEMA,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 4,
    sum: 2,
    positiveSpans: [{ offset: 0, length: 3 }],
    negativeSpans: [],
    positiveBuckets: [1, 2, 1],
    negativeBuckets: [],
    customValues: [0.5, 1],
  });
  const ms = new PromToOtlp().convert(b)!.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
  const e = metric(ms, "nh").data;
  if (e.case !== "exponentialHistogram") throw new Error("not exponential");
  const p = e.value.dataPoints[0]!;
  expect([p.scale, p.count, p.zeroCount, p.sum]).toEqual([3, 6n, 1n, 12]);
  // Prometheus buckets 1, 2 and 4 (counts 2, 2, 3) are OTLP buckets 0, 1 and 3.
  expect(p.positive!.offset).toBe(0);
  expect(p.positive!.bucketCounts).toEqual([2n, 2n, 0n, 3n]);
  const c = metric(ms, "nhcb").data;
  if (c.case !== "histogram") throw new Error("not explicit");
  expect(c.value.dataPoints[0]!.explicitBounds).toEqual([0.5, 1]);
  expect(c.value.dataPoints[0]!.bucketCounts).toEqual([1n, 2n, 1n]);
});

test("prometheus.scrape → otelcol.receiver.prometheus delivers one OTLP batch per scrape", async () => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response("# TYPE jobs_total counter\njobs_total{queue=\"a\"} 3\n# TYPE temp gauge\ntemp 20\n", { headers: { "Content-Type": "text/plain; version=0.0.4" } }),
  });
  rt = await pipeline(`test.otelcol_sink "out" {}
otelcol.receiver.prometheus "r" {
  output {
    metrics = [test.otelcol_sink.out.input]
  }
}
prometheus.scrape "s" {
  targets = [{"__address__" = "127.0.0.1:${server.port}"}]
  forward_to = [otelcol.receiver.prometheus.r.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "80ms"
}`);
  const got = sinks.get("test.otelcol_sink.out")!;
  await waitFor(() => got.length >= 1, 5000, "a scrape");
  const rm = (got[0] as MetricsBatch).request.resourceMetrics[0]!;
  expect(plain(rm.resource!.attributes)["service.name"]).toBe("prometheus.scrape.s");
  const names = rm.scopeMetrics[0]!.metrics.map((m) => [m.name, m.data.case]);
  expect(names).toContainEqual(["jobs_total", "sum"]);
  expect(names).toContainEqual(["temp", "gauge"]);
  expect(names).toContainEqual(["up", "gauge"]);
});

test("without metadata, families are inferred from series shapes", () => {
  const b = new PromBatch();
  b.appendSample(L("__name__", "req_total"), 1000, 4);
  b.appendSample(L("__name__", "dur_bucket", "le", "1"), 1000, 1);
  b.appendSample(L("__name__", "dur_bucket", "le", "+Inf"), 1000, 2);
  b.appendSample(L("__name__", "dur_sum"), 1000, 0.7);
  b.appendSample(L("__name__", "dur_count"), 1000, 2);
  b.appendSample(L("__name__", "q", "quantile", "0.9"), 1000, 0.3);
  b.appendSample(L("__name__", "q_count"), 1000, 8);
  b.appendSample(L("__name__", "level"), 1000, 1);
  const ms = new PromToOtlp().convert(b)!.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
  expect(ms.map((m) => [m.name, m.data.case])).toEqual([
    ["req_total", "sum"],
    ["dur", "histogram"],
    ["q", "summary"],
    ["level", "gauge"],
  ]);
});

test("exemplars join their data point with trace and span ids", () => {
  const b = new PromBatch();
  b.updateMetadata(Labels.fromStrings("__name__", "lat"), { type: "histogram", help: "", unit: "" });
  b.updateMetadata(Labels.fromStrings("__name__", "c_total"), { type: "counter", help: "", unit: "" });
  b.appendSample(L("__name__", "lat_bucket", "le", "1"), 1000, 1);
  b.appendSample(L("__name__", "lat_bucket", "le", "+Inf"), 1000, 1);
  b.appendSample(L("__name__", "lat_count"), 1000, 1);
  b.appendSample(L("__name__", "c_total"), 1000, 1);
  const ex = (v: number) => ({ labels: Labels.fromStrings("trace_id", "0123456789abcdef0123456789abcdef", "span_id", "0011223344556677", "user", "u"), value: v, timestamp: 900, hasTimestamp: true });
  b.appendExemplar(L("__name__", "lat_bucket", "le", "1"), ex(0.5));
  b.appendExemplar(L("__name__", "c_total"), ex(1));
  const ms = new PromToOtlp().convert(b)!.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
  const h = metric(ms, "lat").data;
  const c = metric(ms, "c_total").data;
  if (h.case !== "histogram" || c.case !== "sum") throw new Error("wrong types");
  const e = h.value.dataPoints[0]!.exemplars[0]!;
  expect(Buffer.from(e.traceId).toString("hex")).toBe("0123456789abcdef0123456789abcdef");
  expect(Buffer.from(e.spanId).toString("hex")).toBe("0011223344556677");
  expect(e.value).toEqual({ case: "asDouble", value: 0.5 });
  expect(e.timeUnixNano).toBe(900_000_000n);
  expect(plain(e.filteredAttributes)).toEqual({ user: "u" });
  expect(c.value.dataPoints[0]!.exemplars).toHaveLength(1);
});
