import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import type { LiveDebuggingEvent } from "../../../src/runtime/component.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { last, received, samples, testMetricsReceiver } from "./scrape_test_receiver.ts";

let rt: TestRuntime | undefined;
const servers: Array<ReturnType<typeof Bun.serve>> = [];
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  for (const s of servers.splice(0)) await s.stop(true);
  received.clear();
});

const requests: Array<{ url: string; headers: Headers }> = [];

function serve(text: string, contentType = "text/plain; version=0.0.4"): string {
  const s = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      requests.push({ url: req.url, headers: new Headers(req.headers) });
      return new Response(text, { headers: { "Content-Type": contentType } });
    },
  });
  servers.push(s);
  return `127.0.0.1:${s.port}`;
}

const OUT = "test.metrics.out";

function config(targets: string, body = ""): string {
  return `test.metrics "out" {}
prometheus.scrape "s" {
  targets = ${targets}
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "80ms"
${body}
}
`;
}

test("adding a target keeps the existing target's loop and series cache; removing one stops only it", async () => {
  const a = serve("m 1\n");
  const b = serve("m 2\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`) }]);
  await waitFor(() => last(OUT, "m", { instance: a }) !== undefined, 3000, "a scraped");
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}, {"__address__" = "${b}"}]`) }]);
  await waitFor(() => last(OUT, "m", { instance: b }) !== undefined, 3000, "b scraped");
  // a's loop kept its cache: its series were never counted as added again, and never went stale.
  const addedA = samples(OUT).filter((s) => s.name === "scrape_series_added" && s.labels.instance === a && !s.stale);
  expect(addedA[0]!.v).toBe(1);
  expect(addedA.slice(1).every((s) => s.v === 0)).toBe(true);
  expect(samples(OUT).some((s) => s.stale && s.labels.instance === a)).toBe(false);
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${b}"}]`) }]);
  await waitFor(() => samples(OUT).some((s) => s.stale && s.name === "m" && s.labels.instance === a), 3000, "a stale");
  expect(samples(OUT).some((s) => s.stale && s.labels.instance === b)).toBe(false);
  expect(JSON.stringify(rt.component("prometheus.scrape.s")!.debugInfo)).not.toContain(a);
});

test("job_name, metrics_path, params and __param_ labels shape the request and the labels", async () => {
  requests.length = 0;
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([
    {
      name: "main.alloy",
      text: config(
        `[{"__address__" = "${a}", "__param_module" = "http_2xx", "__meta_dropped" = "x", "__scrape_interval__" = "200ms"}]`,
        `  job_name = "custom"\n  metrics_path = "/probe"\n  params = { "module" = ["ignored", "second"], "target" = ["t a"] }`,
      ),
    },
  ]);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape");
  expect(last(OUT, "m")!.labels).toEqual({ __name__: "m", job: "custom", instance: a });
  const url = new URL(requests[0]!.url);
  expect(url.pathname).toBe("/probe");
  expect(url.search).toBe("?module=http_2xx&module=second&target=t+a");
});

test("targets without an address or with a bad interval are dropped with an error log; the others run", async () => {
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: config(`[{"foo" = "bar"}, {"__address__" = "${a}", "__scrape_timeout__" = "1s"}, {"__address__" = "${a}"}]`),
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape");
  const logs = rt.logLines.join("\n");
  expect(logs).toContain("no address");
  expect(logs).toContain('scrape timeout cannot be greater than scrape interval (\\"1s\\" > \\"100ms\\")');
});

