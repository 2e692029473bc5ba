import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scanSegment } from "../../../src/telemetry/prometheus/wal/segment.ts";
import { components } from "../../../src/components/index.ts";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { isStaleBytes } from "../../../src/telemetry/prometheus/staleness.ts";
import { snappyDecompress } from "../../../wasm/snappy.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { counterBatch, decodeWithProtobufES, FakeRemoteWrite, metricValue, push, testPush } from "./remote_write_helpers.ts";

setDefaultTimeout(30_000);

let rt: TestRuntime | undefined;
const servers: FakeRemoteWrite[] = [];
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  for (const s of servers.splice(0)) await s.stop();
});

function fake(): FakeRemoteWrite {
  const f = new FakeRemoteWrite();
  servers.push(f);
  return f;
}

async function start(config: string, storagePath = tempDir("alloy-rw-")): Promise<TestRuntime> {
  const r = testRuntime({ extra: [...components, testPush], storagePath });
  const res = await r.load([{ name: "main.alloy", text: config }]);
  expect(res.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return r;
}

function config(url: string, endpointExtra = "", top = ""): string {
  return `test.push "in" {
  forward_to = [prometheus.remote_write.out.receiver]
}
prometheus.remote_write "out" {
${top}
  endpoint {
    url = "${url}"
    queue_config {
      batch_send_deadline = "50ms"
      min_backoff = "20ms"
      max_backoff = "200ms"
    }
${endpointExtra}
  }
}
`;
}

test("sends remote write 1.0: snappy protobuf with Prometheus's headers, external labels and write relabeling applied", async () => {
  const srv = fake();
  rt = await start(
    config(
      srv.url,
      `    headers = { "X-Scope-OrgID" = "tenant-1" }
    basic_auth {
      username = "u"
      password = "p"
    }
    write_relabel_config {
      source_labels = ["__name__"]
      regex = "dropped_metric"
      action = "drop"
    }`,
      `  external_labels = { cluster = "c1", i = "not-overriding" }`,
    ),
  );
  const b = new MetricsBatch();
  b.appendSample(Labels.fromStrings("__name__", "up", "i", "0", "job", "j"), 1_700_000_000_000, 1);
  b.appendSample(Labels.fromStrings("__name__", "temp", "i", "1"), 1_700_000_000_000, -2.5);
  b.appendSample(Labels.fromStrings("__name__", "temp", "i", "1"), 1_700_000_001_000, 0);
  b.appendStaleMarker(Labels.fromStrings("__name__", "gone", "i", "2"), 1_700_000_002_000);
  b.appendSample(Labels.fromStrings("__name__", "dropped_metric", "i", "3"), 1_700_000_000_000, 7);
  await push("in", b);
  await waitFor(() => srv.accepted().length >= 4, 5000, "4 samples");
  const req = srv.requests[0]!;
  expect(req.headers.get("content-encoding")).toBe("snappy");
  expect(req.headers.get("content-type")).toBe("application/x-protobuf");
  expect(req.headers.get("x-prometheus-remote-write-version")).toBe("0.1.0");
  expect(req.headers.get("user-agent")).toMatch(/^Alloy\/v\d+\.\d+\.\d+/);
  expect(req.headers.get("x-scope-orgid")).toBe("tenant-1");
  expect(req.headers.get("authorization")).toBe(`Basic ${btoa("u:p")}`);

  // The library's decoder.
  const got = srv.accepted().map((s) => ({ ...s, v: Number.isNaN(s.v) ? "NaN" : s.v }));
  expect(got).toContainEqual({ labels: { __name__: "up", cluster: "c1", i: "0", job: "j" }, t: 1_700_000_000_000, v: 1 });
  expect(got).toContainEqual({ labels: { __name__: "temp", cluster: "c1", i: "1" }, t: 1_700_000_001_000, v: 0 });
  expect(got.some((s) => s.labels.__name__ === "dropped_metric")).toBe(false);

  // An independent decode path: protobuf-es's generated types, staleness marker bits included.
  const all = srv.requests.flatMap((r) => decodeWithProtobufES(r.body).timeseries);
  const temp = all.find((ts) => ts.labels.some((l) => l.name === "__name__" && l.value === "temp"))!;
  expect(temp.labels.map((l) => [l.name, l.value])).toEqual([
    ["__name__", "temp"],
    ["cluster", "c1"],
    ["i", "1"],
  ]);
  expect(temp.samples.map((s) => [Number(s.timestamp), s.value])).toEqual([
    [1_700_000_000_000, -2.5],
    [1_700_000_001_000, 0],
  ]);
  const gone = all.find((ts) => ts.labels.some((l) => l.value === "gone"))!;
  expect(Number.isNaN(gone.samples[0]!.value)).toBe(true);
  // protobuf-es reads doubles through a DataView, which may canonicalise NaN: look at the raw bytes instead.
  const raw = srv.requests.map((r) => Buffer.from(snappyDecompress(r.body)).toString("hex")).join("");
  expect(raw).toContain("090200000000" + "00f07f");
  expect(isStaleBytes(new Uint8Array([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]), 0)).toBe(true);

  let metrics = "";
  await waitFor(async () => {
    metrics = await rt!.env.hub.metrics();
    return metricValue(metrics, "prometheus_remote_storage_samples_total") === 4;
  }, 5000, "samples_total to count the acknowledged samples");
  expect(metricValue(metrics, "prometheus_remote_storage_samples_total", `url="${srv.url}"`)).toBe(4);
  expect(metricValue(metrics, "prometheus_remote_storage_samples_dropped_total")).toBe(1);
  expect(metricValue(metrics, "prometheus_remote_storage_samples_in_total")).toBe(5);
  expect(metricValue(metrics, "prometheus_remote_write_wal_storage_active_series")).toBe(4);
  expect(metricValue(metrics, "prometheus_remote_storage_bytes_total")).toBeGreaterThan(0);
});

async function metricsOf(r: TestRuntime): Promise<string> {
  return r.env.hub.metrics();
}

test("retries 5xx with exponential backoff from min_backoff, then delivers", async () => {
  const srv = fake();
  srv.respond = (_req, n) => new Response("overloaded", { status: n < 3 ? 503 : 204 });
  rt = await start(config(srv.url));
  await push("in", counterBatch("retry_me", 3, 1_700_000_000_000));
  await waitFor(() => srv.accepted().length === 3, 5000, "delivery after retries");
  const at = srv.requests.map((r) => r.at);
  expect(srv.requests.map((r) => r.status)).toEqual([503, 503, 503, 204]);
  // Backoff 20ms, 40ms, 80ms (min_backoff doubling); allow for timer slack below.
  expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(15);
  expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(35);
  expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(70);
  await waitFor(async () => metricValue(await metricsOf(rt!), "prometheus_remote_storage_samples_retried_total") === 9, 3000, "retried count");
  expect(metricValue(await metricsOf(rt), "prometheus_remote_storage_samples_failed_total")).toBe(0);
});

test("429 is retried after the server's Retry-After; with retry_on_http_429 = false it fails", async () => {
  const srv = fake();
  srv.respond = (_req, n) => (n === 0 ? new Response("slow down", { status: 429, headers: { "Retry-After": "1" } }) : new Response(null, { status: 204 }));
  rt = await start(config(srv.url));
  await push("in", counterBatch("limited", 2, 1_700_000_000_000));
  await waitFor(() => srv.accepted().length === 2, 5000, "delivery after Retry-After");
  expect(srv.requests[1]!.at - srv.requests[0]!.at).toBeGreaterThanOrEqual(950);
  await rt.stop();

  const srv2 = fake();
  srv2.respond = () => new Response("slow down", { status: 429 });
  rt = await start(config(srv2.url).replace('min_backoff = "20ms"', 'min_backoff = "20ms"\n      retry_on_http_429 = false'));
  await push("in", counterBatch("limited", 2, 1_700_000_000_000));
  await waitFor(async () => metricValue(await metricsOf(rt!), "prometheus_remote_storage_samples_failed_total") === 2, 5000, "failed count");
  expect(srv2.requests.length).toBe(1);
});

test("4xx other than 429 is not retried: the samples count as failed and later data still goes out", async () => {
  const srv = fake();
  srv.respond = (_req, n) => (n === 0 ? new Response("out of order sample", { status: 400 }) : new Response(null, { status: 204 }));
  rt = await start(config(srv.url));
  await push("in", counterBatch("bad", 4, 1_700_000_000_000));
  await waitFor(async () => metricValue(await metricsOf(rt!), "prometheus_remote_storage_samples_failed_total") === 4, 5000, "failed count");
  await push("in", counterBatch("good", 2, 1_700_000_001_000));
  await waitFor(() => srv.accepted().length === 2, 5000, "later batch");
  expect(srv.requests.length).toBe(2);
  expect(metricValue(await metricsOf(rt), "prometheus_remote_storage_samples_retried_total")).toBe(0);
  expect(rt.logLines.some((l) => l.includes("non-recoverable error") && l.includes("out of order sample"))).toBe(true);
});

test("data accepted during an outage of the endpoint is sent when it comes back", async () => {
  const srv = fake();
  await srv.stop();
  rt = await start(config(srv.url));
  for (let i = 0; i < 20; i++) await push("in", counterBatch("during_outage", 50, 1_700_000_000_000 + i * 1000, () => i));
  await waitFor(async () => (metricValue(await metricsOf(rt!), "prometheus_remote_storage_samples_retried_total") ?? 0) > 0, 5000, "retries during the outage");
  srv.restart();
  await waitFor(() => srv.accepted().length >= 1000, 10_000, "catch-up after the outage");
  const got = srv.accepted();
  expect(got.length).toBe(1000);
  expect(new Set(got.map((s) => `${s.labels.i}@${s.t}`)).size).toBe(1000);
});

test("reshards upward when sending cannot keep up with the incoming rate", async () => {
  const { tuning } = await import("../../../src/components/prometheus/remote_write/index.ts");
  tuning.shardUpdateIntervalMs = 300;
  try {
    const srv = fake();
    // A slow endpoint (40 ms per request) is the scenario: sending cannot keep up.
    srv.respond = async () => {
      await Bun.sleep(40);
      return new Response(null, { status: 204 });
    };
    rt = await start(config(srv.url).replace('batch_send_deadline = "50ms"', 'batch_send_deadline = "50ms"\n      max_samples_per_send = 50\n      max_shards = 8'));
    let t = 1_700_000_000_000;
    let shards = 1;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && shards <= 1) {
      await push("in", counterBatch("load", 500, (t += 1000)));
      // Paces the load loop, which polls the shard count.
      await Bun.sleep(20);
      shards = metricValue(await metricsOf(rt), "prometheus_remote_storage_shards") ?? 1;
    }
    expect(shards).toBeGreaterThan(1);
    expect(metricValue(await metricsOf(rt), "prometheus_remote_storage_shards_desired")).toBeGreaterThan(1);
    expect(rt.logLines.some((l) => l.includes("Remote storage resharding"))).toBe(true);
  } finally {
    tuning.shardUpdateIntervalMs = undefined;
  }
});

