import { describe, expect, test } from "bun:test";
import { OpenMetricsParser } from "../../../../src/telemetry/prometheus/textparse/openmetrics.ts";
import { drain, errorOf } from "./helpers.ts";

// Inputs and expectations follow Prometheus's model/textparse/openmetricsparse_test.go.
const input = `# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# TYPE go_gc_duration_seconds summary
# UNIT go_gc_duration_seconds seconds
go_gc_duration_seconds{quantile="0"} 4.9351e-05
go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
# HELP nohelp1 
# HELP help2 escape \\ \\n \\\\ \\" \\x chars
# UNIT nounit 
go_goroutines 33 123.123
# TYPE hhh histogram
hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
hhh_count 1 # {id="histogram-count-test"} 4
# TYPE ggh gaugehistogram
ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
# TYPE ii info
ii{foo="bar"} 1
# TYPE ss stateset
ss{ss="foo"} 1
# TYPE un unknown
testmetric{label="\\"bar\\""} 1
# HELP foo Counter with and without labels to certify ST is parsed for both cases
# TYPE foo counter
foo_total 17.0 1520879607.789 # {id="counter-test"} 5
foo_created 1520872607.123
foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
foo_created{a="b"} 1520872607.123
foo_total{le="c"} 21.0
foo_created{le="c"} 1520872621.123
foo_total{le="1"} 10.0
# HELP bar Summary with ST at the end
# TYPE bar summary
bar_count 17.0
bar{quantile="0.95"} 123.7
bar_created 1520872608.124
# HELP something Histogram with _created between buckets and summary
# TYPE something histogram
something_count 18
something_created 1520430001
something_bucket{le="1"} 2
# HELP fizz_created Gauge which shouldn't be parsed as ST
# TYPE fizz_created gauge
fizz_created 17.0
# TYPE nansum summary
nansum{quantile="0.99"} NaN
# EOF
`;

