import { expect, test } from "bun:test";
import { ev } from "../helpers.ts";
import { defaultHost } from "../../../src/syntax/stdlib/index.ts";
import { newObject } from "../../../src/syntax/value.ts";
import type { Diagnostic } from "../../../src/syntax/diag.ts";

test("deprecated aliases behave like their namespaced functions (Alloy's cases)", () => {
  const host = { ...defaultHost(), env: (n: string) => (n === "TEST_VAR" ? "Hello!" : undefined) };
  const o = newObject();
  expect(ev('env("TEST_VAR")', o, { host })).toBe("Hello!");
  expect(ev('concat([true, "foo"], [], [false, 1])')).toEqual([true, "foo", false, 1n]);
  expect(ev('json_decode("{\\"foo\\": \\"bar\\"}")')).toEqual({ foo: "bar" });
  expect(ev("yaml_decode(`foo: bar`)")).toEqual({ foo: "bar" });
  expect(ev('base64_decode("Zm9vYmFyMTIzIT8kKiYoKSctPUB+")')).toBe("foobar123!?$*&()'-=@~");
  expect(ev('format("%s-%d", "a", 1)')).toBe("a-1");
  expect(ev('join(["a", "b"], ",")')).toBe("a,b");
  expect(ev('replace("aa", "a", "b")')).toBe("bb");
  expect(ev('split("a,b", ",")')).toEqual(["a", "b"]);
  expect(ev('to_lower("A")')).toBe("a");
  expect(ev('to_upper("a")')).toBe("A");
  expect(ev('trim("xax", "x")')).toBe("a");
  expect(ev('trim_prefix("xa", "x")')).toBe("a");
  expect(ev('trim_suffix("ax", "x")')).toBe("a");
  expect(ev('trim_space(" a ")')).toBe("a");
  expect(ev('nonsensitive("a")')).toBe("a");
});

test("each use of an alias warns", () => {
  const warnings: Diagnostic[] = [];
  ev('join(split("a,b", ","), "-")', newObject(), { onWarning: (d) => warnings.push(d) });
  // Alloy's validator text, positioned on each alias identifier.
  expect(warnings.map((w) => [w.message, w.start?.column])).toEqual([
    ["this stdlib function is deprecated; please refer to the documentation for updated usage and alternatives", 1],
    ["this stdlib function is deprecated; please refer to the documentation for updated usage and alternatives", 6],
  ]);
});

test("namespaced functions do not warn", () => {
  const warnings: Diagnostic[] = [];
  ev('string.join(["a"], "-")', newObject(), { onWarning: (d) => warnings.push(d) });
  expect(warnings).toEqual([]);
});
