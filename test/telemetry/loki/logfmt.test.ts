import { describe, expect, test } from "bun:test";
import { decodeLogfmt, parseLogfmt } from "../../../src/telemetry/loki/logfmt.ts";

describe("logfmt like go-logfmt", () => {
  const cases: [string, [string, string | null][]][] = [
    ["a=1 b=2", [["a", "1"], ["b", "2"]]],
    ['time=2012-11-01T22:08:41+00:00 app=loki level=WARN duration=125 message="this is a log line" extra="user=foo"', [
      ["time", "2012-11-01T22:08:41+00:00"], ["app", "loki"], ["level", "WARN"], ["duration", "125"], ["message", "this is a log line"], ["extra", "user=foo"],
    ]],
    ["flag other=x", [["flag", null], ["other", "x"]]],
    ["k= v=1", [["k", null], ["v", "1"]]],
    ["k=", [["k", null]]],
    ['q="with \\"escapes\\" \\u00e9\\n"', [["q", 'with "escapes" é\n']]],
    ['e=""', [["e", ""]]],
    ["  \t lead=1  ", [["lead", "1"]]],
    ["a=1\nb=2\r\nc", [["a", "1"], ["b", "2"], ["c", null]]],
    ["ünï=cödé", [["ünï", "cödé"]]],
    ["", []],
  ];
  for (const [input, want] of cases) {
    test(JSON.stringify(input), () => expect(parseLogfmt(input).map((p) => [p.key, p.value])).toEqual(want));
  }

  const bad: [string, string][] = [
    ["=x", "logfmt syntax error at pos 1 on line 1: unexpected '='"],
    ['a"b=1', "logfmt syntax error at pos 2 on line 1: unexpected '\"'"],
    ["a=b=c", "logfmt syntax error at pos 4 on line 1: unexpected '='"],
    ['a="open', "logfmt syntax error at pos 8 on line 1: unterminated quoted value"],
    ['a="bad \\x"', "logfmt syntax error at pos 11 on line 1: invalid quoted value"],
    ["ok=1\nx==", "logfmt syntax error at pos 3 on line 2: unexpected '='"],
  ];
  for (const [input, msg] of bad) test(`rejects ${JSON.stringify(input)}`, () => expect(() => parseLogfmt(input)).toThrow(msg));

  test("pairs before an error are still delivered", () => {
    const got: string[] = [];
    const err = decodeLogfmt('a=1 b=2 c="', (k) => got.push(k));
    expect(got).toEqual(["a", "b"]);
    expect(err?.message).toContain("unterminated quoted value");
  });
});