test("data in the WAL survives a restart: stopped before sending, started again with the same storage path, everything arrives once", async () => {
  const storage = tempDir("alloy-rw-restart-");
  const down = fake();
  down.respond = () => new Response("down", { status: 503 });
  rt = await start(config(down.url), storage);
  for (let i = 0; i < 5; i++) await push("in", counterBatch("restart", 100, 1_700_000_000_000 + i * 1000, () => i));
  await rt.stop();
  rt = undefined;
  expect(down.accepted().length).toBe(0);

  // Same endpoint name keeps the queue's progress; the URL moves to a working server.
  const up = fake();
  const named = (url: string) => config(url, `    name = "main"`);
  rt = await start(named(down.url), storage);
  await rt.stop();
  rt = await start(named(up.url), storage);
  await waitFor(() => up.accepted().length >= 500, 10_000, "replayed samples");
  await push("in", counterBatch("restart", 100, 1_700_000_005_000, () => 5));
  await waitFor(() => up.accepted().length >= 600, 5000, "new samples");
  // Stop only once the sender saw the acknowledgement (a send cut short is resent, by design).
  await waitFor(async () => metricValue(await metricsOf(rt!), "prometheus_remote_storage_samples_total") === 600, 5000, "acknowledged");
  await rt.stop();
  // A third start sends nothing again: progress was kept.
  rt = await start(named(up.url), storage);
  await caughtUp(rt, storage);
  expect(up.accepted().length).toBe(600);
  expect(new Set(up.accepted().map((s) => `${s.labels.i}@${s.t}`)).size).toBe(600);
});

