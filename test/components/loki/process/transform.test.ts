import { afterEach, expect, test } from "bun:test";
import { entry, runStages, type Harness } from "./harness.ts";

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

test("stage.labels from extracted values and from structured metadata", async () => {
  let out = await run(
    `stage.logfmt { mapping = { level = "", app = "" } }
  stage.labels { values = { level = null, application = "app", missing = "" } }`,
    [entry("level=warn app=loki msg=x", { job: "j" })],
  );
  expect(out[0]!.labels).toEqual({ job: "j", level: "warn", application: "loki" });
  await h!.stop();
  out = await run(`stage.labels {\n values = { trace = "trace_id" }\n source_type = "structured_metadata"\n}`, [
    entry("x", {}, 1n, [{ name: "trace_id", value: "abc" }]),
  ]);
  expect(out[0]!.labels).toEqual({ trace: "abc" });
});

test("stage.static_labels, stage.label_drop and stage.label_keep", async () => {
  let out = await run(
    `stage.static_labels { values = { env = "prod", empty = "" } }
  stage.label_drop { values = ["drop_me"] }`,
    [entry("x", { job: "j", drop_me: "1" })],
  );
  expect(out[0]!.labels).toEqual({ job: "j", env: "prod" });
  await h!.stop();
  out = await run(`stage.label_keep { values = ["keep", "also"] }`, [entry("x", { keep: "1", other: "2", also: "3" })]);
  expect(out[0]!.labels).toEqual({ keep: "1", also: "3" });
});

test("stage.structured_metadata moves labels and extracted values into metadata; structured_metadata_drop removes them", async () => {
  let out = await run(
    `stage.logfmt { mapping = { traceID = "trace_id" } }
  stage.structured_metadata {
    values = { traceID = "", pod = "" }
    regex  = "^ip_"
  }`,
    [entry("trace_id=abc msg=x", { pod: "p1", ip_addr: "1.2.3.4", job: "j" })],
  );
  expect(out[0]!.labels).toEqual({ job: "j" });
  const md = Object.fromEntries(out[0]!.structuredMetadata.map((p) => [p.name, p.value]));
  expect(md).toEqual({ traceID: "abc", pod: "p1", ip_addr: "1.2.3.4" });
  await h!.stop();
  out = await run(`stage.structured_metadata_drop { values = ["a"] }`, [
    entry("x", {}, 1n, [
      { name: "a", value: "1" },
      { name: "b", value: "2" },
    ]),
  ]);
  expect(out[0]!.structuredMetadata).toEqual([{ name: "b", value: "2" }]);
});

test("stage.timestamp: RFC3339, Unix formats, custom layout with location, fallback formats", async () => {
  const out = await run(
    `stage.regex { expression = "^(?P<ts>[^|]+)\\\\|(?P<kind>\\\\w+)" }
  stage.labels { values = { kind = "" } }
  stage.match {
    selector = "{kind=\\"rfc\\"}"
    stage.timestamp {
      source = "ts"
      format = "RFC3339"
    }
  }
  stage.match {
    selector = "{kind=\\"unix\\"}"
    stage.timestamp {
      source = "ts"
      format = "Unix"
    }
  }
  stage.match {
    selector = "{kind=\\"ms\\"}"
    stage.timestamp {
      source = "ts"
      format = "UnixMs"
    }
  }
  stage.match {
    selector = "{kind=\\"custom\\"}"
    stage.timestamp {
      source   = "ts"
      format   = "2006-01-02 15:04:05"
      location = "America/New_York"
    }
  }
  stage.match {
    selector = "{kind=\\"fallback\\"}"
    stage.timestamp {
      source           = "ts"
      format           = "RFC3339"
      fallback_formats = ["UnixNs"]
    }
  }`,
    [
      entry("2023-01-01T01:00:00.000000001Z|rfc", { n: "1" }),
      entry("1562708916.000000123|unix", { n: "2" }),
      entry("1562708916414|ms", { n: "3" }),
      entry("2024-07-01 12:00:00|custom", { n: "4" }),
      entry("1562708916000000123|fallback", { n: "5" }),
    ],
  );
  expect(out.map((e) => e.timestamp)).toEqual([
    1672534800000000001n,
    1562708916000000123n,
    1562708916414000000n,
    1719849600000000000n,
    1562708916000000123n,
  ]);
});