describe("OpenMetrics text format", () => {
  test("parses metadata, exemplars, timestamps in seconds and created timestamps", () => {
    const got = drain(new OpenMetricsParser(input), { ct: true });
    const byM = (m: string) => got.filter((g) => g.m === m);
    expect(got[0]).toEqual({ kind: "help", m: "go_gc_duration_seconds", help: "A summary of the GC invocation durations." });
    expect(got[2]).toEqual({ kind: "unit", m: "go_gc_duration_seconds", unit: "seconds" });
    expect(got[3]!.labels).toEqual({ __name__: "go_gc_duration_seconds", quantile: "0.0" });
    expect(byM("nohelp1")).toEqual([{ kind: "help", m: "nohelp1", help: "" }]);
    expect(byM("help2")).toEqual([{ kind: "help", m: "help2", help: 'escape \\ \n \\ " \\x chars' }]);
    expect(byM("nounit")).toEqual([{ kind: "unit", m: "nounit", unit: "" }]);
    expect(byM("go_goroutines")[0]).toMatchObject({ v: 33, t: 123123 });
    expect(byM('hhh_bucket{le="+Inf"}')[0]!.exemplars).toEqual([{ labels: { id: "histogram-bucket-test" }, value: 4 }]);
    expect(byM('ggh_bucket{le="+Inf"}')[0]!.exemplars).toEqual([{ labels: { id: "gaugehistogram-bucket-test", xx: "yy" }, value: 4, ts: 123123 }]);
    expect(got.filter((g) => g.kind === "type").map((g) => g.type)).toContain("stateset");
    expect(byM('testmetric{label="\\"bar\\""}')[0]!.labels).toEqual({ __name__: "testmetric", label: '"bar"' });
    const foo = got.filter((g) => g.kind === "series" && g.m!.startsWith("foo_"));
    // Once created timestamps are asked for, `_created` lines are consumed, not returned.
    expect(foo.map((g) => [g.m, g.t, g.ct])).toEqual([
      ["foo_total", 1520879607789, 1520872607123],
      ['foo_total{a="b"}', 1520879607789, 1520872607123],
      ['foo_total{le="c"}', undefined, 1520872621123],
      ['foo_total{le="1"}', undefined, undefined],
    ]);
    expect(byM("bar_count")[0]!.ct).toBe(1520872608124);
    expect(byM('bar{quantile="0.95"}')[0]!.ct).toBe(1520872608124);
    expect(byM('something_bucket{le="1"}')[0]!.ct).toBe(1520430001000);
    expect(byM("fizz_created").filter((g) => g.kind === "series")).toHaveLength(1);
    expect(byM('nansum{quantile="0.99"}')[0]!.v).toBeNaN();
    expect(got[got.length - 1]).toEqual({ kind: "eof" });
  });

  test("keeps _created series when created timestamps are not asked for, unless told to skip them", () => {
    const text = "# TYPE foo counter\nfoo_total 1\nfoo_created 1520872607.123\n# EOF\n";
    expect(drain(new OpenMetricsParser(text)).map((g) => g.m)).toEqual(["foo", "foo_total", "foo_created", undefined]);
    expect(drain(new OpenMetricsParser(text, { skipCreatedSeries: true })).map((g) => g.m)).toEqual(["foo", "foo_total", undefined]);
  });

  test("reports errors as Prometheus does", () => {
    const cases: [string, RegExp][] = [
      ["", /^data does not end with # EOF$/],
      ["\n", /^expected a valid start token/],
      ["metric", /^expected value after metric/],
      ["metric 1", /^data does not end with # EOF$/],
      ["metric 1\n", /^data does not end with # EOF$/],
      ['metric_total 1 # {aa="bb"} 4', /^data does not end with # EOF$/],
      ["a\n#EOF\n", /^expected value after metric/],
      [" a 1\n#EOF\n", /^expected a valid start token/],
      ["9\n#EOF\n", /^expected a valid start token/],
      ["# TYPE u untyped\n#EOF\n", /^invalid metric type "untyped"$/],
      ["# TYPE c counter \n#EOF\n", /^invalid metric type "counter "$/],
      ["#  TYPE c counter\n#EOF\n", /^expected a valid start token/],
      ["# TYPE \n#EOF\n", /^expected metric name after TYPE/],
      ["# TYPE m\n#EOF\n", /^expected text in TYPE$/],
      ["# UNIT metric suffix\n#EOF\n", /^unit "suffix" not a suffix of metric "metric"$/],
      ["# UNIT metricsuffix suffix\n#EOF\n", /^unit "suffix" not a suffix of metric "metricsuffix"$/],
      ["# UNIT m suffix\n#EOF\n", /^unit "suffix" not a suffix of metric "m"$/],
      ["# HELP m\n#EOF\n", /^expected text in HELP$/],
      ["a\t1\n#EOF\n", /^expected value after metric/],
      ["a 1\t2\n#EOF\n", /^strconv\.ParseFloat: parsing "1\\t2": invalid syntax/],
      ["a 1 2 \n#EOF\n", /^expected next entry after timestamp/],
      ["a 1 2 #\n#EOF\n", /^expected next entry after timestamp/],
      ["a 1 1z\n#EOF\n", /^strconv\.ParseFloat: parsing "1z": invalid syntax/],
      [" # EOF\n", /^expected a valid start token/],
      ["# EOF\na 1", /^unexpected data after # EOF$/],
      ["# EOF\n\n", /^unexpected data after # EOF$/],
      ["# EOFa 1", /^unexpected data after # EOF$/],
      ["#\tTYPE c counter\n", /^expected a valid start token/],
      ["# TYPE c  counter\n", /^invalid metric type " counter"$/],
      ["a 1 1 1\n# EOF\n", /^expected next entry after timestamp/],
      ["a{b='c'} 1\n# EOF\n", /^expected label value/],
      ['a{,b="c"} 1\n# EOF\n', /^expected label name/],
      ['a{b="c"d="e"} 1\n# EOF\n', /^expected comma or brace close/],
      ['a{b="c",,d="e"} 1\n# EOF\n', /^expected label name/],
      ["a{b=\n# EOF\n", /^expected label value/],
      ['something_weird{problem="\n# EOF\n', /^expected label value/],
      ['empty_label_name{=""} 0\n# EOF\n', /^expected label name/],
      ["{A}0\n# EOF\n", /^expected equal/],
      ["foo 1_2\n\n# EOF\n", /^unsupported character in float/],
      ["foo 0 1_2\n\n# EOF\n", /^unsupported character in float/],
      ["custom_metric_total 1 # {aa=bb}\n# EOF\n", /^expected label value/],
      ['custom_metric_total 1 # {aa="bb"}\n# EOF\n', /^expected value after exemplar labels/],
      ['custom_metric_total 1 # {aa="bb"}', /^expected value after exemplar labels/],
      ["custom_metric_total 1 # {bb}", /^expected equal/],
      ['custom_metric_total 1 # {bb, a="dd"}', /^expected equal/],
      ['custom_metric_total 1 # {aa="bb",,cc="dd"} 1', /^expected label name/],
      ['custom_metric_total 1 # {aa="bb"} 1_2', /^unsupported character in float/],
      ['custom_metric_total 1 # {"name"} 1\n# EOF\n', /^expected label name/],
      ["a 1 +Inf\n# EOF\n", /^invalid timestamp/],
    ];
    for (const [text, re] of cases) expect([text, errorOf(new OpenMetricsParser(text))]).toEqual([text, expect.stringMatching(re)]);
  });

  test("errors carry the line they were found on", () => {
    const p = new OpenMetricsParser("# TYPE a counter\na_total 1\na_total{x=1} 2\n# EOF\n");
    drain(p);
    expect(p.error!.line).toBe(3);
    expect(String(p.error)).toMatch(/^line 3: expected label value/);
  });
});
