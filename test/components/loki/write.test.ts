import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { newEntry, type Entry } from "../../../src/telemetry/loki/entry.ts";
import { PushSink } from "../../e2e/loki/push_sink.ts";
import { lokiTestComponents } from "../../e2e/loki/test_components.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
const sinks: PushSink[] = [];
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  for (const s of sinks.splice(0)) s.stop();
});

function sink(): PushSink {
  const s = new PushSink();
  sinks.push(s);
  return s;
}

async function pipeline(endpointBody: string, extra = ""): Promise<ReturnType<typeof lokiTestComponents>> {
  const t = lokiTestComponents();
  rt = testRuntime({ extra: [...components, ...t.defs] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `testloki.sender "in" { forward_to = [loki.write.w.receiver] }\nloki.write "w" {\n  endpoint {\n${endpointBody}\n  }\n${extra}\n}\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  return t;
}

/** Waits until loki.write has counted `n` entries as dropped for `reason`: it is then done with them, retries included. */
const dropped = (reason: string, n: number) => {
  const re = new RegExp(`loki_write_dropped_entries_total\\{[^}]*reason="${reason}"[^}]*\\} ${n}\\b`);
  return waitFor(async () => re.test(await rt!.env.hub.metrics()), 5000, `${n} entries dropped (${reason})`);
};

const entries = (n: number, labels: Record<string, string> = { job: "a" }, from = 0): Entry[] =>
  Array.from({ length: n }, (_, i) => newEntry(labels, 1_700_000_000_000_000_000n + BigInt(from + i), `line ${from + i}`));

test("loki.write batches entries per stream and pushes snappy protobuf that an independent decoder reads back", async () => {
  const s = sink();
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "50ms"\n    tenant_id = "t1"\n    headers = { "X-Test" = "yes" }`, `  external_labels = { cluster = "c1", job = "ignored" }`);
  await t.senders.get("testloki.sender.in")!.send([...entries(3), ...entries(2, { job: "b" }, 3)]);
  await waitFor(() => s.lines().length === 5, 5000, "5 lines");
  const r = s.delivered[0]!;
  expect(r.tenant).toBe("t1");
  expect(r.contentType).toBe("application/x-protobuf");
  expect(r.headers.get("x-test")).toBe("yes");
  expect(r.headers.get("user-agent")).toMatch(/^Alloy\//);
  expect(s.lines()).toEqual([
    { labels: { cluster: "c1", job: "a" }, line: "line 0", ts: 1_700_000_000_000_000_000n },
    { labels: { cluster: "c1", job: "a" }, line: "line 1", ts: 1_700_000_000_000_000_001n },
    { labels: { cluster: "c1", job: "a" }, line: "line 2", ts: 1_700_000_000_000_000_002n },
    { labels: { cluster: "c1", job: "b" }, line: "line 3", ts: 1_700_000_000_000_000_003n },
    { labels: { cluster: "c1", job: "b" }, line: "line 4", ts: 1_700_000_000_000_000_004n },
  ]);
});

test("loki.write sends a batch as soon as batch_size is reached and splits tenants by __tenant_id__", async () => {
  const s = sink();
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "1h"\n    batch_size = "100B"`);
  const send = t.senders.get("testloki.sender.in")!;
  await send.send([...entries(30), newEntry({ job: "x", __tenant_id__: "other" }, 1n, "tenant line")]);
  // 30 lines of ~7 bytes exceed 100B more than once; the rest waits for batch_wait (1h).
  await waitFor(() => s.delivered.length >= 2, 5000, "two full batches");
  for (const r of s.delivered) expect(r.tenant).toBeNull();
  const got = s.lines().map((l) => l.line);
  expect(got).toEqual(got.map((_, i) => `line ${i}`));
  expect(s.lines().some((l) => l.line === "tenant line")).toBe(false);
});

test("loki.write retries 5xx and 429 with backoff and does not retry other 4xx", async () => {
  const s = sink();
  s.respond = (n) => [500, 429, 503][n] ?? 204;
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "10ms"\n    min_backoff_period = "20ms"\n    max_backoff_period = "100ms"`);
  const send = t.senders.get("testloki.sender.in")!;
  const started = Date.now();
  await send.send(entries(4));
  await waitFor(() => s.delivered.length === 1, 5000, "delivery after retries");
  // Three waits of at least 20, 40 and 80 ms.
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  expect(s.attempts).toBe(4);
  expect(s.lines().map((l) => l.line)).toEqual(["line 0", "line 1", "line 2", "line 3"]);

  s.respond = () => 400;
  await send.send(entries(2, { job: "bad" }, 100));
  await waitFor(() => s.attempts === 5, 5000, "the 400 attempt");
  await dropped("ingester_error", 2);
  expect(s.attempts).toBe(5);
});

