import { expect, test } from "bun:test";
import { defaultHost, type Host } from "../../../src/syntax/stdlib/index.ts";
import { ev, evErr } from "../helpers.ts";
import { newObject } from "../../../src/syntax/value.ts";

const host: Host = { ...defaultHost(), env: (n) => (n === "TEST_VAR" ? "Hello!" : undefined) };

test("sys.env reads the host environment", () => {
  expect(ev('sys.env("TEST_VAR")', newObject(), { host })).toBe("Hello!");
});

test("sys.env of an unset variable is empty", () => {
  expect(ev('sys.env("NOT_SET_ANYWHERE")', newObject(), { host })).toBe("");
});

test("sys.env converts a number argument to its name", () => {
  expect(ev("sys.env(1)", newObject(), { host: { ...host, env: (n) => `v${n}` } })).toBe("v1");
});

test("sys.env rejects non-string arguments", () => {
  expect(evErr("sys.env(true)")).toBe("test:1:9: true should be string, got bool");
  expect(evErr("sys.env()")).toBe("test:1:1: sys.env expected 1 args, got 0");
});

test("the default host reads the process environment", () => {
  process.env["ALLOY_TS_SYNTAX_TEST"] = "yes";
  expect(ev('sys.env("ALLOY_TS_SYNTAX_TEST")')).toBe("yes");
});