function walDir(storage: string): string {
  return join(storage, "prometheus.remote_write.out", "wal");
}

/** Valid records in the WAL segments after the newest checkpoint: what a watcher reads once caught up. */
function walRecords(storage: string): number {
  const dir = walDir(storage);
  const names = readdirSync(dir);
  const checkpoints = names.filter((n) => /^checkpoint\.\d+$/.test(n)).map((n) => Number(n.slice("checkpoint.".length)));
  const after = Math.max(-1, ...checkpoints);
  let n = 0;
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) <= after) continue;
    const file = join(dir, name);
    n += scanSegment(new Uint8Array(readFileSync(file)), file, 0, true).records.length;
  }
  return n;
}

/**
 * Waits until prometheus.remote_write.out has read every record now in its WAL and
 * has nothing left to send: whatever it was going to send has then been sent.
 */
async function caughtUp(r: TestRuntime, storage: string): Promise<void> {
  const want = walRecords(storage);
  await waitFor(
    async () => {
      const read = metricValue(await metricsOf(r), "prometheus_wal_watcher_records_read_total") ?? 0;
      const info = JSON.stringify(r.component("prometheus.remote_write.out")?.debugInfo ?? []);
      const pending = [...info.matchAll(/"key":"pending_samples","value":\{"type":"number","value":(\d+)\}/g)].map((m) => Number(m[1]));
      return read >= want && pending.length > 0 && pending.every((p) => p === 0);
    },
    5000,
    `the queue to read all ${want} WAL records and finish sending`,
  );
}

