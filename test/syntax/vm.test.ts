import { describe, expect, test } from "bun:test";
import { EvalError, Scope, evaluate, literalValue, stabilityAllowed, unquote } from "../../src/syntax/vm.ts";
import { Capsule, FunctionValue, newObject, type Value } from "../../src/syntax/value.ts";
import { FunctionError } from "../../src/syntax/convert.ts";
import type { Diagnostic } from "../../src/syntax/diag.ts";
import { ev, evErr, expr, obj, opts } from "./helpers.ts";

describe("literals", () => {
  test("numbers use Go's base-0 parsing", () => {
    expect(ev("010")).toBe(8n);
    expect(ev("08")).toBe(8);
    expect(ev("0")).toBe(0n);
    expect(ev("18446744073709551615")).toBe(18446744073709551615n);
    expect(ev("18446744073709551616")).toBe(18446744073709551616);
    expect(ev("1.")).toBe(1);
    expect(ev(".5")).toBe(0.5);
    expect(ev("1e3")).toBe(1000);
  });
  test("strings decode Go escapes", () => {
    expect(ev('"a\\tb\\n\\"q\\" \\u00e9 \\x41 \\101"')).toBe('a\tb\n"q" é A A');
    expect(unquote('"\\xe2\\x82\\xac"')).toBe("€");
    expect(ev("`raw\\n`")).toBe("raw\\n");
    expect(unquote("`a\r\nb`")).toBe("a\nb");
  });
  test("bool and null", () => {
    expect(ev("true")).toBe(true);
    expect(ev("null")).toBe(null);
    expect(literalValue("BOOL", "false")).toBe(false);
  });
  test("arrays and objects", () => {
    expect(ev('[1, "a", [true]]')).toEqual([1n, "a", [true]]);
    const o = ev('{a = 1, "b c" = 2, a = 3}') as Record<string, Value>;
    expect(o["a"]).toBe(3n);
    expect(o["b c"]).toBe(2n);
  });
});

describe("identifiers and scope", () => {
  test("resolve through the scope chain, child first", () => {
    const parent = new Scope(obj({ a: 1n, b: 2n }));
    const child = new Scope(obj({ a: 10n }), parent);
    expect(evaluate(expr("a + b"), child, opts())).toBe(12n);
  });
  test("scope variables shadow the stdlib", () => {
    expect(ev("string", obj({ string: "mine" }))).toBe("mine");
  });
  test("unknown identifiers are errors at the identifier", () => {
    expect(evErr("1 + nope")).toBe('test:1:5: identifier "nope" does not exist');
  });
});

describe("field access and indexing", () => {
  const scope = obj({ o: obj({ a: obj({ b: [1n, 2n] }) }), arr: [10n, 20n], s: "str" });
  test("reads nested values", () => {
    expect(ev("o.a.b[1]", scope)).toBe(2n);
    expect(ev('o["a"]["b"][0]', scope)).toBe(1n);
    expect(ev("arr[1.9]", scope)).toBe(20n);
  });
  test('missing key via [""] is null', () => {
    expect(ev('o["zzz"]', scope)).toBe(null);
  });
  const errors: [string, string][] = [
    ["o.zzz", 'test:1:3: field "zzz" does not exist'],
    ["s.x", 'test:1:1: s cannot access field "x" on value of type string'],
    ["arr[2]", "test:1:5: 2 index 2 is out of range of array with length 2"],
    ["arr[-1]", "test:1:5: -1 index -1 is out of range of array with length 2"],
    ['arr["x"]', 'test:1:5: "x" should be number, got string'],
    ["o[1]", "test:1:3: 1 should be string, got number"],
    ["s[0]", "test:1:1: s expected object or array, got string"],
    ["c.x", "test:1:1: c expected object or array or a capsule convertible to an object, got capsule"],
  ];
  for (const [src, want] of errors) {
    test(src, () => expect(evErr(src, { ...scope, c: new Capsule("t", 1) } as never)).toBe(want));
  }
});

describe("calls", () => {
  test("call a scope function", () => {
    const add = new FunctionValue("add", (args) => (args[0] as bigint) + (args[1] as bigint));
    expect(ev("add(1, 2)", obj({ add }))).toBe(3n);
  });
  test("calling a non-function names the callee", () => {
    expect(evErr("x(1)", obj({ x: 1n }))).toBe("test:1:1: x should be function, got number");
  });
  test("arg count errors name the function expression", () => {
    expect(evErr('string.join(["a"])')).toBe("test:1:1: string.join expected 2 args, got 1");
    expect(evErr("string.format()")).toBe("test:1:1: string.format expected at least 1 args, got 0");
  });
  test("argument conversion errors point at the argument, inside literals", () => {
    expect(evErr('string.join(["a", true], ",")')).toBe("test:1:19: true should be string, got bool");
    expect(evErr("string.join(v, \",\")", obj({ v: ["a", [1n]] }))).toBe("test:1:13: v[1] should be string, got array");
  });
  test("a function's own failure is prefixed with the function expression", () => {
    const f = new FunctionValue("f", () => {
      throw new FunctionError("went wrong");
    });
    expect(evErr("f()", obj({ f }))).toBe("test:1:1: f went wrong");
  });
});

