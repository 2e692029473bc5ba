import { expect, test } from "bun:test";
import { ev } from "../helpers.ts";
import { cleanPath, pathJoin } from "../../../src/syntax/stdlib/file.ts";
import { defaultHost } from "../../../src/syntax/stdlib/index.ts";
import { newObject } from "../../../src/syntax/value.ts";

const posix = { host: { ...defaultHost(), pathSeparator: "/" as const } };

test("file.path_join joins and cleans like Go's filepath.Join", () => {
  expect(ev('file.path_join("a", "b", "c")', newObject(), posix)).toBe("a/b/c");
  expect(ev('file.path_join("/etc/", "alloy", "../x.alloy")', newObject(), posix)).toBe("/etc/x.alloy");
  expect(ev('file.path_join("a", "", "b")', newObject(), posix)).toBe("a/b");
  expect(ev("file.path_join()", newObject(), posix)).toBe("");
  expect(ev('file.path_join("", "")', newObject(), posix)).toBe("");
  expect(ev('file.path_join("..", "a")', newObject(), posix)).toBe("../a");
  expect(ev('file.path_join("/", "..")', newObject(), posix)).toBe("/");
});

test("Windows separators and volumes", () => {
  expect(pathJoin(["C:\\dir", "sub", "..\\f.txt"], "\\")).toBe("C:\\dir\\f.txt");
  expect(pathJoin(["a/b", "c"], "\\")).toBe("a\\b\\c");
  expect(cleanPath("C:", "\\")).toBe("C:.");
});

test("Clean edge cases", () => {
  expect(cleanPath("", "/")).toBe(".");
  expect(cleanPath("a/./b/", "/")).toBe("a/b");
  expect(cleanPath("a/../..", "/")).toBe("..");
  expect(cleanPath("//a//b", "/")).toBe("/a/b");
});
