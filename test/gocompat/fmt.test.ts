import { describe, expect, test } from "bun:test";
import { sprint, sprintf, sprintln } from "../../src/gocompat/fmt.ts";
import { formatFloat } from "../../src/gocompat/ftoa.ts";

describe("Sprintf like Go's fmt", () => {
  const cases: [string, unknown[], string][] = [
    ["%d %s %v %t", [42n, "str", 1.5, true], "42 str 1.5 true"],
    ["%5d|%-5d|%05d", [42n, 42n, -42n], "   42|42   |-0042"],
    ["%x %X %o %b %#x %#o", [255n, 255n, 8n, 5n, 255n, 8n], "ff FF 10 101 0xff 010"],
    ["%q %q", ["hi\n", 65n], `"hi\\n" 'A'`],
    ["%c %U %#U", [0x4e16n, 0x1f600n, 65n], "世 U+1F600 U+0041 'A'"],
    ["%.2f %8.3f %e %E %g", [3.14159, 2.5, 123456.789, 0.000123, 1e21], "3.14    2.500 1.234568e+05 1.230000E-04 1e+21"],
    ["%v %v %v %v", [1e6, 123456.0, 1e-5, 0.0001], "1e+06 123456 1e-05 0.0001"],
    ["%.0f %.2f %.1f", [2.5, 0.125, 0.25], "2 0.12 0.2"],
    ["%g %.3g %G", [100000.0, 1234.5678, 1e-7], "100000 1.23e+03 1E-07"],
    ["%6.2f|%-8s|%8s|%.2s", [1.0, "ab", "ab", "héllo"], "  1.00|ab      |      ab|hé"],
    ["%x % x %X", ["hi", "hi", [104n, 105n]], "6869 68 69 [68 69]"],
    ["%v %d %s", [[1n, 2n], [1n, 2n], ["a", "b"]], "[1 2] [1 2] [a b]"],
    ["%v", [{ b: 2n, a: "x" }], "map[a:x b:2]"],
    ["%v %s", [null, null], "<nil> %!s(<nil>)"],
    ["%d", ["str"], "%!d(string=str)"],
    ["%s", [5n], "%!s(int=5)"],
    ["%z", [1.5], "%!z(float64=1.5)"],
    ["%d %d", [1n], "1 %!d(MISSING)"],
    ["%d", [1n, "x", null], "1%!(EXTRA string=x, <nil>)"],
    ["100%%", [], "100%"],
    ["%", [], "%!(NOVERB)"],
    ["%T %T %T %T %T", [1n, 1.5, "s", [1n], { a: 1n }], "int float64 string []interface {} map[string]interface {}"],
    ["%+d % d %+.1f", [5n, 5n, 2.0], "+5  5 +2.0"],
    ["%*d|%-*d", [4n, 7n, 3n, 7n], "   7|7  "],
    ["%[2]s %[1]s", ["a", "b"], "b a"],
    ["%v %f %v", [Infinity, -Infinity, NaN], "+Inf -Inf NaN"],
    ["%#v %#v", ["q", [1n]], `"q" []interface {}{1}`],
    ["%v", [new Error("boom")], "boom"],
  ];
  for (const [format, args, want] of cases) test(`${format} ${want}`, () => expect(sprintf(format, ...args)).toBe(want));
});

describe("Sprint and Sprintln", () => {
  test("Sprint adds spaces only between non-string operands", () => {
    expect(sprint("a", "b", 1n, 2n, "c", 3.5)).toBe("ab1 2c3.5");
    expect(sprint(null, 1n)).toBe("<nil> 1");
  });
  test("Sprintln always separates and ends with a newline", () => expect(sprintln("a", "b", 1n)).toBe("a b 1\n"));
});

describe("FormatFloat", () => {
  const cases: [number, "e" | "f" | "g", number, string][] = [
    [0, "g", -1, "0"],
    [-0, "g", -1, "-0"],
    [1234567, "g", -1, "1.234567e+06"],
    [999999.5, "g", -1, "999999.5"],
    [608863452348.1149, "g", -1, "6.088634523481149e+11"],
    [0.1, "f", 20, "0.10000000000000000555"],
    [1.005, "f", 2, "1.00"],
    [9.995, "f", 2, "9.99"],
    [99.5, "f", 0, "100"],
    [5e-324, "e", -1, "5e-324"],
    [1.7976931348623157e308, "g", -1, "1.7976931348623157e+308"],
    [123.456, "e", 2, "1.23e+02"],
  ];
  for (const [x, f, p, want] of cases) test(`${x} ${f} ${p}`, () => expect(formatFloat(x, f, p)).toBe(want));
});
