// The otelcol bridges in the compiled binary against real peers:
//   1. OpenTelemetry JS SDK metrics → otelcol.receiver.otlp → otelcol.exporter.prometheus →
//      prometheus.remote_write → Prometheus: names and labels as the compatibility spec says.
//   2. prometheus.scrape → otelcol.receiver.prometheus → otelcol.exporter.otlphttp → a second
//      alloy's otelcol.receiver.otlp → otelcol.exporter.prometheus → remote_write → Prometheus.
//   3. SDK logs → otelcol.receiver.otlp → otelcol.processor.attributes (hints) →
//      otelcol.exporter.loki → loki.write → a second alloy's loki.source.api → loki.write → a push sink.
//   4. loki.source.file → otelcol.receiver.loki → otelcol.exporter.otlphttp → an OTLP sink.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { AlloyRun, canRunPeers, freePort, PrometheusProcess, until } from "../prometheus/remote_write_peers.ts";
import { PushSink } from "../loki/push_sink.ts";
import { OtlpSink } from "../../components/otelcol/exporter_sink.ts";
import type { ExportLogsServiceRequest } from "../../../src/telemetry/otlp/index.ts";

setDefaultTimeout(180_000);

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-otelcol-"));
let n = 0;

async function alloy(config: string): Promise<AlloyRun> {
  const name = `a${++n}`;
  const file = join(dir, `${name}.alloy`);
  writeFileSync(file, config);
  const run = await AlloyRun.start(file, join(dir, `${name}-data`));
  cleanup.push(() => run.kill("SIGKILL"));
  await run.baseURL();
  return run;
}

async function prometheus(extraFlags: string[] = []): Promise<PrometheusProcess> {
  const p = await PrometheusProcess.start(join(dir, `prom${++n}`), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver", ...extraFlags]);
  cleanup.push(() => p.kill());
  return p;
}

const remoteWrite = (prom: PrometheusProcess, nativeHistograms = false) => `prometheus.remote_write "out" {
  endpoint {
    url = "${prom.base}/api/v1/write"
    send_native_histograms = ${nativeHistograms}
    queue_config {
      batch_send_deadline = "200ms"
    }
  }
}`;

test.skipIf(!canRunPeers)("SDK metrics reach Prometheus with the names and labels the compatibility spec prescribes", async () => {
  const prom = await prometheus();
  const otlpPort = await freePort();
  await alloy(`otelcol.receiver.otlp "in" {
  http {
    endpoint = "127.0.0.1:${otlpPort}"
  }
  output {
    metrics = [otelcol.exporter.prometheus.p.input]
  }
}
otelcol.exporter.prometheus "p" {
  forward_to = [prometheus.remote_write.out.receiver]
}
${remoteWrite(prom)}`);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "checkout", "service.namespace": "shop", "service.instance.id": "pod-7", "deployment.environment": "test" }),
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${otlpPort}/v1/metrics` }), exportIntervalMillis: 200 })],
  });
  cleanup.push(() => provider.shutdown());
  const meter = provider.getMeter("checkout.instrumentation", "3.1.0");
  const duration = meter.createHistogram("http.server.duration", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  const orders = meter.createCounter("orders.placed", { unit: "{order}" });
  const queue = meter.createUpDownCounter("queue.depth");
  duration.record(42, { "http.method": "GET" });
  duration.record(420, { "http.method": "GET" });
  orders.add(3, { "payment.kind": "card" });
  queue.add(5);
  await provider.forceFlush();

  const base = { job: "shop/checkout", instance: "pod-7", otel_scope_name: "checkout.instrumentation", otel_scope_version: "3.1.0" };
  const one = async (q: string) => {
    let r: Awaited<ReturnType<PrometheusProcess["query"]>> = [];
    await until(async () => (r = await prom.query(q)).length > 0, 30_000, `${q} in Prometheus`);
    return r;
  };
  const bucket = await one('http_server_duration_milliseconds_bucket{le="100"}');
  expect(bucket[0]!.metric).toEqual({ __name__: "http_server_duration_milliseconds_bucket", le: "100", http_method: "GET", ...base });
  expect(bucket[0]!.value![1]).toBe("1");
  expect((await one('http_server_duration_milliseconds_bucket{le="+Inf"}'))[0]!.value![1]).toBe("2");
  expect((await one("http_server_duration_milliseconds_sum"))[0]!.value![1]).toBe("462");
  expect((await one("http_server_duration_milliseconds_count"))[0]!.value![1]).toBe("2");
  const counter = await one("orders_placed_total");
  expect(counter[0]!.metric).toEqual({ __name__: "orders_placed_total", payment_kind: "card", ...base });
  expect(counter[0]!.value![1]).toBe("3");
  expect((await one("queue_depth"))[0]!.value![1]).toBe("5");
  const info = await one("target_info");
  expect(info[0]!.metric).toMatchObject({ __name__: "target_info", job: "shop/checkout", instance: "pod-7", deployment_environment: "test" });
  expect(info[0]!.metric.service_name).toBeUndefined();
});

test.skipIf(!canRunPeers)("SDK exponential histograms arrive in Prometheus as native histograms", async () => {
  const prom = await prometheus(["--enable-feature=native-histograms"]);
  const otlpPort = await freePort();
  await alloy(`otelcol.receiver.otlp "in" {
  http {
    endpoint = "127.0.0.1:${otlpPort}"
  }
  output {
    metrics = [otelcol.exporter.prometheus.p.input]
  }
}
otelcol.exporter.prometheus "p" {
  forward_to = [prometheus.remote_write.out.receiver]
  include_target_info = false
}
${remoteWrite(prom, true)}`);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "rpc" }),
    views: [{ instrumentName: "rpc.latency", aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${otlpPort}/v1/metrics` }), exportIntervalMillis: 200 })],
  });
  cleanup.push(() => provider.shutdown());
  const h = provider.getMeter("rpc.meter").createHistogram("rpc.latency", { unit: "s" });
  for (const v of [1, 2, 4, 100]) h.record(v);
  await provider.forceFlush();
  let r: Awaited<ReturnType<PrometheusProcess["query"]>> = [];
  await until(async () => (r = await prom.query("histogram_count(rpc_latency_seconds)")).length > 0, 30_000, "the native histogram in Prometheus");
  expect(r[0]!.value![1]).toBe("4");
  expect((await prom.query("histogram_sum(rpc_latency_seconds)"))[0]!.value![1]).toBe("107");
  // Bucket boundaries survive the index shift: half the observations are at or below 2.
  const median = Number((await prom.query("histogram_quantile(0.5, rpc_latency_seconds)"))[0]!.value![1]);
  expect(median).toBeGreaterThan(1);
  expect(median).toBeLessThanOrEqual(2.1);
});

