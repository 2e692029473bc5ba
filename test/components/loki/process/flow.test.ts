import { afterEach, expect, test } from "bun:test";
import { waitFor } from "../../../runtime/helpers.ts";
import { entry, metricValue, processConfig, runStages, startHarness, type Harness } from "./harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function run(stages: string, entries: ReturnType<typeof entry>[]) {
  const r = await runStages(stages, entries);
  h = r.h;
  return r.out;
}

test("stage.drop: each criterion, combined criteria, and the dropped-lines counter per reason", async () => {
  const old = 1n;
  const now = BigInt(Date.now()) * 1_000_000n;
  const out = await run(
    `stage.regex { expression = "level=(?P<level>\\\\w+)" }
  stage.drop {
    source = "level"
    value  = "debug"
    drop_counter_reason = "debug_level"
  }
  stage.drop { expression = ".*healthcheck.*" }
  stage.drop {
    older_than = "1h"
    drop_counter_reason = "too_old"
  }
  stage.drop {
    longer_than = "20B"
    drop_counter_reason = "too_long"
  }
  stage.drop {
    source = "level,missing"
  }`,
    [
      entry("level=debug a", {}, now),
      entry("GET /healthcheck", {}, now),
      entry("level=info old", {}, old),
      entry("level=info this line is far too long", {}, now),
      entry("level=info kept", {}, now),
    ],
  );
  expect(out.map((e) => e.line)).toEqual(["level=info kept"]);
  const text = await h!.metrics();
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="debug_level"/)).toBe(1);
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="drop_stage"/)).toBe(1);
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="too_old"/)).toBe(1);
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="too_long"/)).toBe(1);
});

test("stage.drop with source and expression joins the values with the separator", async () => {
  const out = await run(
    `stage.logfmt { mapping = { a = "", b = "" } }
  stage.drop {
    source     = "a,b"
    separator  = "|"
    expression = "^x\\\\|y$"
  }`,
    [entry("a=x b=y"), entry("a=x b=z")],
  );
  expect(out.map((e) => e.line)).toEqual(["a=x b=z"]);
});

