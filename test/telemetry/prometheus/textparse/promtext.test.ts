import { describe, expect, test } from "bun:test";
import { PromTextParser } from "../../../../src/telemetry/prometheus/textparse/promtext.ts";
import { drain, errorOf } from "./helpers.ts";

// Cases follow Prometheus's model/textparse/promparse_test.go.
const input = `# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# 	TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} 4.9351e-05
go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
# HELP prometheus_http_request_duration_seconds Histogram of latencies for HTTP requests.
# TYPE prometheus_http_request_duration_seconds histogram
prometheus_http_request_duration_seconds_bucket{handler="/",le="1"} 423
prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"} 1423
# Hrandom comment starting with prefix of HELP
#
wind_speed{A="2",c="3"} 12345
# comment with escaped \\n newline
# HELP nohelp1
# HELP nohelp2 
go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
some:aggregate:rate5m{a_b="c"}	1
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 33  	123123
_metric_starting_with_underscore 1
testmetric{label="\\"bar\\""} 1
# HELP metric foo\x00bar
null_byte_metric{a="abc\x00"} 1`;

describe("Prometheus text format", () => {
  test("parses Prometheus's reference input", () => {
    const got = drain(new PromTextParser(input));
    expect(got).toEqual([
      { kind: "help", m: "go_gc_duration_seconds", help: "A summary of the GC invocation durations." },
      { kind: "type", m: "go_gc_duration_seconds", type: "summary" },
      { kind: "series", m: 'go_gc_duration_seconds{quantile="0"}', v: 4.9351e-5, labels: { __name__: "go_gc_duration_seconds", quantile: "0.0" } },
      { kind: "series", m: 'go_gc_duration_seconds{quantile="0.25",}', v: 7.424100000000001e-5, labels: { __name__: "go_gc_duration_seconds", quantile: "0.25" } },
      { kind: "series", m: 'go_gc_duration_seconds{quantile="0.5",a="b"}', v: 8.3835e-5, labels: { __name__: "go_gc_duration_seconds", a: "b", quantile: "0.5" } },
      { kind: "series", m: 'go_gc_duration_seconds{ quantile="0.9", a="b"}', v: 8.3835e-5, labels: { __name__: "go_gc_duration_seconds", a: "b", quantile: "0.9" } },
      { kind: "help", m: "prometheus_http_request_duration_seconds", help: "Histogram of latencies for HTTP requests." },
      { kind: "type", m: "prometheus_http_request_duration_seconds", type: "histogram" },
      {
        kind: "series",
        m: 'prometheus_http_request_duration_seconds_bucket{handler="/",le="1"}',
        v: 423,
        labels: { __name__: "prometheus_http_request_duration_seconds_bucket", handler: "/", le: "1.0" },
      },
      {
        kind: "series",
        m: 'prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"}',
        v: 1423,
        labels: { __name__: "prometheus_http_request_duration_seconds_bucket", handler: "/", le: "+Inf" },
      },
      { kind: "comment", comment: "# Hrandom comment starting with prefix of HELP" },
      { kind: "comment", comment: "#" },
      { kind: "series", m: 'wind_speed{A="2",c="3"}', v: 12345, labels: { A: "2", __name__: "wind_speed", c: "3" } },
      { kind: "comment", comment: "# comment with escaped \\n newline" },
      { kind: "help", m: "nohelp1", help: "" },
      { kind: "help", m: "nohelp2", help: "" },
      {
        kind: "series",
        m: 'go_gc_duration_seconds { quantile = "2.0" a = "b" }',
        v: 8.3835e-5,
        labels: { __name__: "go_gc_duration_seconds", a: "b", quantile: "2.0" },
      },
      { kind: "series", m: 'some:aggregate:rate5m{a_b="c"}', v: 1, labels: { __name__: "some:aggregate:rate5m", a_b: "c" } },
      { kind: "help", m: "go_goroutines", help: "Number of goroutines that currently exist." },
      { kind: "type", m: "go_goroutines", type: "gauge" },
      { kind: "series", m: "go_goroutines", v: 33, t: 123123, labels: { __name__: "go_goroutines" } },
      { kind: "series", m: "_metric_starting_with_underscore", v: 1, labels: { __name__: "_metric_starting_with_underscore" } },
      { kind: "series", m: 'testmetric{label="\\"bar\\""}', v: 1, labels: { __name__: "testmetric", label: '"bar"' } },
      { kind: "help", m: "metric", help: "foo\x00bar" },
      { kind: "series", m: 'null_byte_metric{a="abc\x00"}', v: 1, labels: { __name__: "null_byte_metric", a: "abc\x00" } },
      { kind: "eof" },
    ]);
  });

  test("parses quoted UTF-8 metric and label names", () => {
    const got = drain(
      new PromTextParser(
        `# HELP "go.gc_duration_seconds" A summary.\n{"go.gc_duration_seconds",quantile="0"} 4.9351e-05\n` +
          `{"Heizölrückstoßabdämpfung 10€ metric with \\"interesting\\" {character\\nchoices}","strange©™\\n'quoted' \\"name\\""="6"} 10.0`,
      ),
    );
    expect(got[0]).toEqual({ kind: "help", m: "go.gc_duration_seconds", help: "A summary." });
    expect(got[1]!.labels).toEqual({ __name__: "go.gc_duration_seconds", quantile: "0" });
    expect(got[2]!.labels).toEqual({
      __name__: 'Heizölrückstoßabdämpfung 10€ metric with "interesting" {character\nchoices}',
      "strange©™\n'quoted' \"name\"": "6",
    });
  });

  test("reads special values and timestamps", () => {
    const got = drain(new PromTextParser("a NaN\nb +Inf 1\nc -Inf\nd -0.5e3 0\ne 1e-400\n"));
    expect(got.filter((g) => g.kind === "series").map((g) => g.v)).toEqual([NaN, Infinity, -Infinity, -500, 0]);
    expect(errorOf(new PromTextParser("a 1 -1\n"))).toMatch(/^expected timestamp or new record/);
  });

  test("keeps duplicate label names so the scrape can reject the series", () => {
    const p = new PromTextParser('a{b="1",b="2"} 1\n');
    expect(p.next()).toBe("series");
    expect(p.labels().duplicateName()).toBe("b");
  });

  test("keeps going over blank lines and ends at a NUL at line start", () => {
    expect(drain(new PromTextParser("\n\n  a 1\n\x00b 2\n")).map((g) => g.kind)).toEqual(["series", "eof"]);
  });

  test("reports errors as Prometheus does, with the line number", () => {
    const cases: [string, RegExp][] = [
      ["a", /^expected value after metric, got "\\n"/],
      ["a{b='c'} 1\n", /^expected label value, got "'" while parsing: "a\{b='"/],
      ["a{b=\n", /^expected label value/],
      ['{"a", "b = "c"}', /^expected equal/],
      ["a true\n", /^strconv\.ParseFloat: parsing "true": invalid syntax while parsing: "a true"/],
      ['something_weird{problem="', /^expected label value/],
      ['empty_label_name{=""} 0', /^expected label name/],
      ["{A}0", /^expected equal/],
      ["foo 1_2\n", /^unsupported character in float while parsing: "foo 1_2"/],
      ["foo 0x1p-3\n", /^unsupported character in float/],
      ["foo 0 1_2\n", /^expected next entry after timestamp/],
      ['{a="ok"} 1', /^metric name not set while parsing/],
      ["# TYPE #\n", /^expected metric name after TYPE/],
      ["# HELP #\n", /^expected metric name after HELP/],
      ["# TYPE a gaug\n", /^invalid metric type "gaug"/],
      ['a{"b"} 1', /^metric name already set/],
      ['a{b="\x00ss"} 1\n', /^$/],
      ['a{b=\x00"ssss"} 1\n', /^expected label value/],
      ['a\x00{b="ddd"} 1', /^expected value after metric/],
      ["a 0 1\x00", /^expected next entry after timestamp/],
      ["a 1e400\n", /value out of range/],
    ];
    for (const [text, re] of cases) expect([text, errorOf(new PromTextParser(text))]).toEqual([text, expect.stringMatching(re)]);
    const p = new PromTextParser("a 1\nb 2\n\nc{x=} 3\n");
    drain(p);
    expect(p.error!.line).toBe(4);
    expect(p.next()).toBe("invalid");
  });
});
