import { describe, expect, test } from "bun:test";
import { sprintf, goQuoteString } from "../../src/syntax/goformat.ts";
import { Secret, type Value } from "../../src/syntax/value.ts";
import { obj } from "./helpers.ts";

const cases: [string, Value[], string][] = [
  ["%s", ["x"], "x"],
  ["%v", ["x"], "x"],
  ["%d", [42n], "42"],
  ["%+d", [5n], "+5"],
  ["% d", [5n], " 5"],
  ["%05d", [-42n], "-0042"],
  ["%-4d|", [7n], "7   |"],
  ["%4d|", [7n], "   7|"],
  ["%.3d", [7n], "007"],
  ["%x", [255n], "ff"],
  ["%X", [255n], "FF"],
  ["%#x", [255n], "0xff"],
  ["%x", [-255n], "-ff"],
  ["%o", [8n], "10"],
  ["%#o", [8n], "010"],
  ["%O", [8n], "0o10"],
  ["%b", [5n], "101"],
  ["%c", [65n], "A"],
  ["%q", [65n], "'A'"],
  ["%U", [0x1f600n], "U+1F600"],
  ["%t", [true], "true"],
  ["%v", [false], "false"],
  ["%f", [3.14159], "3.141590"],
  ["%.2f", [3.14159], "3.14"],
  ["%5.2f|", [3.14159], " 3.14|"],
  ["%-8.3f|", [2.5], "2.500   |"],
  ["%08.3f", [-2.5], "-002.500"],
  ["%+.1f", [2.0], "+2.0"],
  ["%e", [1234.5678], "1.234568e+03"],
  ["%E", [0.000123], "1.230000E-04"],
  ["%.2e", [0], "0.00e+00"],
  ["%g", [1234.5678], "1234.5678"],
  ["%g", [0.00001], "1e-05"],
  ["%g", [1e6], "1e+06"],
  ["%g", [100000.0], "100000"],
  ["%.3g", [3.14159], "3.14"],
  ["%.3g", [1.0], "1"],
  ["%.2g", [1234.0], "1.2e+03"],
  ["%G", [1e-10], "1E-10"],
  ["%v", [1.5], "1.5"],
  ["%v", [3.0], "3"],
  ["%v", [1e21], "1e+21"],
  ["%v", [123456789.0], "1.23456789e+08"],
  ["%v", [-0.5], "-0.5"],
  ["%s", ["héllo"], "héllo"],
  ["%8s|", ["ab"], "      ab|"],
  ["%-8s|", ["ab"], "ab      |"],
  ["%.2s", ["abc"], "ab"],
  ["%q", ['a"b\n'], '"a\\"b\\n"'],
  ["%#q", ["ab"], "`ab`"],
  ["%x", ["hi"], "6869"],
  ["%X", ["hi"], "6869"],
  ["%v", [[1n, "a", true]], "[1 a true]"],
  ["%d", [[1n, 2n]], "[1 2]"],
  ["%v", [obj({ b: 1n, a: "x" })], "map[a:x b:1]"],
  ["%v", [null], "<nil>"],
  ["%s", [new Secret("pw")], "pw"],
  ["%%", [], "%"],
  ["100%% of %s", ["it"], "100% of it"],
  ["%T %T %T %T %T %T", [1n, 1.5, "s", true, [], obj({})], "int float64 string bool []interface {} map[string]interface {}"],
  ["%[2]d %[1]d", [1n, 2n], "2 1"],
  ["%*d|", [5n, 42n], "   42|"],
  ["%.*f", [2n, 3.14159], "3.14"],
];

describe("string.format uses Go's verbs", () => {
  for (const [fmt, args, want] of cases) {
    test(`${JSON.stringify(fmt)} with ${args.length} args`, () => expect(sprintf(fmt, args)).toBe(want));
  }
});

describe("Go's in-band error texts", () => {
  const errs: [string, Value[], string][] = [
    ["%d", ["x"], "%!d(string=x)"],
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%s", [1n], "%!s(int=1)"],
    ["%s", [true], "%!s(bool=true)"],
    ["%f", [1n], "%!f(int=1)"],
    ["%t", ["x"], "%!t(string=x)"],
    ["%d", [null], "%!d(<nil>)"],
    ["%s", [["a", 1n]], "[a %!s(int=1)]"],
    ["%d", [], "%!d(MISSING)"],
    ["%s %s", ["a"], "a %!s(MISSING)"],
    ["%d", [1n, 2n], "1%!(EXTRA int=2)"],
    ["x", ["a", 1.5], "x%!(EXTRA string=a, float64=1.5)"],
    ["%z", [1n], "%!z(int=1)"],
    ["%", [], "%!(NOVERB)"],
    ["%[3]d", [1n], "%!d(BADINDEX)"],
    ["%*d", ["x", 1n], "%!(BADWIDTH)1"],
  ];
  for (const [fmt, args, want] of errs) {
    test(`${JSON.stringify(fmt)} → ${want}`, () => expect(sprintf(fmt, args)).toBe(want));
  }
});

test("goQuoteString escapes like strconv.Quote", () => {
  expect(goQuoteString("a\x01\u00e9\u2028")).toBe('"a\\x01é\\u2028"');
});

describe("binary and hexadecimal float verbs", () => {
  const table: [string, Value[], string][] = [
    ["%x", [1.0], "0x1p+00"],
    ["%x", [3.0], "0x1.8p+01"],
    ["%x", [-0.1], "-0x1.999999999999ap-04"],
    ["%X", [3.0], "0X1.8P+01"],
    ["%.1x", [1.0], "0x1.0p+00"],
    ["%x", [0.0], "0x0p+00"],
    ["%b", [1.0], "4503599627370496p-52"],
    ["%b", [0.5], "4503599627370496p-53"],
  ];
  for (const [fmt, args, want] of table) {
    test(`${fmt} of ${String(args[0])}`, () => expect(sprintf(fmt, args)).toBe(want));
  }
});

describe("decimal rounding is exact and half-to-even, as strconv's", () => {
  const table: [string, Value[], string][] = [
    ["%.0f", [2.5], "2"],
    ["%.0f", [3.5], "4"],
    ["%.2f", [0.125], "0.12"],
    ["%.2f", [0.375], "0.38"],
    ["%.1f", [0.05], "0.1"],
    ["%.2e", [0.125], "1.25e-01"],
    ["%.1e", [0.125], "1.2e-01"],
    ["%.3g", [2.0625], "2.06"],
    ["%.0f", [0.5], "0"],
    ["%.0f", [1.5], "2"],
    ["%f", [1e22], "10000000000000000000000.000000"],
    ["%.3f", [9.9996], "10.000"],
    ["%.1f", [-0.04], "-0.0"],
    ["%.20f", [0.1], "0.10000000000000000555"],
  ];
  for (const [fmt, args, want] of table) {
    test(`${fmt} of ${String(args[0])}`, () => expect(sprintf(fmt, args)).toBe(want));
  }
});

describe("width and precision limits", () => {
  test("huge widths from arguments are bad widths", () => {
    expect(sprintf("%*d", [10000000n, 1n])).toBe("%!(BADWIDTH)1");
    expect(sprintf("%.*d", [-1n, 1n])).toBe("%!(BADPREC)1");
  });
  test("a crazy long literal width swallows the rest of the format", () => {
    expect(sprintf("%99999999999d|", [1n])).toBe("%!(NOVERB)%!(EXTRA int=1)");
  });
});