test("stage.timestamp fudges failures and duplicates per stream, skip keeps the entry's time", async () => {
  let out = await run(`stage.regex { expression = "^(?P<ts>\\\\S+)" }\n  stage.timestamp {\n source = "ts"\n format = "RFC3339"\n}`, [
    entry("2023-01-01T00:00:00Z a"),
    entry("2023-01-01T00:00:00Z b"),
    entry("garbage c", {}, 5n),
  ]);
  const base = 1672531200000000000n;
  expect(out.map((e) => e.timestamp)).toEqual([base, base + 1n, base + 2n]);
  await h!.stop();
  out = await run(
    `stage.regex { expression = "^(?P<ts>\\\\S+)" }
  stage.timestamp {
    source = "ts"
    format = "RFC3339"
    action_on_failure = "skip"
    action_on_duplicate_timestamp = "keep"
  }`,
    [entry("2023-01-01T00:00:00Z a"), entry("2023-01-01T00:00:00Z b"), entry("garbage c", {}, 5n)],
  );
  expect(out.map((e) => e.timestamp)).toEqual([base, base, 5n]);
});

test("stage.pack: documented example packs labels with the line and removes them", async () => {
  const out = await run(`stage.pack {\n labels = ["env", "user_id"]\n ingest_timestamp = false\n}`, [
    entry("something went wrong", { level: "error", env: "dev", user_id: "f8fas0r" }, 42n),
  ]);
  expect(out[0]!.line).toBe('{"env":"dev","user_id":"f8fas0r","_entry":"something went wrong"}');
  expect(out[0]!.labels).toEqual({ level: "error" });
  expect(out[0]!.timestamp).toBe(42n);
  await h!.stop();
  const before = BigInt(Date.now()) * 1_000_000n;
  const stamped = await run(`stage.pack { labels = ["env"] }`, [entry("x", { env: "dev" }, 42n)]);
  expect(stamped[0]!.timestamp).toBeGreaterThanOrEqual(before);
});

test("stage.docker and stage.cri parse container runtime lines", async () => {
  let out = await run(`stage.docker {}`, [entry(`{"log":"log message\\n","stream":"stderr","time":"2019-04-30T02:12:41.8443515Z"}`, { job: "d" })]);
  expect(out[0]).toMatchObject({ line: "log message\n", labels: { job: "d", stream: "stderr" }, timestamp: 1556590361844351500n });
  await h!.stop();
  out = await run(`stage.cri {}`, [
    entry("2019-01-01T01:00:00.000000001Z stderr P i'm a log ", { job: "c" }),
    entry("2019-01-01T01:00:00.000000002Z stderr F message!", { job: "c" }),
    entry("2019-01-01T01:00:00.000000003Z stdout F other", { job: "c" }),
  ]);
  expect(out.map((e) => [e.line, e.labels.stream, e.timestamp])).toEqual([
    ["i'm a log message!", "stderr", 1546304400000000002n],
    ["other", "stdout", 1546304400000000003n],
  ]);
});

test("stage.docker and stage.cri put the documented keys into the extracted map", async () => {
  let out = await run(
    `stage.json { expressions = { attrs = "" } }
  stage.docker {}
  stage.json {
    expressions = { tag = "" }
    source = "attrs"
  }
  stage.labels { values = { output = "", timestamp = "", tag = "" } }`,
    [entry(`{"log":"log message\\n","stream":"stderr","time":"2019-04-30T02:12:41.8443515Z","attrs":{"tag":"web"}}`)],
  );
  expect(out[0]!.labels).toEqual({ stream: "stderr", output: "log message\n", timestamp: "2019-04-30T02:12:41.8443515Z", tag: "web" });
  await h!.stop();
  out = await run(`stage.cri {}\n  stage.labels { values = { content = "", time = "", flags = "" } }`, [entry("2019-04-30T02:12:41.8443515Z stdout F message")]);
  expect(out[0]!.labels).toEqual({ stream: "stdout", content: "message", time: "2019-04-30T02:12:41.8443515Z", flags: "F" });
});