test("loki.write exposes Alloy's client metrics", async () => {
  const s = sink();
  s.respond = (n) => (n === 0 ? 500 : 204);
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "10ms"\n    min_backoff_period = "10ms"`);
  await t.senders.get("testloki.sender.in")!.send(entries(3));
  await waitFor(() => s.delivered.length === 1, 5000, "delivery");
  const host = new URL(s.url).host;
  // The sink records a push before the client has read the answer and counted it.
  const sent = new RegExp(`loki_write_sent_entries_total\\{[^}]*host="${host}"[^}]*\\} 3`);
  await waitFor(async () => sent.test(await rt!.env.hub.metrics()), 5000, "sent entries counted");
  const text = await rt!.env.hub.metrics();
  expect(text).toMatch(new RegExp(`loki_write_batch_retries_total\\{[^}]*host="${host}"[^}]*\\} 1`));
  expect(text).toContain("loki_write_request_duration_seconds_bucket");
  expect(text).toMatch(/loki_write_sent_bytes_total\{[^}]*\} [1-9]/);
});

test("loki.write drops after max_backoff_retries and counts the drop", async () => {
  const s = sink();
  s.respond = () => 503;
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "10ms"\n    min_backoff_period = "5ms"\n    max_backoff_period = "10ms"\n    max_backoff_retries = 3`);
  await t.senders.get("testloki.sender.in")!.send(entries(2));
  await waitFor(() => s.attempts === 4, 5000, "first try plus 3 retries");
  await dropped("ingester_error", 2);
  expect(s.attempts).toBe(4);
  // The next batch is tried afresh.
  s.respond = () => 204;
  await t.senders.get("testloki.sender.in")!.send(entries(1, { job: "a" }, 10));
  await waitFor(() => s.delivered.length === 1, 5000, "later batch");
  expect(s.lines().map((l) => l.line)).toEqual(["line 10"]);
});

test("loki.write loses nothing across an outage shorter than its retry budget", async () => {
  const outageMs = Number(process.env.LOKI_OUTAGE_MS ?? "3000");
  const s = sink();
  let down = false;
  s.respond = () => (down ? 503 : 204);
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "20ms"\n    batch_size = "2KiB"\n    min_backoff_period = "50ms"\n    max_backoff_period = "2s"\n    max_backoff_retries = 0`);
  const send = t.senders.get("testloki.sender.in")!;
  let n = 0;
  const stopAt = Date.now() + outageMs + 1000;
  const producer = (async () => {
    while (Date.now() < stopAt) {
      await send.send(entries(10, { job: "a" }, n));
      n += 10;
      // A steady producer: 10 entries every few milliseconds.
      await Bun.sleep(5);
    }
  })();
  await waitFor(() => s.lines().length > 0, 5000, "deliveries before the outage");
  down = true;
  // The outage itself: the endpoint answers 503 for this long.
  await Bun.sleep(outageMs);
  down = false;
  await producer;
  await waitFor(() => s.lines().length >= n, outageMs + 30_000, "everything after the outage");
  const got = s.lines().map((l) => l.line);
  expect(got.length).toBe(n);
  expect(got).toEqual(Array.from({ length: n }, (_, i) => `line ${i}`));
}, 200_000);

test("loki.write encodes unicode lines, empty lines, structured metadata and edge timestamps exactly", async () => {
  const s = sink();
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "10ms"`);
  const sent = [
    newEntry({ job: "u" }, 1_700_000_000_123_456_789n, "héllo ✓ 𝄞", [{ name: "trace_id", value: "abc" }, { name: "k", value: "" }]),
    newEntry({ job: "u" }, 0n, ""),
    newEntry({ job: "u" }, -1_500_000_000n, "before the epoch"),
    newEntry({ job: "u" }, 5n, "x".repeat(300_000)),
  ];
  await t.senders.get("testloki.sender.in")!.send(sent);
  await waitFor(() => s.lines().length === 4, 5000, "4 lines");
  const streams = s.delivered.flatMap((r) => r.streams);
  const got = streams.flatMap((st) => st.entries);
  expect(got.map((e) => e.line)).toEqual(sent.map((e) => e.line));
  expect(got.map((e) => e.ts)).toEqual(sent.map((e) => e.timestamp));
  expect(got[0]!.metadata).toEqual([["trace_id", "abc"], ["k", ""]]);
  expect(streams[0]!.labels).toBe('{job="u"}');
});

