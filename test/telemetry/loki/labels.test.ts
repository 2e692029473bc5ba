import { describe, expect, test } from "bun:test";
import { quote } from "../../../src/gocompat/strconv.ts";
import { formatLabels, parseLabels, streamKey } from "../../../src/telemetry/loki/labels.ts";

describe("label text", () => {
  test("format sorts names and quotes values like Go", () => {
    expect(formatLabels({ z: "1", a: 'say "hi"\n' })).toBe('{a="say \\"hi\\"\\n", z="1"}');
    expect(formatLabels({})).toBe("{}");
  });
  test("parse accepts Loki's stream label forms", () => {
    expect(parseLabels('{a="b", c="d"}')).toEqual({ a: "b", c: "d" });
    expect(parseLabels("{ a = 'b' , c=`d\\n`, }")).toEqual({ a: "b", c: "d\\n" });
    expect(parseLabels('up{job="x"}')).toEqual({ __name__: "up", job: "x" });
    expect(parseLabels('{a="", b="\\u00e9"}')).toEqual({ b: "é" });
    expect(parseLabels("{}")).toEqual({});
  });
  test("names outside the legacy charset are quoted and parse back", () => {
    expect(formatLabels({ "service.name": "x", a: "b" })).toBe('{a="b", "service.name"="x"}');
    expect(parseLabels('{a="b", "service.name"="x"}')).toEqual({ a: "b", "service.name": "x" });
  });
  test("values are quoted exactly as Go's %q, whatever characters they hold", () => {
    const chars = [" ", "~", "!", "#", "[", "]", '"', "\\", "\u007f", "\u0000", "\n", "é", "\u00a0", "✓", "𝄞", "\ud800", "\u2028", "a", "Z", "{", "}"];
    for (const a of chars) {
      for (const b of chars) {
        const v = `x${a}${b}`;
        expect(formatLabels({ k: v })).toBe(`{k=${quote(v)}}`);
      }
    }
  });
  test("names already in order and out of order give the same text", () => {
    expect(formatLabels({ a: "1", b: "2", c: "3" })).toBe('{a="1", b="2", c="3"}');
    expect(formatLabels({ c: "3", a: "1", b: "2" })).toBe('{a="1", b="2", c="3"}');
    expect(formatLabels({ a: "1", c: "3", b: "2" })).toBe('{a="1", b="2", c="3"}');
  });
  test("streamKey is formatLabels, computed once per label set", () => {
    const ls = { job: "a", filename: "/x" };
    expect(streamKey(ls)).toBe(formatLabels(ls));
    expect(streamKey({ ...ls })).toBe(formatLabels(ls));
    expect(streamKey(ls)).toBe(streamKey(ls));
  });
  test("format then parse round-trips", () => {
    const ls = { job: "a\tb", level: "é\\\"", x: "\u0001" };
    expect(parseLabels(formatLabels(ls))).toEqual(ls);
  });
  const bad: [string, string][] = [
    ['{a="b"', 'col 7: unexpected end of input, expected "," or "}"'],
    ['{a="b", a="c"}', 'duplicate label name "a"'],
    ["{a=b}", "expected quoted string"],
    ['{a="b\\q"}', "invalid quoted string"],
    ['{1a="b"}', "expected label name"],
    ['{a="b"} x', 'unexpected "x" after "}"'],
    ["", 'expected "{"'],
  ];
  for (const [input, msg] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () => expect(() => parseLabels(input)).toThrow(msg));
  }
});