test("target_limit fails every scrape of the pool while exceeded", async () => {
  const a = serve("m 1\n");
  const b = serve("m 2\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}, {"__address__" = "${b}"}]`, "  target_limit = 1") }]);
  await waitFor(() => last(OUT, "up", { instance: a }) !== undefined && last(OUT, "up", { instance: b }) !== undefined, 3000, "scrapes");
  expect(last(OUT, "up", { instance: a })!.v).toBe(0);
  expect(last(OUT, "m")).toBeUndefined();
  expect(JSON.stringify(rt.component("prometheus.scrape.s")!.debugInfo)).toContain("target_limit exceeded (number of targets: 2, limit: 1)");
});

test("basic_auth and extra headers from the HTTP client arguments reach the target", async () => {
  requests.length = 0;
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([
    {
      name: "main.alloy",
      text: config(`[{"__address__" = "${a}"}]`, `  basic_auth {\n    username = "u"\n    password = "p"\n  }\n  http_headers = { "X-Scope" = ["tenant"] }`),
    },
  ]);
  await waitFor(() => requests.length > 0, 3000, "request");
  expect(requests[0]!.headers.get("authorization")).toBe(`Basic ${btoa("u:p")}`);
  expect(requests[0]!.headers.get("x-scope")).toBe("tenant");
  expect(requests[0]!.headers.get("user-agent")).toStartWith("Alloy/");
});

test("live debugging publishes one prometheus_metric event per forwarded sample while active", async () => {
  const a = serve("m 1\n");
  const events: LiveDebuggingEvent[] = [];
  rt = testRuntime({
    extra: [...components, testMetricsReceiver],
    liveDebugging: (id) => ({ isActive: () => id === "prometheus.scrape.s", publish: (e) => events.push(e) }),
  });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`) }]);
  await waitFor(() => events.length >= 6, 3000, "events");
  const texts = events.map((e) => e.text());
  expect(events.every((e) => e.type === "prometheus_metric" && e.count === 1)).toBe(true);
  expect(texts.some((t) => new RegExp(`^sample: ts=\\d+, labels=\\{__name__="up", instance="${a}", job="prometheus.scrape.s"\\}, value=1.000000$`).test(t))).toBe(true);
});

test("start_timestamp_zero_ingestion adds a zero sample at the created timestamp; type and unit labels come from metadata", async () => {
  const a = serve(
    "# TYPE req_requests counter\n# UNIT req_requests requests\nreq_requests_total 5\nreq_requests_created 1700000000.5\n# EOF\n",
    "application/openmetrics-text; version=1.0.0",
  );
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([
    { name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  start_timestamp_zero_ingestion = true\n  enable_type_and_unit_labels = true") },
  ]);
  await waitFor(() => last(OUT, "req_requests_total") !== undefined, 3000, "scrape");
  const req = samples(OUT).filter((s) => s.name === "req_requests_total");
  expect(req[0]).toMatchObject({ t: 1700000000500, v: 0 });
  expect(req[1]!.v).toBe(5);
  expect(req[1]!.labels).toMatchObject({ __type__: "counter", __unit__: "requests" });
  // The _created series is not ingested on its own when its timestamp became a zero sample.
  expect(last(OUT, "req_requests_created")).toBeUndefined();
});

test("honor_metadata needs the experimental stability level, and forwards metadata there", async () => {
  const a = serve("# HELP g A gauge.\n# TYPE g gauge\ng 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  honor_metadata = true") }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("honor_metadata is an experimental feature");
  await rt.stop();
  rt = testRuntime({ extra: [...components, testMetricsReceiver], stability: "experimental" });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  honor_metadata = true") }]);
  await waitFor(() => (received.get(OUT) ?? []).some((b) => b.metadata.length > 0), 3000, "metadata");
  const md = received.get(OUT)!.flatMap((b) => b.metadata)[0]!;
  expect(md.metadata).toEqual({ type: "gauge", help: "A gauge.", unit: "" });
  expect(md.series.metricName()).toBe("g");
});

test("clustering is accepted and logged as not in effect", async () => {
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  clustering {\n    enabled = true\n  }") }]);
  expect(res.diagnostics).toEqual([]);
  expect(rt.logLines.join("\n")).toContain("target distribution is not in effect");
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape");
});

test("a changed scrape config restarts the loops without staleness markers and keeps the series cache", async () => {
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`) }]);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape");
  const before = samples(OUT).length;
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`).replace('scrape_timeout = "80ms"', 'scrape_timeout = "70ms"') }]);
  await waitFor(() => samples(OUT).slice(before).some((s) => s.name === "scrape_series_added"), 3000, "scrape after reload");
  expect(samples(OUT).some((s) => s.stale)).toBe(false);
  expect(samples(OUT).slice(before).find((s) => s.name === "scrape_series_added")!.v).toBe(0);
});

test("body_size_limit takes Alloy's byte-size strings", async () => {
  const a = serve("m 1\n".repeat(1));
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, '  body_size_limit = "1KB"') }]);
  expect(res.diagnostics).toEqual([]);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape within the limit");
  const bad = await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, '  body_size_limit = "lots"') }]);
  expect(bad.diagnostics.map((d) => d.message).join("\n")).toContain("units: invalid lots");
});

test("native histograms are forwarded as histograms with scrape_native_histograms, as classic buckets otherwise", async () => {
  const { create } = await import("@bufbuild/protobuf");
  const { sizeDelimitedEncode } = await import("@bufbuild/protobuf/wire");
  const { MetricFamilySchema, MetricType } = await import("../../../src/telemetry/prometheus/gen/io/prometheus/client/metrics_pb.ts");
  const family = create(MetricFamilySchema, {
    name: "latency_seconds",
    help: "Latency.",
    type: MetricType.HISTOGRAM,
    metric: [
      {
        histogram: {
          sampleCount: 3n,
          sampleSum: 1.5,
          bucket: [{ upperBound: 1, cumulativeCount: 2n }],
          schema: 0,
          zeroThreshold: 1e-128,
          zeroCount: 0n,
          positiveSpan: [{ offset: 0, length: 2 }],
          positiveDelta: [1n, 1n],
        },
      },
    ],
  });
  const body = sizeDelimitedEncode(MetricFamilySchema, family);
  const s = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response(body as BodyInit, { headers: { "Content-Type": "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited" } }),
  });
  servers.push(s);
  const a = `127.0.0.1:${s.port}`;
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  scrape_native_histograms = true") }]);
  await waitFor(() => (received.get(OUT) ?? []).some((b) => b.histograms.length > 0), 3000, "native histogram");
  const h = received.get(OUT)!.flatMap((b) => b.histograms)[0]!;
  expect(h.series.toObject()).toEqual({ __name__: "latency_seconds", job: "prometheus.scrape.s", instance: a });
  expect(last(OUT, "latency_seconds_bucket")).toBeUndefined();
  await rt.stop();
  received.clear();
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, '  scrape_protocols = ["PrometheusProto"]') }]);
  await waitFor(() => last(OUT, "latency_seconds_bucket", { le: "1.0" }) !== undefined, 3000, "classic buckets");
  expect(last(OUT, "latency_seconds_count")!.v).toBe(3);
  expect((received.get(OUT) ?? []).some((b) => b.histograms.length > 0)).toBe(false);
  await rt.stop();
  received.clear();
  // Buckets either side of 1 never merge: a limit of 1 cannot be met and the scrape fails.
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  scrape_native_histograms = true\n  native_histogram_bucket_limit = 1") }]);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(JSON.stringify(rt.component("prometheus.scrape.s")!.debugInfo)).toContain("histogram bucket limit exceeded");
});

test("convert_classic_histograms_to_nhcb forwards classic histograms as native ones", async () => {
  const a = serve('# TYPE req histogram\nreq_bucket{le="1"} 1\nreq_bucket{le="+Inf"} 3\nreq_sum 4\nreq_count 3\nplain 1\n');
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  convert_classic_histograms_to_nhcb = true") }]);
  await waitFor(() => (received.get(OUT) ?? []).some((b) => b.histograms.length > 0), 3000, "histogram");
  const h = received.get(OUT)!.flatMap((b) => b.histograms)[0]!;
  expect(h.series.toObject()).toEqual({ __name__: "req", job: "prometheus.scrape.s", instance: a });
  expect(h.histogram).toMatchObject({ schema: -53, count: 3, sum: 4, customValues: [1] });
  expect(last(OUT, "req_bucket")).toBeUndefined();
  expect(last(OUT, "plain")!.v).toBe(1);
  // Samples are counted after conversion, as in Prometheus: one histogram and one plain sample.
  expect(last(OUT, "scrape_samples_scraped")!.v).toBe(2);
});

test("a removed target's staleness markers are stamped at its next scrape slot; a removed component writes none", async () => {
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`) }]);
  await waitFor(() => samples(OUT).filter((s) => s.name === "up").length >= 2, 3000, "two scrapes");
  await rt.load([{ name: "main.alloy", text: config("[]") }]);
  const lastUp = samples(OUT).filter((s) => s.name === "up" && !s.stale).at(-1)!;
  await waitFor(() => samples(OUT).some((s) => s.name === "m" && s.stale), 3000, "staleness markers");
  const stale = samples(OUT).find((s) => s.name === "m" && s.stale)!;
  expect(stale.t).toBeGreaterThan(lastUp.t);
  expect(stale.t).toBeLessThanOrEqual(lastUp.t + 100 + 5);

  // Now the whole component goes away: like Prometheus on shutdown, no staleness markers.
  // A control component loses its target at the same moment: once its markers (due at
  // the same delay) have arrived, the removed component's would have arrived too.
  const control = (targets: string) => `prometheus.scrape "control" {
  targets = ${targets}
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "80ms"
}
`;
  const fromS = (x: { labels: Record<string, string> }) => x.labels.job === "prometheus.scrape.s";
  await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`) + control(`[{"__address__" = "${a}"}]`) }]);
  await waitFor(() => samples(OUT).filter((s) => s.name === "up" && !s.stale && fromS(s)).length >= 4, 3000, "scraping again");
  await waitFor(() => samples(OUT).some((s) => s.name === "up" && !s.stale && s.labels.job === "prometheus.scrape.control"), 3000, "the control scraping");
  const before = samples(OUT).filter((s) => s.stale && fromS(s)).length;
  await rt.load([{ name: "main.alloy", text: `test.metrics "out" {}\n` + control("[]") }]);
  await waitFor(() => samples(OUT).some((s) => s.stale && s.name === "m" && s.labels.job === "prometheus.scrape.control"), 3000, "the control's staleness markers");
  expect(samples(OUT).filter((s) => s.stale && fromS(s)).length).toBe(before);
});

test("a build refused for honor_metadata can be fixed by a reload", async () => {
  const a = serve("m 1\n");
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const bad = await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`, "  honor_metadata = true") }]);
  expect(bad.diagnostics.length).toBeGreaterThan(0);
  const good = await rt.load([{ name: "main.alloy", text: config(`[{"__address__" = "${a}"}]`) }]);
  expect(good.diagnostics).toEqual([]);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape after the fix");
});
