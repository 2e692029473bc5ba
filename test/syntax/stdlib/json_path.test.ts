import { expect, test } from "bun:test";
import { toJSONPathPlus } from "../../../src/syntax/stdlib/json_path.ts";
import { ev, evErr } from "../helpers.ts";

test("ojg-style paths without $ work", () => {
  expect(ev('json_path("{\\"key\\": \\"value\\"}", ".key")')).toEqual(["value"]);
  expect(ev('json_path("{\\"key\\": \\"value\\"}", "$.key")')).toEqual(["value"]);
  expect(ev('json_path("{\\"key\\": \\"value\\"}", "key")')).toEqual(["value"]);
});

test("missing paths give an empty list", () => {
  expect(ev('json_path("{\\"key\\": \\"value\\"}", ".nonexists")')).toEqual([]);
});

test("filters select matching elements (Alloy's documented example)", () => {
  const json = '[{\\"name\\": \\"Department\\",\\"value\\": \\"IT\\"},{\\"name\\":\\"TestStatus\\",\\"value\\":\\"Pending\\"}]';
  expect(ev(`json_path("${json}", "[?(@.name == \\"Department\\")].value")`)).toEqual(["IT"]);
});

test("integers stay ints and floats stay floats", () => {
  expect(ev('json_path("{\\"a\\": [1, 2.5]}", ".a[*]")')).toEqual([1n, 2.5]);
});

test("whole subtrees come back as values", () => {
  expect(ev('json_path("{\\"a\\": {\\"b\\": [1]}}", ".a")')).toEqual([{ b: [1n] }]);
});

test("invalid JSON is an error on the function", () => {
  expect(evErr('json_path("{", ".a")')).toBe("test:1:1: json_path unexpected end of JSON input");
});

test("paths are translated to jsonpath-plus form", () => {
  expect(toJSONPathPlus(".a.b")).toBe("$.a.b");
  expect(toJSONPathPlus("[0]")).toBe("$[0]");
  expect(toJSONPathPlus("@.x")).toBe("$.x");
  expect(toJSONPathPlus("$")).toBe("$");
});

test("negative indexes count from the end, as in ojg", () => {
  expect(ev('json_path("{\\"a\\": [1, 2, 3]}", ".a[-1]")')).toEqual([3n]);
  expect(ev('json_path("{\\"a\\": [1, 2, 3]}", ".a[-2]")')).toEqual([2n]);
});

test("recursive descent, wildcards, slices and comparisons", () => {
  const doc = '"{\\"d\\": [{\\"n\\": \\"p\\", \\"v\\": 1}, {\\"n\\": \\"q\\", \\"v\\": 2}]}"';
  expect(ev(`json_path(${doc}, "..n")`)).toEqual(["p", "q"]);
  expect(ev(`json_path(${doc}, ".d[?(@.v > 1)].n")`)).toEqual(["q"]);
  expect(ev(`json_path(${doc}, ".d[0:1].n")`)).toEqual(["p"]);
  expect(ev(`json_path(${doc}, ".d[*].v")`)).toEqual([1n, 2n]);
});
