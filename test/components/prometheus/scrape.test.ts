import { create } from "@bufbuild/protobuf";
import { sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { MetricFamilySchema, MetricType } from "../../../src/telemetry/prometheus/gen/io/prometheus/client/metrics_pb.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { last, received, samples, testMetricsReceiver } from "./scrape_test_receiver.ts";

let rt: TestRuntime | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.stop(true);
  server = undefined;
});

interface Served {
  body: string | Uint8Array;
  contentType?: string;
  status?: number;
  /** The response waits for this (a target that has not answered yet). */
  hold?: Promise<void>;
  gzip?: boolean;
}

const seenHeaders: Headers[] = [];

function serve(get: () => Served): number {
  seenHeaders.length = 0;
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      seenHeaders.push(new Headers(req.headers));
      const s = get();
      if (s.hold) await s.hold;
      const headers: Record<string, string> = { "Content-Type": s.contentType ?? "text/plain; version=0.0.4; charset=utf-8" };
      let body: string | Uint8Array = s.body;
      if (s.gzip) {
        body = Bun.gzipSync(typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body));
        headers["Content-Encoding"] = "gzip";
      }
      return new Response(body as BodyInit, { status: s.status ?? 200, headers });
    },
  });
  return server.port!;
}

async function load(scrapeBody: string, port: number): Promise<void> {
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `test.metrics "out" {}
prometheus.scrape "s" {
  targets = [{"__address__" = "127.0.0.1:${port}", "team" = "a"}]
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "80ms"
${scrapeBody}
}
`,
    },
  ]);
  expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
}

const OUT = "test.metrics.out";

test("scrapes text exposition with job, instance and target labels, and reports up and scrape_* series", async () => {
  const port = serve(() => ({ body: '# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 7\nplain_gauge 1.5\n' }));
  await load("", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "first scrape");
  const instance = `127.0.0.1:${port}`;
  const base = { job: "prometheus.scrape.s", instance, team: "a" };
  expect(last(OUT, "http_requests_total")).toMatchObject({ v: 7, labels: { __name__: "http_requests_total", code: "200", ...base } });
  expect(last(OUT, "plain_gauge")!.labels).toEqual({ __name__: "plain_gauge", ...base });
  expect(last(OUT, "up")!.labels).toEqual({ __name__: "up", ...base });
  expect(last(OUT, "up")!.v).toBe(1);
  expect(last(OUT, "scrape_samples_scraped")!.v).toBe(2);
  expect(last(OUT, "scrape_samples_post_metric_relabeling")!.v).toBe(2);
  expect(last(OUT, "scrape_series_added")!.v).toBe(2);
  expect(last(OUT, "scrape_duration_seconds")!.v).toBeGreaterThanOrEqual(0);
  expect(last(OUT, "scrape_timeout_seconds")).toBeUndefined();
  // All samples of one scrape share the scrape's timestamp.
  const upT = last(OUT, "up")!.t;
  expect(last(OUT, "plain_gauge")!.t).toBe(upT);
  const accept = seenHeaders[0]!.get("accept")!;
  expect(accept).toStartWith("application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6");
  expect(accept).toEndWith("*/*;q=0.2");
  expect(seenHeaders[0]!.get("accept-encoding")).toBe("gzip");
  expect(seenHeaders[0]!.get("x-prometheus-scrape-timeout-seconds")).toBe("0.08");
  // Unchanged series are not counted as added again.
  await waitFor(() => samples(OUT).filter((s) => s.name === "up").length >= 2, 3000, "second scrape");
  expect(last(OUT, "scrape_series_added")!.v).toBe(0);
  const info = rt!.component("prometheus.scrape.s")!;
  expect(JSON.stringify(info.debugInfo)).toContain(`http://${instance}/metrics`);
});