test("stage.cri flushes held partial lines past max_partial_lines and truncates when asked", async () => {
  const out = await run(
    `stage.cri {
    max_partial_lines              = 1
    max_partial_line_size          = 4
    max_partial_line_size_truncate = true
  }`,
    [
      entry("2019-01-01T01:00:00.000000001Z stdout P abcdef", { s: "1" }),
      entry("2019-01-01T01:00:00.000000002Z stdout P second", { s: "2" }),
      entry("2019-01-01T01:00:00.000000003Z stdout F end", { s: "2" }),
    ],
  );
  expect(out.map((e) => [e.line, e.labels.s])).toEqual([
    ["abcd", "1"],
    ["seco", "2"],
  ]);
  const text = await h!.metrics();
  expect(text).toMatch(/loki_process_cri_partial_lines_flushed_total\{[^}]*\} 1/);
  expect(text).toMatch(/loki_process_cri_lines_truncated_total\{[^}]*\} 3/);
});

test("stage.decolorize strips ANSI sequences", async () => {
  const out = await run(`stage.decolorize {}`, [entry("\u001b[0;32mgreen\u001b[0m text \u001b[1mbold\u001b[22m")]);
  expect(out[0]!.line).toBe("green text bold");
});

test("stage.luhn: documented examples (plain, delimiters, skip_regex)", async () => {
  let out = await run(`stage.luhn { replacement = "**DELETED**" }`, [
    entry(`time=2012-11-01T22:08:41+00:00 app=loki level=WARN duration=125 message="credit card approved 4242424242424242" extra="user=example_name"`),
    entry("not a card 4242424242424241 short 4242"),
  ]);
  expect(out.map((e) => e.line)).toEqual([
    `time=2012-11-01T22:08:41+00:00 app=loki level=WARN duration=125 message="credit card approved **DELETED**" extra="user=example_name"`,
    "not a card 4242424242424241 short 4242",
  ]);
  await h!.stop();
  out = await run(`stage.luhn {\n replacement = "**DELETED**"\n delimiters = "-"\n}`, [entry(`message="credit card approved 4242-4242-4242-4242" x=1`)]);
  expect(out[0]!.line).toBe(`message="credit card approved **DELETED**" x=1`);
  await h!.stop();
  out = await run(
    `stage.luhn {
    replacement = "**DELETED**"
    min_length  = 12
    skip_regex  = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
  }`,
    [entry(`message="credit card approved 4242424242424242" session="a3f1b2e4-c5d6-7e8f-4242-424242424242"`)],
  );
  expect(out[0]!.line).toBe(`message="credit card approved **DELETED**" session="a3f1b2e4-c5d6-7e8f-4242-424242424242"`);
});

test("stage.truncate cuts lines, labels and extracted values and records what was cut", async () => {
  const out = await run(
    `stage.regex { expression = "^(?P<word>\\\\S+)" }
  stage.truncate {
    rule {
      limit  = "12B"
      suffix = "..."
    }
    rule {
      limit       = "4B"
      source_type = "label"
      sources     = ["long"]
    }
    rule {
      limit       = "3B"
      source_type = "extracted"
      sources     = ["word"]
    }
  }
  stage.labels { values = { word = "", truncated = "" } }`,
    [entry("abcdefghijklmnop qrs", { long: "123456789", short: "123456789" })],
  );
  expect(out[0]!.line).toBe("abcdefghi...");
  expect(out[0]!.labels).toEqual({ long: "1234", short: "123456789", word: "abc", truncated: "extracted,label,line" });
  expect(await h!.metrics()).toContain('loki_process_truncated_fields_total{field="line"');
});

test("stage.truncate: documented example", async () => {
  const md = [
    { name: "metadata1", value: "here is some metadata" },
    { name: "metadata2", value: "and here is some more" },
  ];
  const out = await run(
    `stage.truncate {
    rule {
      limit = "12B"
      suffix = "..."
    }
    rule {
      limit = "12B"
      suffix = "..."
      source_type = "label"
    }
  }
  stage.structured_metadata { values = { truncated = "" } }`,
    [entry("I'm a log message!", { label1: "hi", label2: "hello world" }, 1n, md)],
  );
  expect(out[0]!.line).toBe("I'm a log...");
  expect(out[0]!.labels).toEqual({ label1: "hi", label2: "hello wor..." });
  expect(out[0]!.structuredMetadata).toEqual([...md, { name: "truncated", value: "label,line" }]);
});

test("stage.split_json emits one entry per array element", async () => {
  const out = await run(`stage.split_json {}`, [entry(`[{"a":1}, "two", [3, {"b": "]"}], 4]`, { job: "s" }), entry("plain")]);
  expect(out.map((e) => e.line)).toEqual([`{"a":1}`, `"two"`, `[3, {"b": "]"}]`, "4", "plain"]);
  expect(out.every((e) => e.labels.job === "s" || e.line === "plain")).toBe(true);
});