describe("value error paths (Alloy's vm error tests)", () => {
  test("deeply nested literal points at the element", () => {
    expect(evErr('[15, 30, "Hello"] - 1')).toBe('test:1:1: [15, 30, "Hello"] should be one of [number] for binop -, got array');
  });
});

describe("stability and deprecation", () => {
  test("experimental stdlib functions are refused below experimental", () => {
    expect(evErr("array.combine_maps([], [], [])")).toBe(
      'test:1:1: array.combine_maps is at stability level "experimental", which is below the minimum allowed stability level "generally-available". Use --stability.level command-line flag to enable "experimental" features',
    );
    expect(evErr("array.group_by([], \"k\", true)", newObject(), { stability: "public-preview" })).toContain(
      'array.group_by is at stability level "experimental", which is below the minimum allowed stability level "public-preview"',
    );
  });
  test("experimental functions work at experimental", () => {
    expect(ev('array.combine_maps([{a = 1}], [{a = 1, b = 2}], ["a"])', newObject(), { stability: "experimental" })).toEqual([
      obj({ a: 1n, b: 2n }),
    ]);
  });
  test("a scope variable named array is not the stdlib", () => {
    expect(ev("array.combine_maps", obj({ array: obj({ combine_maps: 1n }) }))).toBe(1n);
  });
  test("deprecated aliases work and warn", () => {
    const warnings: Diagnostic[] = [];
    expect(ev('to_upper("a")', newObject(), { onWarning: (d) => warnings.push(d) })).toBe("A");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.severity).toBe("warning");
    expect(warnings[0]!.message).toContain("this stdlib function is deprecated");
    expect(warnings[0]!.start?.column).toBe(1);
  });
  test("stabilityAllowed orders the levels", () => {
    expect(stabilityAllowed("generally-available", "experimental")).toBe(true);
    expect(stabilityAllowed("experimental", "public-preview")).toBe(false);
    expect(stabilityAllowed("public-preview", "public-preview")).toBe(true);
  });
});

describe("EvalError", () => {
  test("carries one diagnostic with a range", () => {
    try {
      ev('1 + "x"');
      throw new Error("expected failure");
    } catch (e) {
      expect(e).toBeInstanceOf(EvalError);
      const d = (e as EvalError).diagnostic;
      expect(d.start).toEqual({ offset: 4, line: 1, column: 5 });
      expect(d.end?.column).toBe(8);
      expect((e as EvalError).diagnostics).toHaveLength(1);
    }
  });
});

describe("capsules convertible to objects", () => {
  const target = new Capsule("discovery.Target", { toAlloyObject: () => obj({ __address__: "a:1", job: "x" }) });
  test("support field access and indexing", () => {
    expect(ev("t.job", obj({ t: target }))).toBe("x");
    expect(ev('t["__address__"]', obj({ t: target }))).toBe("a:1");
    expect(ev('t["nope"]', obj({ t: target }))).toBe(null);
    expect(evErr("t.nope", obj({ t: target }))).toBe('test:1:3: field "nope" does not exist');
  });
  test("work with object functions", () => {
    expect(ev('array.group_by([t], "job", true)', obj({ t: target }), { stability: "experimental" })).toEqual([
      obj({ job: "x", items: [obj({ __address__: "a:1", job: "x" })] }),
    ]);
  });
});

test("indexing with a non-finite float reports the index like Go's conversion", () => {
  expect(evErr("[][2.5 ^ 10000]")).toBe("test:1:4: 2.5 ^ 10000 index -9223372036854775808 is out of range of array with length 0");
});

test("random expressions either evaluate or fail with an EvalError, never a crash", async () => {
  const fc = await import("fast-check");
  const { parseExpression } = await import("../../src/syntax/parser.ts");
  const { Secret } = await import("../../src/syntax/value.ts");
  const leaf = fc.constantFrom("1", "0", "-1", "2.5", '"a"', '""', "true", "null", "[]", "{}", '[1, "x"]', "{a = 1}", "s", "c", "arr", "9223372036854775807", "010");
  const fns = ["string.format", "string.join", "string.split", "encoding.from_json", "encoding.to_json", "encoding.from_yaml", "json_path", "coalesce", "array.concat", "array.combine_maps", "array.group_by", "convert.nonsensitive", "file.path_join"];
  const gen = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "%", "^", "==", "<", "&&"), tie("e")).map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(fc.constantFrom("-", "!"), tie("e")).map(([op, a]) => `${op}(${a})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `${a}[${b}]`),
      tie("e").map((a) => `${a}.a`),
      fc.tuple(fc.constantFrom(...fns), fc.array(tie("e"), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(", ")})`),
    ) as import("fast-check").Arbitrary<string>,
  })).e;
  const vars = obj({ s: new Secret("x"), c: new Capsule("t", {}), arr: [1n, 2n] });
  fc.assert(
    fc.property(gen, (src) => {
      const r = parseExpression(src);
      if (!r.expr) return true;
      try {
        evaluate(r.expr, new Scope(vars), opts({ stability: "experimental" }));
      } catch (e) {
        return e instanceof EvalError;
      }
      return true;
    }),
    { numRuns: 1500 },
  );
});
