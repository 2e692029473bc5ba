import { afterEach, expect, test } from "bun:test";
import { components } from "../../../../src/components/index.ts";
import { testRuntime, type TestRuntime } from "../../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function problems(stages: string): Promise<string> {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `loki.process "p" {\n  forward_to = []\n  ${stages}\n}\n` }]);
  return res.diagnostics.map((d) => d.message).join("\n");
}

const cases: Array<[string, string, string]> = [
  ["regex without expression value", `stage.regex { expression = "" }`, "expression is required"],
  ["invalid regex", `stage.regex { expression = "(?P<a>" }`, "could not compile regular expression"],
  ["regex with empty source", `stage.regex {\n expression = "a"\n source = ""\n}`, "empty source"],
  ["json with neither expressions nor regex", `stage.json { }`, "JMES expressions or regex is required"],
  ["json with a bad JMESPath", `stage.json { expressions = { a = "a.[" } }`, "could not compile JMES expression"],
  ["logfmt with nothing to extract", `stage.logfmt { }`, "logfmt mapping or regex is required"],
  ["match with a bad selector", `stage.match {\n selector = "{app=}"\n stage.static_labels { values = { a = "b" } }\n}`, "invalid selector syntax for match stage"],
  ["match keep without stages", `stage.match { selector = "{app=\\"a\\"}" }`, "match stage requires at least one additional stage"],
  ["match drop with stages", `stage.match {\n selector = "{app=\\"a\\"}"\n action = "drop"\n stage.static_labels { values = { a = "b" } }\n}`, "match stage configured to drop entries cannot contains stages"],
  ["match with an unknown action", `stage.match {\n selector = "{app=\\"a\\"}"\n action = "maybe"\n}`, "match stage action should be 'keep' or 'drop'"],
  ["drop with no criteria", `stage.drop { }`, "drop stage config must contain at least one of"],
  ["drop with value and expression", `stage.drop {\n source = "a"\n value = "b"\n expression = "c"\n}`, "`value` and `expression` cannot both be defined"],
  ["drop with value but no source", `stage.drop {\n value = "b"\n older_than = "1h"\n}`, "drop stage config must contain `source` if `value` is specified"],
  ["timestamp with bad action", `stage.timestamp {\n source = "t"\n format = "RFC3339"\n action_on_failure = "explode"\n}`, "invalid action on failure"],
  ["timestamp with bad location", `stage.timestamp {\n source = "t"\n format = "RFC3339"\n location = "Nowhere/Land"\n}`, "invalid location specified"],
  ["labels with an unknown source type", `stage.labels {\n values = { a = "" }\n source_type = "nope"\n}`, "unknown source_type: nope"],
  ["labels reading from the line", `stage.labels {\n values = { a = "" }\n source_type = "line"\n}`, "invalid labels source_type: line. Can only be 'extracted' or 'structured_metadata'"],
  ["split_json with an empty source", `stage.split_json { source = "" }`, "source cannot be empty"],
  ["tenant with nothing set", `stage.tenant { }`, "label, source or value config are required"],
  ["tenant with two sources", `stage.tenant {\n source = "a"\n value = "b"\n}`, "mutually exclusive"],
  ["limit without rate", `stage.limit {\n rate = 0\n burst = 1\n}`, "limit stage failed to parse rate or burst"],
  ["limit by label without drop", `stage.limit {\n rate = 1\n burst = 1\n by_label_name = "a"\n}`, "when ratelimiting by label, drop must be true"],
  ["sampling rate out of range", `stage.sampling { rate = 2 }`, "Sampling Rate must be between 0.0 and 1.0"],
  ["multiline without firstline", `stage.multiline { firstline = "" }`, "multiline stage config must define `firstline`"],
  ["counter with a bad action", `stage.metrics {\n metric.counter {\n name = "a"\n action = "set"\n }\n}`, "the 'action' counter field must be either 'inc' or 'add'"],
  ["counter idle below 1s", `stage.metrics {\n metric.counter {\n name = "a"\n action = "inc"\n max_idle_duration = "500ms"\n }\n}`, "max_idle_duration must be greater or equal than 1s"],
  ["two metrics with one name", `stage.metrics {\n metric.counter {\n name = "a"\n action = "inc"\n }\n metric.gauge {\n name = "a"\n action = "inc"\n }\n}`, "duplicate metrics collector registration attempted"],
  ["histogram buckets out of order", `stage.metrics {\n metric.histogram {\n name = "h"\n buckets = [1, 0.5]\n }\n}`, "histogram buckets must be in increasing order: 1.000000 >= 0.500000"],
  ["a metric name Prometheus refuses", `stage.metrics {\n metric.counter {\n name = "bad-name"\n action = "inc"\n }\n}`, `"loki_process_custom_bad-name" is not a valid metric name`],
  ["truncate with a suffix as long as the limit", `stage.truncate {\n rule {\n limit = "3B"\n suffix = "..."\n }\n}`, "suffix length cannot be greater than or equal to limit"],
  ["truncate sources for line", `stage.truncate {\n rule {\n limit = "3B"\n sources = ["a"]\n }\n}`, "sources cannot be set when source_type is 'line'"],
  ["a pattern without a named capture", `stage.pattern { pattern = "<_> x" }`, "failed to parse pattern: at least one capture is required"],
  ["a pattern with consecutive captures", `stage.pattern { pattern = "<a><b>" }`, "found consecutive capture '<a><b>': invalid expression"],
  ["output without source", `stage.output { source = "" }`, "output source value is required"],
  ["unknown stage", `stage.nope { }`, `unrecognized block name "stage.nope"`],
  ["label_drop without values", `stage.label_drop { }`, "labeldrop stage config cannot be empty"],
  ["geoip without a database file", `stage.geoip {\n db = "/nonexistent/GeoLite2-City.mmdb"\n source = "ip"\n db_type = "city"\n}`, "open /nonexistent/GeoLite2-City.mmdb: no such file or directory"],
];

for (const [name, stages, message] of cases) {
  test(`loki.process refuses ${name}`, async () => {
    expect(await problems(stages)).toContain(message);
  });
}

test("a valid pipeline builds without diagnostics", async () => {
  expect(await problems(`stage.json { expressions = { a = "" } }\n  stage.labels { values = { a = "" } }`)).toBe("");
});
