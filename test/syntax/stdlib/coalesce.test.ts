import { expect, test } from "bun:test";
import { ev } from "../helpers.ts";
import { Secret } from "../../../src/syntax/value.ts";
import { obj } from "../helpers.ts";

test("coalesce returns the first non-empty argument", () => {
  expect(ev('coalesce("", "a", "b")')).toBe("a");
  expect(ev("coalesce(null, 0, 5)")).toBe(5n);
  expect(ev("coalesce(false, true)")).toBe(true);
  expect(ev('coalesce([], {}, [1])')).toEqual([1n]);
  expect(ev("coalesce(0.0, 2.5)")).toBe(2.5);
});

test("coalesce returns the last argument when all are empty", () => {
  expect(ev('coalesce("", null, [])')).toEqual([]);
  expect(ev("coalesce(null, 0)")).toBe(0n);
});

test("coalesce without arguments is null", () => {
  expect(ev("coalesce()")).toBe(null);
});

test("an empty secret counts as empty", () => {
  expect(ev('coalesce(s, "fallback")', obj({ s: new Secret("") }))).toBe("fallback");
});