test("stage.split_json: documented example with source; an empty array emits nothing", async () => {
  const out = await run(`stage.json { expressions = { records = "" } }\n  stage.split_json { source = "records" }`, [
    entry(`{"stream":"batch","records":[{"ts":"2024-01-01T01:00:00Z","msg":"start"},{"ts":"2024-01-01T01:00:01Z","msg":"stop"}]}`),
    entry(`{"records":[]}`),
  ]);
  // stage.json stores the array re-encoded as Go does (object keys sorted), so the elements come out that way.
  expect(out.map((e) => e.line)).toEqual([`{"msg":"start","ts":"2024-01-01T01:00:00Z"}`, `{"msg":"stop","ts":"2024-01-01T01:00:01Z"}`]);
});

test("stage.eventlogmessage splits a Windows event message into extracted keys", async () => {
  const out = await run(
    `stage.json { expressions = { message = "" } }
  stage.eventlogmessage { }
  stage.labels { values = { Subject = "", Account_Name = "", message_extracted = "", Invalid_key = "" } }`,
    [entry(JSON.stringify({ message: "Subject: me\r\nAccount Name: acct\r\nmessage: dup\r\nno colon line" }))],
  );
  expect(out[0]!.labels).toEqual({ Subject: "me", Account_Name: "acct", message_extracted: "dup" });
});

test("stage.eventlogmessage: documented example with overwrite_existing; invalid key characters become _", async () => {
  const message = "Message type:\r\nOverwritten: new\r\nImage: C:\\Users\\User\\alloy.exe\r\n\tSecurity ID: S-1";
  const out = await run(
    `stage.json { expressions = { message = "", Overwritten = "" } }
  stage.eventlogmessage {
    source = "message"
    overwrite_existing = true
  }
  stage.labels { values = { Image = "", Message_type = "", Overwritten = "", _Security_ID = "" } }`,
    [entry(JSON.stringify({ event_id: 1, Overwritten: "old", message }))],
  );
  expect(out[0]!.labels).toEqual({ Image: "C:\\Users\\User\\alloy.exe", Message_type: "", Overwritten: "new", _Security_ID: "S-1" });
});

test("stage.windowsevent: documented example with continuation lines", async () => {
  const message =
    "Special privileges assigned to new logon.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-1-1\r\n\tAccount Name:\t\tSYSTEM\r\n\tAccount Domain:\t\tNT AUTHORITY\r\n\tLogon ID:\t\t0xAAA\r\n\r\nPrivileges:\t\tSeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege\r\n\t\t\tSeSecurityPrivilege";
  const out = await run(
    `stage.json { expressions = { message = "", Overwritten = "" } }
  stage.windowsevent {
    source = "message"
    overwrite_existing = true
  }
  stage.labels {
    values = {
      Description = "", Subject_SecurityID = "", Subject_AccountName = "", Subject_AccountDomain = "",
      Subject_LogonID = "", Privileges = "", ReadOP = "Subject_ReadOperation",
    }
  }`,
    [entry(JSON.stringify({ event_id: 1, Overwritten: "old", message }))],
  );
  expect(out[0]!.labels).toEqual({
    Description: "Special privileges assigned to new logon.",
    Subject_SecurityID: "S-1-1-1",
    Subject_AccountName: "SYSTEM",
    Subject_AccountDomain: "NT AUTHORITY",
    Subject_LogonID: "0xAAA",
    Privileges: "SeAssignPrimaryTokenPrivilege,SeTcbPrivilege,SeSecurityPrivilege",
  });
});

test("stage.windowsevent parses description and sections with prefixes", async () => {
  const msg = "An account was logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-0-0\r\n\tAccount Name:\t\t-\r\n\r\nLogon Information:\r\n\tLogon Type:\t\t3";
  const out = await run(
    `stage.json { expressions = { message = "" } }
  stage.windowsevent { }
  stage.labels { values = { Description = "", Subject_SecurityID = "", Subject_AccountName = "", LogonInformation_LogonType = "" } }`,
    [entry(JSON.stringify({ message: msg }))],
  );
  expect(out[0]!.labels).toEqual({
    Description: "An account was logged on.",
    Subject_SecurityID: "S-1-0-0",
    Subject_AccountName: "-",
    LogonInformation_LogonType: "3",
  });
});
