import { expect, test } from "bun:test";
import { Capsule, FunctionValue, Secret, formatValue } from "../../src/syntax/value.ts";
import { obj } from "./helpers.ts";

test("formatValue writes one line of Alloy syntax", () => {
  expect(formatValue(null)).toBe("null");
  expect(formatValue(true)).toBe("true");
  expect(formatValue(5n)).toBe("5");
  expect(formatValue(1.5)).toBe("1.5");
  expect(formatValue('a"b')).toBe('"a\\"b"');
  expect(formatValue([1n, "x"])).toBe('[1, "x"]');
  expect(formatValue(obj({ b: 1n, a: [], "c d": null }))).toBe('{a = [], b = 1, "c d" = null}');
  expect(formatValue(new Secret("pw"))).toBe("(secret)");
  expect(formatValue(new Capsule("storage.Appendable", {}))).toBe('capsule("storage.Appendable")');
  expect(formatValue(new FunctionValue("f", () => null))).toBe("function");
});
