import { afterEach, expect, test } from "bun:test";
import { createServer } from "node:net";
import { components } from "../../../src/components/index.ts";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { ProtoWriter } from "../../../src/telemetry/prometheus/protowire.ts";
import { RemoteWriteEncoder } from "../../../src/telemetry/prometheus/remotewrite/http.ts";
import { snappyCompress } from "../../../wasm/snappy.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { metricValue } from "./remote_write_helpers.ts";
import { samples, testMetricsReceiver } from "./scrape_test_receiver.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function config(port: number, fail = false): string {
  return `test.metrics "out" {
  fail = ${fail}
}
prometheus.receive_http "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${port}
  }
  forward_to = [test.metrics.out.receiver]
}
`;
}

async function start(port: number, fail = false): Promise<TestRuntime> {
  const r = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await r.load([{ name: "main.alloy", text: config(port, fail) }]);
  expect(res.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return r;
}

function goodBody(): Uint8Array {
  const b = new MetricsBatch();
  b.appendSample(Labels.fromStrings("__name__", "pushed", "job", "j"), 1_700_000_000_000, 3.5);
  b.appendStaleMarker(Labels.fromStrings("__name__", "pushed", "job", "k"), 1_700_000_000_000);
  return new RemoteWriteEncoder().encode(b).body;
}

const HEADERS = { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", "X-Prometheus-Remote-Write-Version": "0.1.0" };

function post(port: number, body: Uint8Array | string, headers: Record<string, string> = HEADERS): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/v1/metrics/write`, { method: "POST", body: body as BodyInit, headers });
}

test("a remote write 1.0 request is forwarded as one batch and answered 204; staleness markers keep their bits", async () => {
  const port = await freePort();
  rt = await start(port);
  const res = await post(port, goodBody());
  expect(res.status).toBe(204);
  const got = samples("test.metrics.out");
  expect(got.map((s) => ({ labels: s.labels, t: s.t, stale: s.stale }))).toEqual([
    { labels: { __name__: "pushed", job: "j" }, t: 1_700_000_000_000, stale: false },
    { labels: { __name__: "pushed", job: "k" }, t: 1_700_000_000_000, stale: true },
  ]);
  expect(got[0]!.v).toBe(3.5);
  const metrics = await rt.env.hub.metrics();
  expect(metricValue(metrics, "prometheus_receive_http_request_duration_seconds_count", 'status_code="204"')).toBe(1);
  expect(metricValue(metrics, "prometheus_forwarded_samples_total", 'component_id="prometheus.receive_http.in"')).toBe(2);
});

test("bad payloads get 4xx with a reason and the server keeps serving", async () => {
  const port = await freePort();
  rt = await start(port);
  const garbage = await post(port, "this is not snappy at all");
  expect(garbage.status).toBe(400);
  expect(await garbage.text()).not.toBe("");

  const full = goodBody();
  const truncated = await post(port, full.subarray(0, Math.floor(full.length / 2)));
  expect(truncated.status).toBe(400);

  // Valid snappy around bytes that are not a WriteRequest (field 1 with a varint wire type, then junk).
  const w = new ProtoWriter(16);
  w.tag(1, 0);
  w.uvarint(5);
  w.tag(1, 2);
  w.uvarint(100);
  const wrongProto = await post(port, snappyCompress(w.finish()));
  expect(wrongProto.status).toBe(400);
  expect(await wrongProto.text()).toMatch(/WriteRequest|timeseries|wire type|truncated/);

  const gzip = await post(port, full, { ...HEADERS, "Content-Encoding": "gzip" });
  expect(gzip.status).toBe(415);

  const huge = await post(port, new Uint8Array(33 * 1024 * 1024));
  expect(huge.status).toBe(413);

  const get = await fetch(`http://127.0.0.1:${port}/api/v1/metrics/write`);
  expect(get.status).toBe(405);

  expect((await post(port, goodBody())).status).toBe(204);
  expect(samples("test.metrics.out").length).toBe(2);
});

test("a receiver that refuses the data makes the request fail with 500, so the sender retries", async () => {
  const port = await freePort();
  rt = await start(port, true);
  const res = await post(port, goodBody());
  expect(res.status).toBe(500);
  expect(await res.text()).toContain("receiver refused the batch");
});

test("reload with another port rebinds the listener", async () => {
  const port = await freePort();
  rt = await start(port);
  expect((await post(port, goodBody())).status).toBe(204);
  const next = await freePort();
  const res = await rt.load([{ name: "main.alloy", text: config(next) }]);
  expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  await waitFor(async () => (await post(next, goodBody()).catch(() => undefined))?.status === 204, 3000, "the new port");
  expect(await post(port, goodBody()).then(() => "answered", () => "refused")).toBe("refused");
});