test.skipIf(!canRunPeers)("scraped metrics round-trip through OTLP between two alloy processes into Prometheus", async () => {
  const prom = await prometheus();
  let scrapes = 0;
  const target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response(
        `# TYPE rt_requests_total counter\nrt_requests_total{code="200"} ${100 + ++scrapes}\n# TYPE rt_temp gauge\nrt_temp{room="a"} 21.5\n` +
          `# TYPE rt_latency histogram\nrt_latency_bucket{le="0.5"} 3\nrt_latency_bucket{le="+Inf"} 5\nrt_latency_sum 4.5\nrt_latency_count 5\n`,
        { headers: { "Content-Type": "text/plain; version=0.0.4" } },
      ),
  });
  cleanup.push(() => target.stop(true));
  const otlpPort = await freePort();
  await alloy(`otelcol.receiver.otlp "in" {
  http {
    endpoint = "127.0.0.1:${otlpPort}"
  }
  output {
    metrics = [otelcol.exporter.prometheus.p.input]
  }
}
otelcol.exporter.prometheus "p" {
  forward_to = [prometheus.remote_write.out.receiver]
}
${remoteWrite(prom)}`);
  await alloy(`prometheus.scrape "s" {
  targets = [{"__address__" = "127.0.0.1:${target.port}"}]
  forward_to = [otelcol.receiver.prometheus.r.receiver]
  scrape_interval = "500ms"
  scrape_timeout = "400ms"
  job_name = "roundtrip"
}
otelcol.receiver.prometheus "r" {
  output {
    metrics = [otelcol.exporter.otlphttp.out.input]
  }
}
otelcol.exporter.otlphttp "out" {
  client {
    endpoint = "http://127.0.0.1:${otlpPort}"
    tls {
      insecure = true
    }
  }
}`);
  const instance = `127.0.0.1:${target.port}`;
  let r: Awaited<ReturnType<PrometheusProcess["query"]>> = [];
  await until(async () => (r = await prom.query("rt_requests_total")).length > 0, 30_000, "rt_requests_total in Prometheus");
  expect(r[0]!.metric).toMatchObject({ __name__: "rt_requests_total", code: "200", job: "roundtrip", instance });
  expect(Number(r[0]!.value![1])).toBeGreaterThan(100);
  await until(async () => (r = await prom.query("rt_temp")).length > 0, 30_000, "rt_temp");
  expect(r[0]!.metric).toMatchObject({ __name__: "rt_temp", room: "a", job: "roundtrip", instance });
  expect(r[0]!.value![1]).toBe("21.5");
  await until(async () => (r = await prom.query('rt_latency_bucket{le="0.5"}')).length > 0, 30_000, "rt_latency_bucket");
  expect(r[0]!.value![1]).toBe("3");
  expect((await prom.query('rt_latency_bucket{le="+Inf"}'))[0]!.value![1]).toBe("5");
  expect((await prom.query("rt_latency_sum"))[0]!.value![1]).toBe("4.5");
  await until(async () => (r = await prom.query("up")).length > 0, 30_000, "up");
  expect(r[0]!.metric).toMatchObject({ job: "roundtrip", instance });
});

