import { expect, test } from "bun:test";
import { ev, evErr, obj } from "../helpers.ts";
import { Secret } from "../../../src/syntax/value.ts";

test("convert.nonsensitive unwraps a secret", () => {
  expect(ev("convert.nonsensitive(s)", obj({ s: new Secret("pw") }))).toBe("pw");
});

test("convert.nonsensitive accepts strings", () => {
  expect(ev('convert.nonsensitive("plain")')).toBe("plain");
});

test("convert.nonsensitive refuses other types", () => {
  expect(evErr("convert.nonsensitive(1)")).toBe("test:1:22: 1 should be capsule, got number");
});
