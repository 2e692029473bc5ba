import { describe, expect, test } from "bun:test";
import { binaryOp, compareBytes, unaryOp, valuesEqual, OperatorError } from "../../src/syntax/ops.ts";
import { Capsule, FunctionValue, Secret, type Value } from "../../src/syntax/value.ts";
import { ev, evErr, obj } from "./helpers.ts";

describe("arithmetic", () => {
  const table: [string, Value][] = [
    ["1 + 2", 3n],
    ["5 - 7", -2n],
    ["6 * 7", 42n],
    ["5 / 2", 2n],
    ["-5 / 2", -2n],
    ["7 % 3", 1n],
    ["-7 % 3", -1n],
    ["5.0 / 2", 2.5],
    ["1 + 0.5", 1.5],
    ["7.5 % 2", 1.5],
    ["2 ^ 10", 1024n],
    ["2 ^ 0", 1n],
    ["0 ^ 5", 0n],
    ["1 ^ -3", 1n],
    ["3 ^ -2", 3n],
    ["2.0 ^ 0.5", Math.SQRT2],
    ["2 ^ 3 ^ 2", 512n],
    ["-2 ^ 2", 4n],
    ['"a" + "b"', "ab"],
    ["9223372036854775807 + 1", -9223372036854775808n],
    ["2 ^ 64", 0n],
    ["3 ^ 41", BigInt.asIntN(64, 3n ** 41n)],
    ["-(3)", -3n],
    ["-(1.5)", -1.5],
    ["!true", false],
  ];
  for (const [src, want] of table) {
    test(`${src} = ${String(want)}`, () => expect(ev(src)).toEqual(want));
  }

  test("float arithmetic keeps float kind even for whole results", () => {
    const v = ev("1.5 + 1.5");
    expect(typeof v).toBe("number");
    expect(v).toBe(3);
  });
});

describe("logical and comparison", () => {
  const table: [string, boolean][] = [
    ["true && false", false],
    ["true || false", true],
    ["1 < 2", true],
    ["2 <= 2", true],
    ["3 > 2.5", true],
    ["2 >= 3", false],
    ['"abc" < "abd"', true],
    ['"B" < "a"', true],
    ['"é" > "z"', true],
    ["3 == 3.0", true],
    ["1 == true", false],
    ['1 != "1"', true],
    ["null == null", true],
    ["[1, [2, 3]] == [1, [2, 3]]", true],
    ["[1, 2] == [1, 2, 3]", false],
    ['{a = 1, b = [2]} == {b = [2], a = 1}', true],
    ["{a = 1} == {a = 2}", false],
    ["{a = 1} == {b = 1}", false],
  ];
  for (const [src, want] of table) {
    test(`${src} is ${want}`, () => expect(ev(src)).toBe(want));
  }

  test("&& and || evaluate both sides (no short circuit)", () => {
    expect(evErr("false && undefined_name")).toBe('test:1:10: identifier "undefined_name" does not exist');
    expect(evErr("true || 1")).toBe("test:1:9: 1 should be one of [bool] for binop ||, got number");
  });

  test("functions are never equal", () => {
    expect(ev("string.to_lower == string.to_lower")).toBe(false);
  });
});

describe("operator errors use Alloy's wording and point at the operand", () => {
  const table: [string, string][] = [
    ['"a" + 1', "test:1:7: 1 should be string, got number"],
    ['1 + "a"', 'test:1:5: "a" should be number, got string'],
    ["true + 1", "test:1:1: true should be one of [number string capsule] for binop +, got bool"],
    ['1 - "a"', 'test:1:5: "a" should be one of [number] for binop -, got string'],
    ["[1] * 2", "test:1:1: [1] should be one of [number] for binop *, got array"],
    ["1 / 0", "test:1:5: 0 divide by zero error"],
    ["1 % 0", "test:1:5: 0 divide by zero error"],
    ["1.5 / 0.0", "test:1:7: 0.0 divide by zero error"],
    ["1 < true", "test:1:5: true should be one of [number string] for binop <, got bool"],
    ['1 < "a"', 'test:1:5: "a" should be number, got string'],
    ["1 && true", "test:1:1: 1 should be one of [bool] for binop &&, got number"],
    ["!1", "test:1:2: 1 should be bool, got number"],
    ['-"a"', 'test:1:2: "a" should be number, got string'],
  ];
  for (const [src, want] of table) {
    test(src, () => expect(evErr(src)).toBe(want));
  }

  test("secrets in arithmetic name the secret expression", () => {
    expect(evErr("secret_val - 1", obj({ secret_val: new Secret("s") }))).toBe(
      "test:1:1: secret_val should be one of [number] for binop -, got capsule",
    );
  });
});