test("parses OpenMetrics and protobuf responses by Content-Type", async () => {
  const om = "# TYPE om_metric gauge\nom_metric{x=\"1\"} 3\n# EOF\n";
  const family = create(MetricFamilySchema, {
    name: "pb_requests_total",
    help: "h",
    type: MetricType.COUNTER,
    metric: [{ label: [{ name: "code", value: "500" }], counter: { value: 11 } }],
  });
  let mode: "om" | "pb" = "om";
  const port = serve(() =>
    mode === "om"
      ? { body: om, contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8" }
      : {
          body: sizeDelimitedEncode(MetricFamilySchema, family),
          contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
        },
  );
  await load('  scrape_protocols = ["PrometheusProto", "OpenMetricsText1.0.0"]', port);
  await waitFor(() => last(OUT, "om_metric") !== undefined, 3000, "openmetrics scrape");
  expect(last(OUT, "om_metric")!.labels).toMatchObject({ x: "1", job: "prometheus.scrape.s" });
  expect(seenHeaders[0]!.get("accept")).toStartWith("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6");
  mode = "pb";
  await waitFor(() => last(OUT, "pb_requests_total") !== undefined, 3000, "protobuf scrape");
  expect(last(OUT, "pb_requests_total")).toMatchObject({ v: 11, labels: { code: "500", instance: `127.0.0.1:${port}` } });
  // om_metric disappeared from the target: it gets a staleness marker.
  await waitFor(() => samples(OUT).some((s) => s.name === "om_metric" && s.stale), 3000, "staleness marker");
});

test("a series that disappears gets a staleness marker, and a removed target marks all its series stale", async () => {
  let text = "a_metric 1\nb_metric 2\n";
  const port = serve(() => ({ body: text }));
  await load("", port);
  await waitFor(() => last(OUT, "b_metric") !== undefined, 3000, "first scrape");
  text = "a_metric 1\n";
  await waitFor(() => samples(OUT).some((s) => s.name === "b_metric" && s.stale), 3000, "b_metric stale");
  expect(samples(OUT).some((s) => s.name === "a_metric" && s.stale)).toBe(false);
  const staleB = samples(OUT).find((s) => s.name === "b_metric" && s.stale)!;
  expect(Number.isNaN(staleB.v)).toBe(true);
  // Reload with no targets: the loop stops and every series it wrote goes stale.
  await rt!.load([
    {
      name: "main.alloy",
      text: `test.metrics "out" {}
prometheus.scrape "s" {
  targets = []
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "80ms"
}
`,
    },
  ]);
  await waitFor(() => samples(OUT).some((s) => s.name === "up" && s.stale), 3000, "up stale");
  const stale = new Set(samples(OUT).filter((s) => s.stale).map((s) => s.name));
  expect(stale.has("a_metric")).toBe(true);
  expect(stale.has("scrape_duration_seconds")).toBe(true);
  expect(stale.has("scrape_series_added")).toBe(true);
});

test("honor_labels keeps exposed target labels; otherwise they are renamed exported_*", async () => {
  const port = serve(() => ({ body: 'm{job="theirs",instance="x",exported_job="e"} 1\n' }));
  await load("", port);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape");
  expect(last(OUT, "m")!.labels).toEqual({
    __name__: "m",
    job: "prometheus.scrape.s",
    instance: `127.0.0.1:${port}`,
    team: "a",
    exported_instance: "x",
    exported_exported_job: "theirs",
    exported_job: "e",
  });
  await rt!.stop();
  received.clear();
  await load("  honor_labels = true", port);
  await waitFor(() => last(OUT, "m") !== undefined, 3000, "scrape with honor_labels");
  expect(last(OUT, "m")!.labels).toEqual({ __name__: "m", job: "theirs", instance: "x", exported_job: "e", team: "a" });
});

test("sample_limit fails the scrape: up is 0 and no samples are forwarded", async () => {
  const port = serve(() => ({ body: "a 1\nb 2\nc 3\n" }));
  await load("  sample_limit = 2\n  extra_metrics = true", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(last(OUT, "a")).toBeUndefined();
  expect(last(OUT, "scrape_samples_scraped")!.v).toBe(3);
  // Prometheus counts samples over the limit as post-relabeling samples too.
  expect(last(OUT, "scrape_samples_post_metric_relabeling")!.v).toBe(3);
  expect(last(OUT, "scrape_sample_limit")!.v).toBe(2);
  expect(last(OUT, "scrape_timeout_seconds")!.v).toBe(0.08);
  const dbg = JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo);
  expect(dbg).toContain("sample limit exceeded");
});

test("label limits and body_size_limit fail the scrape", async () => {
  const port = serve(() => ({ body: 'm{a="1",b="2",c="3"} 1\n' }));
  await load("  label_limit = 3", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo)).toContain("label_limit exceeded (metric: m, number of labels: 7, limit: 3)");
  await rt!.stop();
  received.clear();
  await load("  body_size_limit = 5\n  extra_metrics = true", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(last(OUT, "scrape_body_size_bytes")!.v).toBe(-1);
  expect(JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo)).toContain("body size limit exceeded");
});

test("a target slower than scrape_timeout is down with a deadline error", async () => {
  // The target answers only once the scrape has been reported, so it is slower than any timeout.
  let answer = () => {};
  const hold = new Promise<void>((r) => (answer = r));
  const port = serve(() => ({ body: "m 1\n", hold }));
  try {
    await load("", port);
    await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
    expect(last(OUT, "up")!.v).toBe(0);
    expect(last(OUT, "m")).toBeUndefined();
    expect(JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo)).toContain("context deadline exceeded");
  } finally {
    answer();
  }
});

test("HTTP errors make the target down with Prometheus's message", async () => {
  const port = serve(() => ({ body: "nope", status: 503 }));
  await load("", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo)).toContain("server returned HTTP status 503 Service Unavailable");
});

