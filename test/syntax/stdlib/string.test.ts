import { describe, expect, test } from "bun:test";
import { ev, evErr, obj } from "../helpers.ts";
import { Secret } from "../../../src/syntax/value.ts";

describe("string.format", () => {
  test("formats with Go verbs", () => {
    expect(ev('string.format("Hello %s", "world")')).toBe("Hello world");
    expect(ev('string.format("%s:%d", "host", 8080)')).toBe("host:8080");
    expect(ev('string.format("%.1f%%", 99.55)')).toBe("99.5%");
    expect(ev('string.format("%q", "x")')).toBe('"x"');
    expect(ev('string.format("%v", [1, "a"])')).toBe("[1 a]");
  });
  test("mismatches produce Go's text rather than an error", () => {
    expect(ev('string.format("%d", "x")')).toBe("%!d(string=x)");
    expect(ev('string.format("%d")')).toBe("%!d(MISSING)");
    expect(ev('string.format("x", 1)')).toBe("x%!(EXTRA int=1)");
  });
  test("the format must be a string", () => {
    expect(evErr("string.format(true)")).toBe("test:1:15: true should be string, got bool");
  });
});

describe("strings package functions", () => {
  const table: [string, unknown][] = [
    ['string.join(["a", "b", "c"], ",")', "a,b,c"],
    ['string.join([], ",")', ""],
    ['string.join([1, 2], "-")', "1-2"],
    ['string.replace("aaa", "a", "b")', "bbb"],
    ['string.replace("abc", "", "-")', "-a-b-c-"],
    ['string.split("a,b,c", ",")', ["a", "b", "c"]],
    ['string.split("", ",")', [""]],
    ['string.split("abc", "")', ["a", "b", "c"]],
    ['string.to_lower("HeLLo")', "hello"],
    ['string.to_upper("HeLLo")', "HELLO"],
    ['string.trim("--a-b--", "-")', "a-b"],
    ['string.trim("xyhixy", "xy")', "hi"],
    ['string.trim_prefix("prefix-x", "prefix-")', "x"],
    ['string.trim_prefix("x", "y")', "x"],
    ['string.trim_suffix("x.alloy", ".alloy")', "x"],
    ['string.trim_space("  \\t hi \\n ")', "hi"],
    ['string.trim_space("\\u00a0hi\\u3000")', "hi"],
  ];
  for (const [src, want] of table) {
    test(src, () => expect(ev(src)).toEqual(want as never));
  }

  test("argument errors", () => {
    expect(evErr('string.join("a", ",")')).toBe('test:1:13: "a" should be array, got string');
    expect(evErr('string.join(["a", true], ",")')).toBe("test:1:19: true should be string, got bool");
    expect(evErr('string.split("a")')).toBe("test:1:1: string.split expected 2 args, got 1");
    expect(evErr('string.to_upper(["a"])')).toBe('test:1:17: ["a"] should be string, got array');
  });

  test("secrets cannot be used as strings", () => {
    expect(evErr("string.to_upper(s)", obj({ s: new Secret("x") }))).toBe("test:1:17: s secrets may not be converted into strings");
  });
});

describe("case mapping is per character, as Go's", () => {
  test("no multi-character expansions or context rules", () => {
    expect(ev('string.to_upper("straße")')).toBe("STRAßE");
    expect(ev('string.to_lower("ΟΔΟΣ")')).toBe("οδοσ");
    expect(ev('string.to_lower("\\u0130")')).toBe("i");
  });
});

describe("Alloy's documented examples", () => {
  const table: [string, unknown][] = [
    ['string.format("Hello, %s!", "Ander")', "Hello, Ander!"],
    ['string.format("There are %d lights", 4)', "There are 4 lights"],
    ['string.join(["foo", "bar", "baz"], ", ")', "foo, bar, baz"],
    ['string.join(["foo"], ", ")', "foo"],
    ['string.replace("1 + 2 + 3", "+", "-")', "1 - 2 - 3"],
    ['string.split("foo", ",")', ["foo"]],
    ['string.trim("?!hello?!", "!?")', "hello"],
    ['string.trim("foobar", "far")', "oob"],
    ['string.trim("   hello! world.!  ", "! ")', "hello! world."],
    ['string.trim_prefix("helloworld", "hello")', "world"],
    ['string.trim_suffix("helloworld", "world")', "hello"],
    ['string.trim_space("  hello\\n\\n")', "hello"],
  ];
  for (const [src, want] of table) {
    test(src, () => expect(ev(src)).toEqual(want as never));
  }
});