describe("secrets and strings", () => {
  test("secret + string is a secret", () => {
    const v = ev('s + "x"', obj({ s: new Secret("a") }));
    expect(v).toBeInstanceOf(Secret);
    expect((v as Secret).value).toBe("ax");
  });
  test("string + secret is a secret", () => {
    expect((ev('"x" + s', obj({ s: new Secret("a") })) as Secret).value).toBe("xa");
  });
  test("== compares a string with a secret's text", () => {
    expect(ev('s == "a"', obj({ s: new Secret("a") }))).toBe(true);
    expect(ev('"b" == s', obj({ s: new Secret("a") }))).toBe(false);
  });
  test("other capsules cannot be added", () => {
    const c = new Capsule("x.Thing", {});
    expect(evErr("c + c", obj({ c }))).toBe("test:1:1: c could not perform binop + for unknown types lhs capsule rhs capsule");
  });
});

describe("direct API", () => {
  test("binaryOp throws OperatorError naming the operand", () => {
    try {
      binaryOp(1n, "-", "x");
      throw new Error("expected failure");
    } catch (e) {
      expect(e).toBeInstanceOf(OperatorError);
      expect((e as OperatorError).operand).toBe("right");
    }
  });
  test("unaryOp negates ints with 64-bit wrap", () => {
    expect(unaryOp("-", -9223372036854775808n)).toBe(-9223372036854775808n);
  });
  test("valuesEqual compares capsules by identity of their host value", () => {
    const host = {};
    expect(valuesEqual(new Capsule("t", host), new Capsule("t", host))).toBe(true);
    expect(valuesEqual(new Capsule("t", host), new Capsule("t", {}))).toBe(false);
    expect(valuesEqual(new FunctionValue("f", () => null), new FunctionValue("f", () => null))).toBe(false);
  });
  test("compareBytes orders by UTF-8 bytes", () => {
    expect(compareBytes("\uffff", "\u{10000}")).toBeLessThan(0);
    expect(compareBytes("a", "a")).toBe(0);
  });
});

describe("secret conversions (Alloy's TestVM_Capsule_Conversion, optional secrets as string | Secret)", () => {
  // An optional secret that is not secret is a plain string; one that is secret is a Secret.
  const scope = obj({
    string_val: "hello",
    non_secret_val: "world",
    secret_val: new Secret("secret"),
    secret_type_val: new Secret("welcome"),
  });
  const table: [string, Value][] = [
    ["string_val + non_secret_val", "helloworld"],
    ["non_secret_val + string_val", "worldhello"],
    ['"world" == non_secret_val', true],
    ["secret_val == secret_val", true],
    ["non_secret_val == secret_val", false],
    ["secret_val + string_val", new Secret("secrethello")],
    ["secret_val + non_secret_val", new Secret("secretworld")],
    ["non_secret_val + secret_type_val", new Secret("worldwelcome")],
    ["secret_type_val + string_val", new Secret("welcomehello")],
    ["secret_type_val + secret_val", new Secret("welcomesecret")],
    ["string_val + secret_type_val", new Secret("hellowelcome")],
  ];
  for (const [src, want] of table) {
    test(src, () => expect(ev(src, scope)).toEqual(want));
  }
  test("subtraction with secrets names the operand", () => {
    expect(evErr("secret_val - string_val", scope)).toBe("test:1:1: secret_val should be one of [number] for binop -, got capsule");
    expect(evErr("string_val - secret_val", scope)).toBe("test:1:1: string_val should be one of [number] for binop -, got capsule");
  });
});

describe("integer arithmetic properties", () => {
  test("+ - * wrap to int64 like Go", async () => {
    const fc = await import("fast-check");
    const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        return (
          binaryOp(a, "+", b) === BigInt.asIntN(64, a + b) &&
          binaryOp(a, "-", b) === BigInt.asIntN(64, a - b) &&
          binaryOp(a, "*", b) === BigInt.asIntN(64, a * b)
        );
      }),
      { numRuns: 2000 },
    );
  });
});
