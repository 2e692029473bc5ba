import { describe, expect, test } from "bun:test";
import { ev, evErr, obj } from "../helpers.ts";
import { newObject } from "../../../src/syntax/value.ts";

const X = { stability: "experimental" as const };
const exp = (src: string) => ev(src, newObject(), X);
const expErr = (src: string) => evErr(src, newObject(), X);

describe("array.concat", () => {
  test("concatenates", () => {
    expect(ev('array.concat([true, "foo"], [], [false, 1])')).toEqual([true, "foo", false, 1n]);
    expect(ev("array.concat()")).toEqual([]);
    expect(ev("array.concat([[1]], [[2]])")).toEqual([[1n], [2n]]);
  });
  test("non-arrays are refused", () => {
    expect(evErr("array.concat([1], 2)")).toBe("test:1:19: 2 should be array, got number");
  });
});

describe("array.combine_maps (Alloy's cases)", () => {
  const cases: [string, unknown][] = [
    ['array.combine_maps([{"a" = "a1", "b" = "b1"}], [{"a" = "a1", "c" = "c1"}], ["a"])', [{ a: "a1", b: "b1", c: "c1" }]],
    ['array.combine_maps([{"a" = 1, "b" = 2.2}], [{"a" = 1, "b" = "3.3"}], ["a"])', [{ a: 1n, b: "3.3" }]],
    ['array.combine_maps([{"a" = 1, "b" = 2.2}], [{"a" = 2, "b" = "3.3"}], ["a"])', []],
    [
      'array.combine_maps([{"a" = 1, "b" = 4.2, "c" = 5}, {"d" = "asdf"}], [{"a" = 2, "b" = "5.3"}], ["a"], true)',
      [{ a: 1n, b: 4.2, c: 5n }, { d: "asdf" }],
    ],
    ['array.combine_maps([{"a" = 1, "b" = 2.2}], [{"a" = "1", "b" = "3.3"}], ["a"])', []],
    ['array.combine_maps([{"a" = 1, "n" = 1.1}], [{"a" = 1, "n" = 2.1}, {"n" = 2.2}], ["a"])', [{ a: 1n, n: 2.1 }]],
    ['array.combine_maps([{"a" = 1, "b" = 3, "n" = 1.1}], [{"a" = 1, "b" = 3, "n" = 2.1}], ["a", "b"])', [{ a: 1n, b: 3n, n: 2.1 }]],
    ['array.combine_maps([{"a" = 1.0}], [{"a" = 1, "z" = 0}], ["a"])', [{ a: 1n, z: 0n }]],
  ];
  for (const [src, want] of cases) {
    test(src, () => expect(exp(src)).toEqual(want as never));
  }
  test("multi match gives len(left) * len(right) maps", () => {
    const v = exp('array.combine_maps([{"a" = 1, "n" = 1}, {"a" = 1, "n" = 2}], [{"a" = 1, "m" = 1}, {"a" = 1, "m" = 2}], ["a"])');
    expect(v).toHaveLength(4);
  });
  test("errors", () => {
    expect(expErr('array.combine_maps([{"a" = "a1", "b" = "b1"}], "a", ["a"])')).toBe('test:1:48: "a" should be array, got string');
    expect(expErr('array.combine_maps([{"a" = "a1", "b" = "b1"}], ["a"], ["a"])')).toBe('test:1:49: "a" should be object, got string');
    expect(expErr('array.combine_maps([{"a" = "a1"}], [{"a" = "a1"}], [])')).toBe(
      "test:1:52: [] combine_maps: merge conditions must not be empty",
    );
    expect(expErr("array.combine_maps([], [])")).toBe("test:1:1: combine_maps: expected 3 or 4 arguments, got 2");
    expect(expErr('array.combine_maps([], [], ["a"], "x")')).toBe('test:1:35: "x" should be bool, got string');
  });
});

describe("array.group_by", () => {
  test("groups by a string key", () => {
    const v = exp('array.group_by([{"name" = "a", "v" = 1}, {"name" = "b"}, {"name" = "a", "v" = 2}], "name", false)') as unknown[];
    expect(v).toEqual([
      obj({ name: "a", items: [obj({ name: "a", v: 1n }), obj({ name: "a", v: 2n })] }),
      obj({ name: "b", items: [obj({ name: "b" })] }),
    ]);
  });
  test("items without the key are dropped or grouped under an empty value", () => {
    expect(exp('array.group_by([{"x" = 1}], "name", true)')).toEqual([]);
    expect(exp('array.group_by([{"x" = 1}], "name", false)')).toEqual([obj({ name: "", items: [obj({ x: 1n })] })]);
  });
  test("errors (Alloy's cases)", () => {
    expect(expErr('array.group_by([{"name" = "alice"}], "age")')).toBe("test:1:1: group_by: expected 3 arguments, got 2");
    expect(expErr('array.group_by("not an array", "age", false)')).toBe('test:1:16: "not an array" should be array, got string');
    expect(expErr('array.group_by([{"name" = "alice"}], 123, false)')).toBe("test:1:38: 123 should be string, got number");
    expect(expErr('array.group_by([{"name" = "alice"}], "age", "not a bool")')).toBe(
      'test:1:45: "not a bool" should be bool, got string',
    );
    expect(expErr('array.group_by(["not an object"], "age", false)')).toBe('test:1:17: "not an object" should be object, got string');
    expect(expErr('array.group_by([{"name" = "alice", "age" = 20}], "age", false)')).toBe("test:1:44: 20 should be string, got number");
  });
});

describe("Alloy's documented examples", () => {
  test("array.concat", () => {
    expect(ev("array.concat([])")).toEqual([]);
    expect(ev("array.concat([1, 2], [3, 4])")).toEqual([1n, 2n, 3n, 4n]);
    expect(ev("array.concat([[1, 2], [3, 4]], [[5, 6]])")).toEqual([[1n, 2n], [3n, 4n], [5n, 6n]]);
  });
  test("array.combine_maps makes every combination in left-then-right order", () => {
    expect(
      exp(
        'array.combine_maps([{"instance"="1.1.1.1", "team"="A"}, {"instance"="1.1.1.1", "team"="B"}], [{"instance"="1.1.1.1", "cluster"="prod"}, {"instance"="1.1.1.1", "cluster"="ops"}], ["instance"])',
      ),
    ).toEqual([
      { instance: "1.1.1.1", team: "A", cluster: "prod" },
      { instance: "1.1.1.1", team: "A", cluster: "ops" },
      { instance: "1.1.1.1", team: "B", cluster: "prod" },
      { instance: "1.1.1.1", team: "B", cluster: "ops" },
    ]);
  });
  test("array.group_by", () => {
    const src = '[{"type" = "fruit", "name" = "apple"}, {"type" = "fruit", "name" = "banana"}, {"type" = "vegetable", "name" = "carrot"}, {"name" = "rock"}]';
    expect(exp(`array.group_by(${src}, "type", false)`)).toEqual([
      { type: "fruit", items: [{ type: "fruit", name: "apple" }, { type: "fruit", name: "banana" }] },
      { type: "vegetable", items: [{ type: "vegetable", name: "carrot" }] },
      { type: "", items: [{ name: "rock" }] },
    ]);
    expect(exp(`array.group_by(${src}, "type", true)`)).toHaveLength(2);
  });
});