test("gzip responses are decompressed; enable_compression = false asks for identity", async () => {
  const port = serve(() => ({ body: "zipped_metric 42\n", gzip: true }));
  await load("  extra_metrics = true", port);
  await waitFor(() => last(OUT, "zipped_metric") !== undefined, 3000, "scrape");
  expect(last(OUT, "zipped_metric")!.v).toBe(42);
  expect(last(OUT, "scrape_body_size_bytes")!.v).toBe("zipped_metric 42\n".length);
  await rt!.stop();
  received.clear();
  await load("  enable_compression = false", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(seenHeaders.at(-1)!.get("accept-encoding")).toBe("identity");
});

test("explicit timestamps are kept unless honor_timestamps is false", async () => {
  const port = serve(() => ({ body: "ts_metric 1 1700000000000\n" }));
  await load("", port);
  await waitFor(() => last(OUT, "ts_metric") !== undefined, 3000, "scrape");
  expect(last(OUT, "ts_metric")!.t).toBe(1700000000000);
  await rt!.stop();
  received.clear();
  await load("  honor_timestamps = false", port);
  await waitFor(() => last(OUT, "ts_metric") !== undefined, 3000, "scrape");
  expect(last(OUT, "ts_metric")!.t).toBe(last(OUT, "up")!.t);
});

test("arguments are validated with Alloy's messages", async () => {
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `prometheus.scrape "s" {
  targets = []
  forward_to = []
  scrape_interval = "5s"
  scrape_timeout = "10s"
}
`,
    },
  ]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain(
    'scrape_timeout (10s) greater than scrape_interval (5s) for scrape config with job name ""',
  );
  const res2 = await rt.load([
    { name: "main.alloy", text: `prometheus.scrape "s" {\n  targets = []\n  forward_to = []\n  scrape_protocols = ["Nope"]\n}\n` },
  ]);
  expect(res2.diagnostics.map((d) => d.message).join("\n")).toContain('invalid scrape protocol "Nope"');
});

test("series with explicit timestamps get staleness markers only with track_timestamps_staleness", async () => {
  let text = "ts_a 1 1700000000000\nplain 1\n";
  const port = serve(() => ({ body: text }));
  await load("", port);
  await waitFor(() => last(OUT, "ts_a") !== undefined, 3000, "scrape");
  text = "plain 1\n";
  await waitFor(() => samples(OUT).filter((s) => s.name === "up").length >= 3, 3000, "later scrapes");
  expect(samples(OUT).some((s) => s.name === "ts_a" && s.stale)).toBe(false);
  await rt!.stop();
  received.clear();
  text = "ts_a 1 1700000000000\nplain 1\n";
  await load("  track_timestamps_staleness = true", port);
  await waitFor(() => last(OUT, "ts_a") !== undefined, 3000, "scrape");
  text = "plain 1\n";
  await waitFor(() => samples(OUT).some((s) => s.name === "ts_a" && s.stale), 3000, "ts_a stale");
});

test("body_size_limit applies to the decompressed size of gzip responses", async () => {
  const port = serve(() => ({ body: "m 1\n".repeat(100), gzip: true }));
  await load("  body_size_limit = 100", port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo)).toContain("body size limit exceeded");
});

test("scrape_failure_log_file gets one JSON line per failed scrape", async () => {
  const { mkdtempSync, readFileSync, existsSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const file = join(mkdtempSync(join(tmpdir(), "alloy-scrape-fail-")), "failures.log");
  const port = serve(() => ({ body: "no", status: 500 }));
  await load(`  scrape_failure_log_file = ${JSON.stringify(file)}`, port);
  await waitFor(() => existsSync(file) && readFileSync(file, "utf8").includes("\n"), 3000, "failure log line");
  const line = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!) as Record<string, string>;
  expect(line).toMatchObject({ level: "ERROR", msg: "server returned HTTP status 500 Internal Server Error", target: `http://127.0.0.1:${port}/metrics` });
});

test("an unknown Content-Type is parsed with scrape_fallback_protocol, and fails the scrape without one", async () => {
  const port = serve(() => ({ body: "fallback_metric 3\n", contentType: "application/json" }));
  await load("", port);
  await waitFor(() => last(OUT, "fallback_metric") !== undefined, 3000, "scrape with the fallback");
  expect(last(OUT, "up")!.v).toBe(1);
  await rt!.stop();
  received.clear();
  await load('  scrape_fallback_protocol = ""', port);
  await waitFor(() => last(OUT, "up") !== undefined, 3000, "scrape without a fallback");
  expect(last(OUT, "up")!.v).toBe(0);
  expect(JSON.stringify(rt!.component("prometheus.scrape.s")!.debugInfo)).toContain(
    'received unsupported Content-Type \\"application/json\\" and no fallback_scrape_protocol specified for target',
  );
});
