import { describe, expect, test } from "bun:test";
import { parseLogSelector } from "../../../src/telemetry/loki/logql.ts";

describe("stage.match selectors", () => {
  const cases: [string, Record<string, string>, string, boolean][] = [
    ['{app="loki"}', { app: "loki" }, "x", true],
    ['{app="loki"}', { app: "grafana" }, "x", false],
    ['{app!="loki"}', {}, "x", true],
    ['{app=~"lo.*"}', { app: "loki" }, "", true],
    ['{app=~"ok"}', { app: "loki" }, "", false], // anchored
    ['{app!~"lo.*", env="prod"}', { app: "tempo", env: "prod" }, "", true],
    ['{app=~"a.b"}', { app: "a\nb" }, "", true], // (?s) in label regexes
    ['{missing=""}', { app: "x" }, "", true],
    ['{app="loki"} |= "error"', { app: "loki" }, "an error here", true],
    ['{app="loki"} |= "error"', { app: "loki" }, "all good", false],
    ['{app="loki"} != "debug" |~ "err(or)?" !~ "^ignore"', { app: "loki" }, "some err", true],
    ['{app="loki"} != "debug" |~ "err(or)?" !~ "^ignore"', { app: "loki" }, "ignore err", false],
    ['{app="loki"} |~ "(?i)ERROR"', { app: "loki" }, "an error", true],
    ['{ a = "b" ,\n c = "d" }', { a: "b", c: "d" }, "", true],
    ['{a="\\"q\\""}', { a: '"q"' }, "", true],
  ];
  for (const [sel, labels, line, want] of cases) {
    test(`${sel} on ${JSON.stringify(labels)} ${JSON.stringify(line)}`, () => expect(parseLogSelector(sel).matches(labels, line)).toBe(want));
  }

  test("exposes matchers and filters", () => {
    const s = parseLogSelector('{a="1", b=~"x|y"} |= "z"');
    expect(s.matchers.map((m) => [m.name, m.type, m.value])).toEqual([["a", "=", "1"], ["b", "=~", "x|y"]]);
    expect(s.filters.map((f) => [f.type, f.match])).toEqual([["|=", "z"]]);
  });

  const bad: [string, string][] = [
    ["", "parse error at line 1, col 1: syntax error: unexpected end of input, expecting {"],
    ['{app="a"', "col 9: syntax error: unexpected end of input, expecting , or }"],
    ["{app=loki}", 'col 6: syntax error: unexpected identifier loki, expecting quoted string'],
    ['{app="a"} |= error', "expecting quoted string"],
    ['{app="a"} | "x"', "syntax error: unexpected"],
    ['{app=~"("}', 'col 7: error parsing regexp: missing closing ): `(`'],
    ['{app="a"} |~ "a(?=b)"', "invalid or unsupported Perl syntax"],
    ['{app="unterminated}', "literal not terminated"],
    ["{}", "expecting label name"],
  ];
  for (const [sel, msg] of bad) test(`rejects ${JSON.stringify(sel)}`, () => expect(() => parseLogSelector(sel)).toThrow(msg));
});