test("loki.write with the wal block keeps accepted entries across a restart while the endpoint is down", async () => {
  const s = sink();
  s.respond = () => 503;
  const storage = (await import("../../runtime/helpers.ts")).tempDir();
  const cfg = (url: string) => `    url = "${url}"\n    batch_wait = "10ms"\n    min_backoff_period = "10ms"\n    max_backoff_period = "50ms"\n    max_backoff_retries = 0\n    queue_config {\n      drain_timeout = "100ms"\n    }`;
  const start = async () => {
    const t = lokiTestComponents();
    rt = testRuntime({ extra: [...components, ...t.defs], storagePath: storage });
    const res = await rt.load([
      { name: "main.alloy", text: `testloki.sender "in" { forward_to = [loki.write.w.receiver] }\nloki.write "w" {\n  endpoint {\n${cfg(s.url)}\n  }\n  wal {\n    enabled = true\n  }\n}\n` },
    ]);
    expect(res.diagnostics).toEqual([]);
    return t;
  };
  let t = await start();
  await t.senders.get("testloki.sender.in")!.send([...entries(3), newEntry({ job: "m" }, 7n, "with metadata", [{ name: "trace_id", value: "x" }])]);
  await waitFor(() => s.attempts >= 2, 5000, "failing attempts");
  await rt!.stop();
  rt = undefined;
  expect(s.delivered.length).toBe(0);
  s.respond = () => 204;
  t = await start();
  await waitFor(() => s.lines().length === 4, 5000, "replayed entries");
  expect(s.lines().map((l) => l.line)).toEqual(["line 0", "line 1", "line 2", "with metadata"]);
  expect(s.delivered.flatMap((r) => r.streams).flatMap((st) => st.entries).at(-1)!.metadata).toEqual([["trace_id", "x"]]);
  // Once sent, nothing is replayed again.
  await t.senders.get("testloki.sender.in")!.send(entries(1, { job: "a" }, 50));
  await waitFor(() => s.lines().length === 5, 5000, "new entry");
  await rt!.stop();
  rt = undefined;
  t = await start();
  // Replayed entries would be queued before anything sent after the start, so they would arrive first.
  await t.senders.get("testloki.sender.in")!.send(entries(1, { job: "a" }, 60));
  await waitFor(() => s.lines().length >= 6, 5000, "entry sent after the second restart");
  expect(s.lines().map((l) => l.line)).toEqual(["line 0", "line 1", "line 2", "with metadata", "line 50", "line 60"]);
}, 30_000);

test("loki.write keeps interleaved tenants and streams apart and limits the streams of a batch with max_streams", async () => {
  const s = sink();
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "50ms"`, `  max_streams = 2`);
  const e = (job: string, tenant: string, line: string) => newEntry({ job, __tenant_id__: tenant }, 1n, line);
  await t.senders.get("testloki.sender.in")!.send([
    e("a", "t1", "a1"),
    e("b", "t2", "b1"),
    e("a", "t1", "a2"),
    e("c", "t1", "c1"),
    e("d", "t1", "d1"),
    e("b", "t2", "b2"),
    e("a", "t1", "a3"),
  ]);
  await waitFor(() => s.lines().length === 6, 5000, "6 lines");
  await dropped("stream_limited", 1);
  const byTenant = (tenant: string) => s.delivered.filter((r) => r.tenant === tenant).flatMap((r) => r.streams.map((st) => [st.labels, st.entries.map((x) => x.line)]));
  expect(byTenant("t1")).toEqual([['{job="a"}', ["a1", "a2", "a3"]], ['{job="c"}', ["c1"]]]);
  expect(byTenant("t2")).toEqual([['{job="b"}', ["b1", "b2"]]]);
});

test("loki.write without block_on_overflow drops what does not fit in queue_config.capacity", async () => {
  const s = sink();
  const t = await pipeline(`    url = "${s.url}"\n    batch_wait = "50ms"\n    queue_config {\n      capacity = "20B"\n      block_on_overflow = false\n    }`);
  // "line 0".."line 2" are 6 bytes each: three fit in 20 bytes, the fourth does not.
  await t.senders.get("testloki.sender.in")!.send(entries(4));
  await dropped("queue_full", 1);
  await waitFor(() => s.lines().length === 3, 5000, "3 lines");
  expect(s.lines().map((l) => l.line)).toEqual(["line 0", "line 1", "line 2"]);
});
