// A chain of real processes: Prometheus A scrapes a target and remote-writes to our
// prometheus.receive_http → prometheus.relabel (adds one label, drops another) →
// prometheus.remote_write → Prometheus B (remote-write receiver). What B stores
// must be what A stored, relabeled. Then bad input to receive_http on the binary.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RemoteWriteEncoder } from "../../../src/telemetry/prometheus/remotewrite/http.ts";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { snappyCompress } from "../../../wasm/snappy.ts";
import { AlloyRun, canRunPeers, freePort, PrometheusProcess, until, type PromResult } from "./remote_write_peers.ts";

setDefaultTimeout(120_000);

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));

async function startChain(dir: string) {
  let n = 0;
  const target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => new Response(`# TYPE chain_counter counter\nchain_counter{dropme="x",k="1"} ${++n}\n# TYPE chain_gauge gauge\nchain_gauge{k="2"} 42.5\n`),
  });
  cleanup.push(() => target.stop(true));
  const b = await PrometheusProcess.start(join(dir, "b"), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver"]);
  cleanup.push(() => b.kill());
  const receivePort = await freePort();
  const cfg = join(dir, "chain.alloy");
  writeFileSync(
    cfg,
    `prometheus.receive_http "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${receivePort}
  }
  forward_to = [prometheus.relabel.r.receiver]
}
prometheus.relabel "r" {
  forward_to = [prometheus.remote_write.out.receiver]
  rule {
    target_label = "chain"
    replacement = "alloy"
  }
  rule {
    regex = "dropme"
    action = "labeldrop"
  }
}
prometheus.remote_write "out" {
  endpoint {
    url = "${b.base}/api/v1/write"
    queue_config {
      batch_send_deadline = "500ms"
    }
  }
}
`,
  );
  const alloy = await AlloyRun.start(cfg, join(dir, "alloy-data"));
  cleanup.push(() => alloy.kill("SIGKILL"));
  await alloy.baseURL();
  await until(async () => (await fetch(`http://127.0.0.1:${receivePort}/api/v1/metrics/write`)).status === 405, 20_000, "receive_http to listen");
  const a = await PrometheusProcess.start(
    join(dir, "a"),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: chain
    static_configs:
      - targets: ["127.0.0.1:${target.port}"]
remote_write:
  - url: http://127.0.0.1:${receivePort}/api/v1/metrics/write
    queue_config:
      batch_send_deadline: 500ms
      min_backoff: 50ms
`,
  );
  cleanup.push(() => a.kill());
  return { a, b, alloy, receivePort };
}

test.skipIf(!canRunPeers)("Prometheus → receive_http → relabel → remote_write → Prometheus: series and samples arrive intact and relabeled", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-chain-"));
  const { a, b, alloy } = await startChain(dir);
  await until(async () => (await b.query('chain_counter{chain="alloy"}')).length === 1, 60_000, `relabeled series at B\n${alloy.stderr.slice(-3000)}`);

  // Compare raw samples over a window that ends now, once B holds a sample stamped after it.
  const at = Date.now();
  await until(
    async () => (await b.query('timestamp(chain_counter{chain="alloy"})')).some((r) => Number(r.value?.[1]) * 1000 > at),
    60_000,
    "B to hold a sample newer than the compared window",
  );
  const sel = '{__name__=~"chain_.*|up|scrape_.*"}[20s]';
  let fromA: PromResult[] = [];
  let fromB: PromResult[] = [];
  await until(
    async () => {
      fromA = await a.query(sel, at);
      fromB = await b.query(sel, at);
      const count = (r: PromResult[]) => r.reduce((n, s) => n + (s.values?.length ?? 0), 0);
      return fromA.length > 0 && count(fromA) === count(fromB);
    },
    30_000,
    "B to hold every sample A holds in the window",
    500,
  );
  const expected = new Map(
    fromA.map((s) => {
      const { dropme: _dropped, ...rest } = s.metric;
      return [key({ ...rest, chain: "alloy" }), s.values];
    }),
  );
  const got = new Map(fromB.map((s) => [key(s.metric), s.values]));
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, v] of expected) expect({ series: k, values: got.get(k) }).toEqual({ series: k, values: v });
  expect(fromB.some((s) => s.metric.dropme !== undefined)).toBe(false);
  expect(fromB.find((s) => s.metric.__name__ === "chain_gauge")!.values!.every(([, v]) => v === "42.5")).toBe(true);

  // Our remote_write counted what it sent, under Prometheus's metric names.
  const metrics = await alloy.metrics();
  expect(metrics).toMatch(/prometheus_remote_storage_samples_total\{[^}]*component_id="prometheus.remote_write.out"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/prometheus_receive_http_request_duration_seconds_count\{[^}]*status_code="204"[^}]*\} [1-9]/);
});

test.skipIf(!canRunPeers)("bad input to receive_http on the binary gets 4xx, the process stays up, good requests still succeed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-badinput-"));
  const b = await PrometheusProcess.start(join(dir, "b"), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver"]);
  cleanup.push(() => b.kill());
  const port = await freePort();
  const cfg = join(dir, "in.alloy");
  writeFileSync(
    cfg,
    `prometheus.receive_http "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${port}
  }
  forward_to = [prometheus.remote_write.out.receiver]
}
prometheus.remote_write "out" {
  endpoint {
    url = "${b.base}/api/v1/write"
    queue_config {
      batch_send_deadline = "200ms"
    }
  }
}
`,
  );
  const alloy = await AlloyRun.start(cfg, join(dir, "data"));
  cleanup.push(() => alloy.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}/api/v1/metrics/write`;
  await until(async () => (await fetch(url)).status === 405, 20_000, "receive_http to listen");
  const headers = { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy" };
  const good = () => {
    const batch = new MetricsBatch();
    batch.appendSample(Labels.fromStrings("__name__", "pushed_total", "src", "e2e"), Date.now(), 7);
    return new RemoteWriteEncoder().encode(batch).body;
  };
  const post = (body: Uint8Array | string) => fetch(url, { method: "POST", body: body as BodyInit, headers });

  const garbage = await post("definitely not a remote write request");
  expect(garbage.status).toBe(400);
  const full = good();
  expect((await post(full.subarray(0, full.length - 3))).status).toBe(400);
  const notAWriteRequest = snappyCompress(new Uint8Array([0x08, 0x96, 0x01, 0x0a, 0xff, 0x01]));
  const wrong = await post(notAWriteRequest);
  expect(wrong.status).toBe(400);
  expect(await wrong.text()).not.toBe("");
  expect((await post(new Uint8Array(40 * 1024 * 1024))).status).toBe(413);

  expect(alloy.proc.exitCode).toBeNull();
  expect((await post(good())).status).toBe(204);
  await until(async () => (await b.query('pushed_total{src="e2e"}')).length === 1, 30_000, "the good sample at Prometheus");
});