test("a corrupted WAL segment is reported in logs and metrics, and the rest is still sent", async () => {
  const storage = tempDir("alloy-rw-corrupt-");
  const down = fake();
  down.respond = () => new Response("down", { status: 503 });
  const named = (url: string) => config(url, `    name = "main"`);
  rt = await start(named(down.url), storage);
  for (let i = 0; i < 3; i++) await push("in", counterBatch("corrupt", 10, 1_700_000_000_000 + i * 1000, () => i));
  await rt.stop();
  rt = undefined;

  // Records in order: series, samples ×3. Flip bytes inside the second samples record.
  const segs = readdirSync(walDir(storage)).filter((n) => /^\d+$/.test(n)).sort();
  const file = join(walDir(storage), segs[0]!);
  const bytes = new Uint8Array(readFileSync(file));
  const { records } = scanSegment(bytes, file, 0, true);
  expect(records.length).toBe(4);
  const victim = records[2]!;
  bytes[victim.offset + 12] = bytes[victim.offset + 12]! ^ 0xff;
  bytes[victim.offset + 20] = bytes[victim.offset + 20]! ^ 0xff;
  writeFileSync(file, bytes);

  const up = fake();
  rt = await start(named(up.url), storage);
  await waitFor(() => up.accepted().length >= 20, 5000, "the undamaged samples");
  await caughtUp(rt, storage);
  const values = up.accepted().map((s) => s.v);
  expect(values.filter((v) => v === 0).length).toBe(10);
  expect(values.filter((v) => v === 1).length).toBe(0);
  expect(values.filter((v) => v === 2).length).toBe(10);
  expect(rt.logLines.some((l) => l.includes("WAL corruption") && l.includes(file))).toBe(true);
  expect(metricValue(await metricsOf(rt), "prometheus_tsdb_wal_corruptions_total")).toBeGreaterThanOrEqual(1);
});

test("WAL truncation checkpoints what the queue finished and keeps what it has not sent", async () => {
  const storage = tempDir("alloy-rw-truncate-");
  const srv = fake();
  let down = false;
  srv.respond = () => new Response(null, { status: down ? 503 : 204 });
  const cfg = (url: string) =>
    config(url, `    name = "main"`, `  wal {\n    truncate_frequency = "100ms"\n    min_keepalive_time = "0s"\n    max_keepalive_time = "1h"\n  }`);
  rt = await start(cfg(srv.url), storage);
  for (let i = 0; i < 5; i++) await push("in", counterBatch("trunc", 20, Date.now() - 10_000 + i, () => i));
  await waitFor(() => srv.accepted().length >= 100, 5000, "first data");
  await waitFor(() => readdirSync(walDir(storage)).some((n) => n.startsWith("checkpoint.")), 5000, "a checkpoint");
  down = true;
  for (let i = 5; i < 10; i++) await push("in", counterBatch("trunc", 20, Date.now() - 10_000 + i, () => i));
  // Several truncation rounds pass while the endpoint refuses.
  await waitFor(async () => (metricValue(await metricsOf(rt!), "prometheus_tsdb_wal_truncations_total") ?? 0) >= 10, 5000, "truncation rounds");
  down = false;
  await waitFor(() => srv.accepted().length >= 200, 10_000, "data held back during the refusal");
  expect(new Set(srv.accepted().map((s) => s.v)).size).toBe(10);
  await waitFor(async () => metricValue(await metricsOf(rt!), "prometheus_remote_storage_samples_total") === 200, 5000, "acknowledged");
  await rt.stop();

  // After a restart, series come from the checkpoint: new samples of old series still go out, nothing is resent.
  rt = await start(cfg(srv.url), storage);
  await push("in", counterBatch("trunc", 20, Date.now(), () => 42));
  await waitFor(() => srv.accepted().length >= 220, 5000, "new samples after restart");
  await caughtUp(rt, storage);
  expect(srv.accepted().length).toBe(220);
  expect(srv.accepted().slice(-20).every((s) => s.v === 42 && s.labels.__name__ === "trunc")).toBe(true);
});

test("reload with a changed endpoint keeps the WAL and sends the unsent data to the new URL", async () => {
  const down = fake();
  down.respond = () => new Response("down", { status: 503 });
  const up = fake();
  const named = (url: string) => config(url, `    name = "main"`);
  rt = await start(named(down.url));
  await push("in", counterBatch("reload", 30, 1_700_000_000_000));
  await waitFor(() => down.requests.length > 0, 5000, "a refused attempt");
  const res = await rt.load([{ name: "main.alloy", text: named(up.url) }]);
  expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  await waitFor(() => up.accepted().length >= 30, 5000, "unsent data at the new URL");
  await push("in", counterBatch("reload", 30, 1_700_000_001_000));
  await waitFor(() => up.accepted().length >= 60, 5000, "new data");
});