test.skipIf(!canRunPeers)("SDK logs reach a second alloy's loki.source.api with the labels the hints ask for", async () => {
  const sink = new PushSink();
  cleanup.push(() => sink.stop());
  const apiPort = await freePort();
  await alloy(`loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${apiPort}
  }
  forward_to = [loki.write.sink.receiver]
}
loki.write "sink" {
  endpoint {
    url = "${sink.url}"
    batch_wait = "100ms"
  }
}`);
  const otlpPort = await freePort();
  await alloy(`otelcol.receiver.otlp "in" {
  http {
    endpoint = "127.0.0.1:${otlpPort}"
  }
  output {
    logs = [otelcol.processor.attributes.hints.input]
  }
}
otelcol.processor.attributes "hints" {
  action {
    key = "loki.attribute.labels"
    action = "insert"
    value = "event.name"
  }
  action {
    key = "loki.resource.labels"
    action = "insert"
    value = "deployment.environment"
  }
  output {
    logs = [otelcol.exporter.loki.out.input]
  }
}
otelcol.exporter.loki "out" {
  forward_to = [loki.write.next.receiver]
}
loki.write "next" {
  endpoint {
    url = "http://127.0.0.1:${apiPort}/loki/api/v1/push"
    batch_wait = "100ms"
  }
}`);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "billing", "deployment.environment": "staging" }),
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${otlpPort}/v1/logs` }) })],
  });
  cleanup.push(() => provider.shutdown());
  provider.getLogger("billing.log", "0.9").emit({ body: "invoice sent", severityNumber: SeverityNumber.INFO, severityText: "INFO", attributes: { "event.name": "invoice", user: "u1" } });
  await provider.forceFlush();
  await until(() => sink.lines().length > 0, 30_000, "a line at the sink");
  const [got] = sink.lines();
  expect(got!.labels).toMatchObject({ exporter: "OTLP", job: "billing", event_name: "invoice", deployment_environment: "staging" });
  const line = JSON.parse(got!.line) as Record<string, unknown>;
  expect(line).toMatchObject({ body: "invoice sent", severity: "INFO", attributes: { user: "u1" }, resources: { "service.name": "billing" }, instrumentation_scope: { name: "billing.log", version: "0.9" } });
  expect(JSON.stringify(line)).not.toContain("loki.attribute.labels");
});

test.skipIf(!canRunPeers)("tailed file lines arrive as OTLP log records with body and attributes", async () => {
  const sink = new OtlpSink();
  cleanup.push(() => sink.stop());
  const logFile = join(dir, "app.log");
  writeFileSync(logFile, "");
  await alloy(`loki.source.file "f" {
  targets = [{"__path__" = "${logFile}", "app" = "shop"}]
  forward_to = [otelcol.receiver.loki.r.receiver]
}
otelcol.receiver.loki "r" {
  output {
    logs = [otelcol.exporter.otlphttp.out.input]
  }
}
otelcol.exporter.otlphttp "out" {
  client {
    endpoint = "${sink.url}"
    tls {
      insecure = true
    }
  }
}`);
  await until(async () => {
    appendFileSync(logFile, "order 1 shipped\n");
    return sink.received.length > 0;
  }, 30_000, "an OTLP logs request", 500);
  const req = sink.received.find((r) => r.signal === "logs")!.request as ExportLogsServiceRequest;
  const rec = req.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  expect(rec.body?.value).toEqual({ case: "stringValue", value: "order 1 shipped" });
  const attrs = Object.fromEntries(rec.attributes.map((a) => [a.key, a.value?.value.value]));
  expect(attrs).toMatchObject({ app: "shop", filename: logFile, "log.file.path": logFile, "log.file.name": "app.log" });
});
