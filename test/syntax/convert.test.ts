import { describe, expect, test } from "bun:test";
import {
  ValueError,
  describe as describeValue,
  formatFloat,
  mapArray,
  numberToString,
  stringToNumber,
  toCapsule,
  toDuration,
  toFloat,
  toInt,
  toOptionalSecret,
  toSecret,
  toStringValue,
  toUint,
} from "../../src/syntax/convert.ts";
import { Capsule, Secret } from "../../src/syntax/value.ts";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ValueError) return e.message;
    throw e;
  }
  return "no error";
}

describe("number → string", () => {
  test("ints in base 10, floats shortest without exponent", () => {
    expect(numberToString(42n)).toBe("42");
    expect(numberToString(-7n)).toBe("-7");
    expect(numberToString(1.5)).toBe("1.5");
    expect(numberToString(3)).toBe("3");
    expect(formatFloat(1e21)).toBe("1000000000000000000000");
    expect(formatFloat(1e-7)).toBe("0.0000001");
    expect(formatFloat(123456789.125)).toBe("123456789.125");
    expect(formatFloat(Infinity)).toBe("+Inf");
    expect(formatFloat(NaN)).toBe("NaN");
  });
});

describe("string → number", () => {
  test("leading - is an int, .eE a float, otherwise uint", () => {
    expect(stringToNumber("-5")).toBe(-5n);
    expect(stringToNumber("5")).toBe(5n);
    expect(stringToNumber("2.5")).toBe(2.5);
    expect(stringToNumber("1e3")).toBe(1000);
    expect(stringToNumber("18446744073709551615")).toBe(18446744073709551615n);
  });
  test("unparseable strings are refused", () => {
    for (const s of ["", "abc", "1x", "-1.5", "18446744073709551616", "-9223372036854775809", " 1"]) {
      expect(message(() => stringToNumber(s))).toBe("should be number, got string");
    }
  });
});

describe("decoding into targets", () => {
  test("strings", () => {
    expect(toStringValue(5n)).toBe("5");
    expect(message(() => toStringValue(true))).toBe("should be string, got bool");
    expect(message(() => toStringValue(new Secret("x")))).toBe("secrets may not be converted into strings");
  });
  test("numbers of each kind", () => {
    expect(toFloat(3n)).toBe(3);
    expect(toInt(2.9)).toBe(2n);
    expect(toInt(-2.9)).toBe(-2n);
    expect(toInt("-3")).toBe(-3n);
    expect(toUint(-1n)).toBe(18446744073709551615n);
    expect(message(() => toFloat(null))).toBe("should be number, got null");
  });
  test("secrets", () => {
    expect(toSecret("x").value).toBe("x");
    expect(message(() => toSecret(1n))).toBe("should be capsule, got number");
    expect(toOptionalSecret("x")).toEqual({ value: "x", isSecret: false });
    expect(toOptionalSecret(new Secret("x"))).toEqual({ value: "x", isSecret: true });
  });
  test("capsules only to the same type", () => {
    expect(toCapsule(new Capsule("a.B", 1), "a.B")).toBe(1);
    expect(message(() => toCapsule(new Capsule("a.C", 1), "a.B"))).toBe('expected capsule("a.B"), got capsule("a.C")');
    expect(message(() => toCapsule("x", "a.B"))).toBe("should be capsule, got string");
  });
  test("durations from strings", () => {
    expect(toDuration("1m30s")).toBe(90000);
    expect(message(() => toDuration("5"))).toBe('time: missing unit in duration "5"');
    expect(message(() => toDuration(true))).toBe("should be string, got bool");
  });
  test("errors inside arrays carry the element path", () => {
    try {
      mapArray(["a", 1n, true], (v) => (typeof v === "boolean" ? toStringValue(v) : v));
    } catch (e) {
      expect((e as ValueError).path).toEqual([2]);
    }
  });
  test("describe names capsule types", () => {
    expect(describeValue(new Capsule("x.Y", 1))).toBe('capsule("x.Y")');
    expect(describeValue([])).toBe("array");
  });
});
