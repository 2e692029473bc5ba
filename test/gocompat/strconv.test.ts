import { describe, expect, test } from "bun:test";
import { quote, unquote } from "../../src/gocompat/strconv.ts";

describe("quote like Go's strconv.Quote", () => {
  const cases: [string, string][] = [
    ["abc", '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ["tab\there\n", '"tab\\there\\n"'],
    ["\x00\x1b\x7f", '"\\x00\\x1b\\x7f"'],
    ["héllo 世界", '"héllo 世界"'],
    ["\u00a0", '"\\u00a0"'],
    ["\u{e0001}", '"\\U000e0001"'],
    ["\u0007\u0008\u000b\u000c\r", '"\\a\\b\\v\\f\\r"'],
  ];
  for (const [input, want] of cases) test(JSON.stringify(input), () => expect(quote(input)).toBe(want));
  test("ascii-only mode escapes non-ASCII", () => expect(quote("é", '"', true)).toBe('"\\u00e9"'));
});

describe("unquote like Go's strconv.Unquote", () => {
  test("escapes", () => {
    expect(unquote('"a\\tb\\n\\"\\\\"')).toBe('a\tb\n"\\');
    expect(unquote('"\\x41\\101\\u00e9\\U0001F600"')).toBe("AAé😀");
    expect(unquote('"\\xc3\\xa9"')).toBe("é");
    expect(unquote("`raw\\n`")).toBe("raw\\n");
    expect(unquote("'x'")).toBe("x");
    expect(unquote("'\\''")).toBe("'");
  });
  for (const bad of ['"abc', '"a"b"', '"\\q"', "'ab'", '"\\\'"', '"\\x4"', "x", '"a\nb"']) {
    test(`rejects ${JSON.stringify(bad)}`, () => expect(() => unquote(bad)).toThrow("invalid syntax"));
  }
});