test("stage.match runs nested stages only on matching entries, nests further, and drop action drops", async () => {
  const out = await run(
    `stage.match {
    selector      = "{app=\\"loki\\"} |= \\"level\\""
    pipeline_name = "loki_pipeline"
    stage.logfmt { mapping = { level = "" } }
    stage.labels { values = { level = "" } }
    stage.match {
      selector = "{level=\\"error\\"}"
      stage.static_labels { values = { alert = "yes" } }
    }
  }
  stage.match {
    selector = "{app=\\"noisy\\"}"
    action   = "drop"
    drop_counter_reason = "noisy"
  }
  stage.match {
    selector = "{app=~\\"lo.*\\"} !~ \\"info\\""
    stage.static_labels { values = { not_info = "true" } }
  }`,
    [
      entry("level=error msg=a", { app: "loki" }),
      entry("level=info msg=b", { app: "loki" }),
      entry("msg=c", { app: "loki" }),
      entry("level=error", { app: "noisy" }),
      entry("level=error", { app: "other" }),
    ],
  );
  expect(out.map((e) => e.labels)).toEqual([
    { app: "loki", level: "error", alert: "yes", not_info: "true" },
    { app: "loki", level: "info" },
    { app: "loki", not_info: "true" },
    { app: "other" },
  ]);
  expect(metricValue(await h!.metrics(), /^loki_process_dropped_lines_total\{.*reason="noisy"/)).toBe(1);
});

test("stage.multiline joins blocks on firstline, at max_lines, and flushes a held block after max_wait_time", async () => {
  h = await startHarness(
    processConfig(`stage.multiline {
    firstline     = "^\\\\[\\\\d+\\\\]"
    max_lines     = 3
    max_wait_time = "100ms"
  }`),
  );
  await h.push([
    entry("no block yet", { s: "a" }),
    entry("[1] start", { s: "a" }, 10n),
    entry("  at line 1\n", { s: "a" }, 11n),
    entry("[2] second", { s: "a" }, 12n),
    entry("[3] first of three", { s: "b" }),
    entry("two", { s: "b" }),
    entry("three", { s: "b" }),
  ]);
  expect(h.received().map((e) => [e.line, e.timestamp])).toEqual([
    ["no block yet", 1_700_000_000_000_000_000n],
    ["[1] start\n  at line 1", 10n],
    ["[3] first of three\ntwo\nthree", 1_700_000_000_000_000_000n],
  ]);
  // "[2] second" is held until the wait time passes with no new line.
  await waitFor(() => h!.received().length === 4, 3000, "multiline timeout flush");
  expect(h.received()[3]!).toMatchObject({ line: "[2] second", timestamp: 12n, labels: { s: "a" } });
});

test("stage.metrics: counters, gauges and histograms appear in the component's metrics", async () => {
  await run(
    `stage.regex { expression = "^.* order_status=(?P<order_status>.*?) retries=(?P<retries>\\\\d+) took=(?P<took>\\\\S+)" }
  stage.metrics {
    metric.counter {
      name        = "successful_orders_total"
      description = "successful orders"
      source      = "order_status"
      value       = "success"
      action      = "inc"
    }
    metric.counter {
      name              = "log_bytes_total"
      prefix            = "my_custom_tracking_"
      match_all         = true
      count_entry_bytes = true
      action            = "add"
    }
    metric.gauge {
      name   = "retries_total"
      source = "retries"
      action = "add"
    }
    metric.histogram {
      name    = "took_seconds"
      source  = "took"
      buckets = [0.01, 0.1, 1]
    }
  }`,
    [
      entry("x order_status=success retries=2 took=5ms", { app: "shop", __hidden: "h" }),
      entry("x order_status=fail retries=3 took=0.5", { app: "shop", __hidden: "h" }),
      entry("x order_status=success retries=1 took=2s", { app: "shop", __hidden: "h" }),
    ],
  );
  const text = await h!.metrics();
  expect(metricValue(text, /^loki_process_custom_successful_orders_total\{.*app="shop"/)).toBe(2);
  expect(text).not.toContain("__hidden");
  expect(metricValue(text, /^my_custom_tracking_log_bytes_total\{/)).toBe(
    ["x order_status=success retries=2 took=5ms", "x order_status=fail retries=3 took=0.5", "x order_status=success retries=1 took=2s"].join("").length,
  );
  expect(metricValue(text, /^loki_process_custom_retries_total\{/)).toBe(6);
  expect(metricValue(text, /^loki_process_custom_took_seconds_bucket\{.*le="0.01"/)).toBe(1);
  expect(metricValue(text, /^loki_process_custom_took_seconds_bucket\{.*le="1"/)).toBe(2);
  expect(metricValue(text, /^loki_process_custom_took_seconds_bucket\{.*le="\+Inf"/)).toBe(3);
  expect(metricValue(text, /^loki_process_custom_took_seconds_sum\{/)).toBeCloseTo(2.505);
  expect(metricValue(text, /^loki_process_custom_took_seconds_count\{/)).toBe(3);
  expect(text).toContain("# HELP loki_process_custom_successful_orders_total successful orders");
});

test("stage.limit with drop drops over the burst and counts it; without drop it delays", async () => {
  let out = await run(`stage.limit {\n rate = 1\n burst = 2\n drop = true\n}`, [entry("1"), entry("2"), entry("3"), entry("4")]);
  expect(out.map((e) => e.line)).toEqual(["1", "2"]);
  expect(metricValue(await h!.metrics(), /^loki_process_dropped_lines_total\{.*reason="ratelimit_drop_stage"/)).toBe(2);
  await h!.stop();
  const start = performance.now();
  out = await run(`stage.limit {\n rate = 20\n burst = 1\n}`, [entry("1"), entry("2"), entry("3")]);
  expect(out.map((e) => e.line)).toEqual(["1", "2", "3"]);
  expect(performance.now() - start).toBeGreaterThanOrEqual(80);
});

test("stage.limit by_label_name keeps a bucket per label value", async () => {
  const out = await run(`stage.limit {\n rate = 1\n burst = 1\n drop = true\n by_label_name = "app"\n}`, [
    entry("a1", { app: "a" }),
    entry("a2", { app: "a" }),
    entry("b1", { app: "b" }),
    entry("none"),
    entry("none2"),
  ]);
  expect(out.map((e) => e.line)).toEqual(["a1", "b1", "none", "none2"]);
  expect(metricValue(await h!.metrics(), /^loki_process_dropped_lines_by_label_total\{.*label_value="a"/)).toBe(1);
});

test("stage.sampling with rate 0 drops everything under its reason, rate 1 keeps everything", async () => {
  let out = await run(`stage.sampling { rate = 0 }`, [entry("1"), entry("2")]);
  expect(out).toEqual([]);
  expect(metricValue(await h!.metrics(), /^loki_process_dropped_lines_total\{.*reason="sampling_stage"/)).toBe(2);
  await h!.stop();
  out = await run(`stage.sampling { rate = 1 }`, [entry("1"), entry("2")]);
  expect(out).toHaveLength(2);
});

test("entries reach every forward_to receiver, and a reload with new stages rebuilds the pipeline", async () => {
  const config = (stage: string) => `test.loki_sink "out" {}
test.loki_sink "out2" {}
loki.process "p" {
  forward_to = [test.loki_sink.out.receiver, test.loki_sink.out2.receiver]
  ${stage}
}
test.loki_input "in" { forward_to = [loki.process.p.receiver] }
`;
  h = await startHarness(config(`stage.static_labels { values = { v = "1" } }`));
  await h.push([entry("a")]);
  expect(h.received()[0]!.labels).toEqual({ v: "1" });
  expect(h.received("test.loki_sink.out2")[0]!.labels).toEqual({ v: "1" });
  const res = await h.rt.load([{ name: "main.alloy", text: config(`stage.static_labels { values = { v = "2" } }`) }]);
  expect(res.diagnostics).toEqual([]);
  await h.push([entry("b")]);
  expect(h.received().map((e) => e.labels.v)).toEqual(["1", "2"]);
});

test("the received entry is not changed (receivers share entries)", async () => {
  const input = entry("a", { job: "x" });
  await run(`stage.static_labels { values = { added = "1" } }\n  stage.output { source = "job" }`, [input]);
  expect(input).toEqual(entry("a", { job: "x" }));
  expect(h!.received()[0]).toMatchObject({ line: "x", labels: { job: "x", added: "1" } });
});

test("live debugging shows entries going in and out of loki.process and through loki.relabel", async () => {
  const events: Array<{ id: string; type: string; text: string }> = [];
  h = await startHarness(
    `test.loki_sink "out" {}
loki.relabel "r" {
  forward_to = [test.loki_sink.out.receiver]
  rule {
    target_label = "env"
    replacement  = "prod"
  }
}
loki.process "p" {
  forward_to = [loki.relabel.r.receiver]
  stage.static_labels { values = { app = "a" } }
}
test.loki_input "in" { forward_to = [loki.process.p.receiver] }
`,
    {
      liveDebugging: (id) => ({
        isActive: () => id.startsWith("loki."),
        publish: (e) => events.push({ id, type: e.type, text: e.text() }),
      }),
    },
  );
  await h.push([entry("hello", { job: "j" }, 1_700_000_000_123_456_789n, [{ name: "k", value: "v" }])]);
  expect(events).toEqual([
    {
      id: "loki.process.p",
      type: "loki_log",
      text: `[IN]: timestamp: 2023-11-14T22:13:20.123456789Z, entry: hello, labels: {job="j"}, structured_metadata: {"k":"v"}`,
    },
    {
      id: "loki.process.p",
      type: "loki_log",
      text: `[OUT]: timestamp: 2023-11-14T22:13:20.123456789Z, entry: hello, labels: {app="a", job="j"}, structured_metadata: {"k":"v"}`,
    },
    { id: "loki.relabel.r", type: "loki_log", text: `entry: hello, labels: {app="a", job="j"} => {app="a", env="prod", job="j"}` },
  ]);
});

test("stage.json on a null document still sets its expressions (to null), which stage.drop sees as present", async () => {
  const out = await run(`stage.json { expressions = { a = "a" } }\n  stage.drop { source = "a" }`, [entry("null"), entry("{}"), entry("[1]")]);
  // "{}" sets a = null too; only the array line, which is not an object, leaves the map alone.
  expect(out.map((e) => e.line)).toEqual(["[1]"]);
});

test("stage.match: documented example (nested json on one app, drop of noisy errors, output)", async () => {
  const out = await run(
    `stage.json { expressions = { "appname" = "app" } }
  stage.labels { values = { "applbl" = "appname" } }
  stage.match {
    selector = "{applbl=\\"example1\\"}"
    stage.json { expressions = { "msg" = "message" } }
  }
  stage.match {
    selector = "{applbl=\\"qux\\"}"
    stage.json { expressions = { "msg" = "msg" } }
  }
  stage.match {
    selector = "{applbl=\\"example2\\"} |~ \\".*noisy error.*\\""
    action   = "drop"
    drop_counter_reason = "discard_noisy_errors"
  }
  stage.output { source = "msg" }`,
    [
      entry(`{ "time":"2023-01-18T17:08:41+00:00", "app":"example1", "component": ["parser","type"], "level" : "WARN", "message" : "app1 log line" }`),
      entry(`{ "time":"2023-01-18T17:08:42+00:00", "app":"example2", "component": ["parser","type"], "level" : "ERROR", "message" : "example noisy error" }`),
    ],
  );
  expect(out.map((e) => [e.line, e.labels])).toEqual([["app1 log line", { applbl: "example1" }]]);
  expect(metricValue(await h!.metrics(), /^loki_process_dropped_lines_total\{.*reason="discard_noisy_errors"/)).toBe(1);
});

test("stage.template: documented examples (constant, .Value, other keys, .Entry, Replace, Trim*, regexReplaceAll*)", async () => {
  const out = await run(
    `stage.logfmt { mapping = { app = "", level = "", module = "", v = "" } }
  stage.template {
    source   = "new_key"
    template = "hello_world"
  }
  stage.template {
    source   = "app"
    template = "{{ ToLower .Value }}_some_suffix"
  }
  stage.template {
    source   = "output_msg"
    template = "{{ .level }} for app {{ ToUpper .app }} in module {{.module}}"
  }
  stage.template {
    source   = "message"
    template = "{{.app }}: {{ .Entry }}"
  }
  stage.template {
    source   = "replaced"
    template = "{{ Replace .Entry \\"loki\\" \\"Loki\\" 2 }}"
  }
  stage.template {
    source   = "v"
    template = \`{{ Trim .Value ",. " | TrimSpace }}\`
  }
  stage.template {
    source   = "rr"
    template = \`{{ regexReplaceAll "(a*)bc" "aabc-abc" "\${1}a" }}|{{ regexReplaceAllLiteral "(ts=)" "ts=1" "timestamp=" }}\`
  }
  stage.labels { values = { new_key = "", app = "", output_msg = "", replaced = "", v = "", rr = "" } }
  stage.output { source = "message" }`,
    [entry(`app=LOKI level=info module=ingester v=",. x ." loki loki loki`)],
  );
  expect(out[0]!.labels).toEqual({
    new_key: "hello_world",
    app: "loki_some_suffix",
    output_msg: "info for app LOKI_SOME_SUFFIX in module ingester",
    replaced: `app=LOKI level=info module=ingester v=",. x ." Loki Loki loki`,
    v: "x",
    rr: "aaa-aa|timestamp=1",
  });
  expect(out[0]!.line).toBe(`loki_some_suffix: app=LOKI level=info module=ingester v=",. x ." loki loki loki`);
});

test("stage.drop: documented examples (AND within a block, OR across blocks)", async () => {
  const now = BigInt(Date.now()) * 1_000_000n;
  const long = "x".repeat(1100);
  let out = await run(`stage.drop {\n expression = ".*debug.*"\n longer_than = "1KB"\n}`, [
    entry(`debug ${long}`, {}, now),
    entry("debug short", {}, now),
    entry(`info ${long}`, {}, now),
  ]);
  expect(out.map((e) => e.line.slice(0, 11))).toEqual(["debug short", "info xxxxxx"]);
  await h!.stop();
  out = await run(
    `stage.logfmt { mapping = { app = "" } }
  stage.drop {
    older_than          = "24h"
    drop_counter_reason = "too old"
  }
  stage.drop {
    longer_than         = "8KB"
    drop_counter_reason = "too long"
  }
  stage.drop {
    source = "app"
    value  = "example"
  }`,
    [
      entry("app=a old", {}, now - 25n * 3600n * 1_000_000_000n),
      entry(`app=a ${"y".repeat(8 * 1024)}`, {}, now),
      entry("app=example", {}, now),
      entry("app=a fine", {}, now),
    ],
  );
  expect(out.map((e) => e.line)).toEqual(["app=a fine"]);
  const text = await h!.metrics();
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="too old"/)).toBe(1);
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="too long"/)).toBe(1);
  expect(metricValue(text, /^loki_process_dropped_lines_total\{.*reason="drop_stage"/)).toBe(1);
});

test("a reload that changes the stages sends a held multiline block on instead of losing it", async () => {
  const config = (wait: string) =>
    processConfig(`stage.multiline {
    firstline     = "^start"
    max_wait_time = "${wait}"
  }`);
  h = await startHarness(config("1h"));
  await h.push([entry("start one"), entry("  more")]);
  expect(h.received()).toEqual([]);
  const res = await h.rt.load([{ name: "main.alloy", text: config("2h") }]);
  expect(res.diagnostics).toEqual([]);
  await waitFor(() => h!.received().length === 1, 2000, "held block flushed on reload");
  expect(h.received()[0]!.line).toBe("start one\n  more");
});

test("stage.multiline keeps streams apart and trims line endings unless trim_newlines is false", async () => {
  h = await startHarness(processConfig(`stage.multiline {\n firstline = "^START"\n max_wait_time = "50ms"\n}`));
  await h.push([
    entry("START line 1\r\n", { value: "one" }),
    entry("not a start line 1\r\n", { value: "one" }),
    entry("START line 1\n", { value: "two" }),
    entry("not a start line 2\n", { value: "one" }),
    entry("START line 2\n", { value: "two" }),
    entry("START line 2", { value: "one" }),
    entry("not a start line 1", { value: "one" }),
  ]);
  await waitFor(() => h!.received().length === 4, 3000, "all blocks");
  const got = h.received().map((e) => [e.labels.value, e.line]);
  expect(got.slice(0, 2)).toEqual([
    ["two", "START line 1"],
    ["one", "START line 1\nnot a start line 1\nnot a start line 2"],
  ]);
  // The two held blocks time out together; which goes first is not defined (Alloy iterates a map).
  expect(got.slice(2).sort()).toEqual([
    ["one", "START line 2\nnot a start line 1"],
    ["two", "START line 2"],
  ]);
  await h.stop();
  h = await startHarness(processConfig(`stage.multiline {\n firstline = "^START"\n max_wait_time = "50ms"\n trim_newlines = false\n}`));
  await h.push([entry("not a start line before 1"), entry("START line 1\n"), entry("not a start line"), entry("START line 2\r\n"), entry("START line 3")]);
  await waitFor(() => h!.received().length === 4, 3000, "all blocks");
  expect(h.received().map((e) => e.line)).toEqual(["not a start line before 1", "START line 1\n\nnot a start line", "START line 2\r\n", "START line 3"]);
});

test("stage.metrics drops a series after max_idle_duration without updates", async () => {
  await run(
    `stage.metrics {
    metric.counter {
      name              = "lines_total"
      match_all         = true
      action            = "inc"
      max_idle_duration = "1s"
    }
  }`,
    [entry("a", { app: "x" })],
  );
  expect(metricValue(await h!.metrics(), /^loki_process_custom_lines_total\{.*app="x"/)).toBe(1);
  await waitFor(async () => metricValue(await h!.metrics(), /^loki_process_custom_lines_total\{.*app="x"/) === undefined, 5000, "the idle series to go");
});
