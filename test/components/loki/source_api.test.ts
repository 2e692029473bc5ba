import { afterEach, expect, test } from "bun:test";
import pino from "pino";
import { pinoLoki } from "pino-loki";
import { gzipSync } from "node:zlib";
import { components } from "../../../src/components/index.ts";
import { encodeSnappyPush } from "../../../src/telemetry/loki/push.ts";
import { lokiTestComponents, type Collector } from "../../e2e/loki/test_components.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function freePort(): Promise<number> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const p = s.port!;
  await s.stop(true);
  return p;
}

async function api(extra = ""): Promise<{ c: Collector; url: string }> {
  const port = await freePort();
  const t = lokiTestComponents();
  rt = testRuntime({ extra: [...components, ...t.defs] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `testloki.collector "out" {}
discovery.relabel "r" {
  targets = []
  rule {
    source_labels = ["drop_me"]
    regex = "yes"
    action = "drop"
  }
  rule {
    source_labels = ["app"]
    target_label = "service"
  }
}
loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${port}
  }
  labels = { source = "api" }
  relabel_rules = discovery.relabel.r.rules
  forward_to = [testloki.collector.out.receiver]
${extra}
}
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  return { c: t.collectors.get("testloki.collector.out")!, url: `http://127.0.0.1:${port}` };
}

test("loki.source.api takes pushes from pino-loki with configured labels and relabel rules", async () => {
  const { c, url } = await api(`  use_incoming_timestamp = true`);
  const stream = pinoLoki({ host: url, batching: false, labels: { app: "shop" }, silenceErrors: false });
  const log = pino({ level: "info" }, stream);
  const before = Date.now();
  log.info("hello from pino");
  log.warn({ orderId: 7 }, "second");
  await waitFor(() => c.entries.length === 2, 5000, "pino entries");
  const lines = c.entries.map((e) => JSON.parse(e.line) as { msg: string });
  expect(lines.map((l) => l.msg).sort()).toEqual(["hello from pino", "second"]);
  const l = { ...c.entries[0]!.labels };
  expect(l.app).toBe("shop");
  expect(l.service).toBe("shop");
  expect(l.source).toBe("api");
  const ms = Number(c.entries[0]!.timestamp / 1_000_000n);
  expect(Math.abs(ms - before)).toBeLessThan(5000);
});

test("loki.source.api accepts snappy protobuf, gzip JSON and raw lines; drops streams the rules drop", async () => {
  const { c, url } = await api(`  use_incoming_timestamp = true`);
  const proto = encodeSnappyPush([
    { labels: { job: "p" }, entries: [{ timestamp: 1_000_000_123n, line: "proto line", structuredMetadata: [{ name: "trace", value: "t1" }] }] },
    { labels: { job: "p", drop_me: "yes" }, entries: [{ timestamp: 1n, line: "dropped", structuredMetadata: [] }] },
  ]);
  let r = await fetch(`${url}/loki/api/v1/push`, { method: "POST", body: proto as BodyInit, headers: { "Content-Type": "application/x-protobuf" } });
  expect(r.status).toBe(204);
  const json = JSON.stringify({ streams: [{ stream: { job: "j" }, values: [["2000000000", "json line"]] }] });
  r = await fetch(`${url}/loki/api/v1/push`, { method: "POST", body: gzipSync(json), headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" } });
  expect(r.status).toBe(204);
  r = await fetch(`${url}/loki/api/v1/raw`, { method: "POST", body: "raw one\nraw two\n" });
  expect(r.status).toBe(204);
  expect((await fetch(`${url}/ready`)).status).toBe(200);
  await waitFor(() => c.entries.length === 4, 5000, "entries");
  expect(c.entries.map((e) => e.line)).toEqual(["proto line", "json line", "raw one", "raw two"]);
  expect(c.entries[0]!.timestamp).toBe(1_000_000_123n);
  expect(c.entries[0]!.structuredMetadata).toEqual([{ name: "trace", value: "t1" }]);
  expect(c.entries[1]!.timestamp).toBe(2_000_000_000n);
  expect({ ...c.entries[2]!.labels }).toEqual({ source: "api" });
});

test("loki.source.api without use_incoming_timestamp stamps entries with the receive time", async () => {
  const { c, url } = await api();
  const json = JSON.stringify({ streams: [{ stream: { job: "j" }, values: [["5", "old"]] }] });
  const r = await fetch(`${url}/loki/api/v1/push`, { method: "POST", body: json, headers: { "Content-Type": "application/json" } });
  expect(r.status).toBe(204);
  await waitFor(() => c.entries.length === 1, 5000, "entry");
  expect(Math.abs(Number(c.entries[0]!.timestamp / 1_000_000n) - Date.now())).toBeLessThan(5000);
});

test("loki.source.api answers bad payloads with 4xx and keeps serving", async () => {
  const { c, url } = await api(`  max_send_message_size = "12MiB"`);
  const post = (body: BodyInit | Uint8Array, headers: Record<string, string> = {}) => fetch(`${url}/loki/api/v1/push`, { method: "POST", body: body as BodyInit, headers });
  // Garbage protobuf inside valid snappy.
  const { snappyCompress } = await import("../../../wasm/snappy.ts");
  let r = await post(snappyCompress(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2])), { "Content-Type": "application/x-protobuf" });
  expect(r.status).toBe(400);
  expect(await r.text()).toMatch(/protobuf/);
  // Broken snappy.
  r = await post(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]), { "Content-Type": "application/x-protobuf" });
  expect(r.status).toBe(400);
  expect(await r.text()).toMatch(/snappy/);
  // Bad JSON.
  r = await post("{not json", { "Content-Type": "application/json" });
  expect(r.status).toBe(400);
  expect(await r.text()).toMatch(/JSON/);
  // Broken gzip.
  r = await post("nope", { "Content-Type": "application/json", "Content-Encoding": "gzip" });
  expect(r.status).toBe(400);
  // Too large.
  r = await post(new Uint8Array(13 * 1024 * 1024), { "Content-Type": "application/x-protobuf" });
  expect(r.status).toBe(413);
  // A small gzip body that inflates past the limit.
  r = await post(gzipSync(new Uint8Array(20 * 1024 * 1024)), { "Content-Type": "application/json", "Content-Encoding": "gzip" });
  expect(r.status).toBe(413);
  // Invalid UTF-8 is replaced, not rejected.
  const bad = new Uint8Array([...new TextEncoder().encode('{"streams":[{"stream":{"job":"u"},"values":[["1","a'), 0xff, ...new TextEncoder().encode('b"]]}]}')]);
  r = await post(bad, { "Content-Type": "application/json" });
  expect(r.status).toBe(204);
  // A 10 MiB line is accepted.
  const big = "y".repeat(10 * 1024 * 1024);
  r = await post(encodeSnappyPush([{ labels: { job: "big" }, entries: [{ timestamp: 1n, line: big, structuredMetadata: [] }] }]), { "Content-Type": "application/x-protobuf" });
  expect(r.status).toBe(204);
  expect((await fetch(`${url}/loki/api/v1/push`)).status).toBe(405);
  await waitFor(() => c.entries.length === 2, 5000, "good entries");
  expect(c.entries[0]!.line).toBe("a\uFFFDb");
  expect(c.entries[1]!.line.length).toBe(big.length);
  const metrics = await rt!.env.hub.metrics();
  expect(metrics).toMatch(/loki_source_api_request_duration_seconds_count\{[^}]*status_code="400"[^}]*\} 4/);
});
