// Cases from Go's text/template exec_test.go, with JavaScript data standing in
// for Go's test value (ints as bigint, floats as number).
import { describe, expect, test } from "bun:test";
import { Template, goFunc } from "../../src/gocompat/template/template.ts";

class U {
  V = "v";
}
class T {
  I = 17n;
  U = new U();
  X = "x";
  FloatZero = 0;
  SI = [3n, 4n, 5n];
  SIEmpty: bigint[] = [];
  SB = [true, false];
  MSI = { one: 1n, two: 2n, three: 3n };
  MSIone = { one: 1n };
  MSIEmpty = {};
  MXI = { one: 1n };
  SMSI = [{ one: 1n, two: 2n }, { eleven: 11n, twelve: 12n }];
  Empty0: unknown = null;
  Empty3 = [7n, 8n];
  Method0(): string {
    return "M0";
  }
  Method1(a: bigint): bigint {
    return a;
  }
  MAdd(a: bigint, b: bigint[]): bigint[] {
    return b.map((x) => x + a);
  }
  Copy(): T {
    return new T();
  }
}
const tVal = new T();

const funcs = {
  oneArg: goFunc(["string"], (a: string) => "oneArg=" + a),
  twoArgs: goFunc(["string", "string"], (a: string, b: string) => "twoArgs=" + a + b),
  dddArg: goFunc(["int", "string"], (a: bigint, ...b: string[]) => `${a} [${b.join(" ")}]\n`, true),
  zeroArgs: goFunc([], () => "zeroArgs"),
  mapOfThree: goFunc([], () => ({ three: 3n })),
  makemap: goFunc(["string"], (...a: string[]) => Object.fromEntries(a.flatMap((x, i) => (i % 2 ? [] : [[x, a[i + 1]]]))), true),
  valueString: goFunc(["string"], () => "value is ignored"),
  returnInt: goFunc([], () => 7n),
};

// [name, template, output, ok]
const cases: [string, string, string, boolean][] = [
  ["parens: spaces and args", '{{(makemap "up" "down" "left" "right").left}}', "right", true],
  ["if true", "{{if true}}TRUE{{end}}", "TRUE", true],
  ["if nil", "{{if nil}}TRUE{{end}}", "", false],
  ["if 1.5", "{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO", true],
  ["if 0.0", "{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", true],
  ["if emptystring", "{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", true],
  ["if map unset", "{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", true],
  ["if map not unset", "{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}", "ZERO", true],
  ["if $x with $y int", "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}", "true,17", true],
  ["if $x with $x int", "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", "17,true", true],
  ["if else chain", "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", "3", true],
  ["print 123", "{{print 1 2 3}}", "1 2 3", true],
  ["print nil", "{{print nil}}", "<nil>", true],
  ["printf int", '{{printf "%04x" 127}}', "007f", true],
  ["printf float", '{{printf "%g" 3.5}}', "3.5", true],
  ["printf function", '{{printf "%#q" zeroArgs}}', "`zeroArgs`", true],
  ["printf field", '{{printf "%s" .U.V}}', "v", true],
  ["printf method", '{{printf "%s" .Method0}}', "M0", true],
  ["printf dot", '{{with .I}}{{printf "%d" .}}{{end}}', "17", true],
  ["html", '{{html "<script>alert(\\"XSS\\");</script>"}}', "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;", true],
  ["html pipeline", '{{printf "<script>alert(\\"XSS\\");</script>" | html}}', "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;", true],
  ["urlquery", '{{"http://www.example.org/"|urlquery}}', "http%3A%2F%2Fwww.example.org%2F", true],
  ["not", "{{not true}} {{not false}}", "false true", true],
  ["and", "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", "false 0 0 1", true],
  ["or", "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", "0 1 true 1", true],
  ["boolean if", "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", "TRUE", true],
  ["boolean if not", "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", "FALSE", true],
  ["slice[1]", "{{index .SI 1}}", "4", true],
  ["slice[HUGE]", "{{index .SI 10}}", "", false],
  ["slice[WRONG]", "{{index .SI `hello`}}", "", false],
  ["slice[nil]", "{{index .SI nil}}", "", false],
  ["map[two]", "{{index .MSI `two`}}", "2", true],
  ["map[nil]", "{{index .MSI nil}}", "", false],
  ["map[WRONG]", "{{index .MSI 10}}", "", false],
  ["double index", "{{index .SMSI 1 `eleven`}}", "11", true],
  ["nil[1]", "{{index nil 1}}", "", false],
  ["len slice", "{{len .SI}}", "3", true],
  ["len map", "{{len .MSI }}", "3", true],
  ["len of int", "{{len 3}}", "", false],
  ["len of nothing", "{{len .Empty0}}", "", false],
  ["with 1.5", "{{with 1.5}}{{.}}{{else}}ZERO{{end}}", "1.5", true],
  ["with slice", "{{with .SI}}{{.}}{{else}}EMPTY{{end}}", "[3 4 5]", true],
  ["with map", "{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}", "map[one:1]", true],
  ["with $x struct.U.V", "{{with $x := $}}{{$x.U.V}}{{end}}", "v", true],
  ["with variable and action", "{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", "v", true],
  ["range []bool", "{{range .SB}}-{{.}}-{{end}}", "-true--false-", true],
  ["range []int method", "{{range .SI | .MAdd .I}}-{{.}}-{{end}}", "-20--21--22-", true],
  ["range map", "{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-", true],
  ["range empty map else", "{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY", true],
  ["range empty interface", "{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", "-7--8-", true],
  ["range empty nil", "{{range .Empty0}}-{{.}}-{{end}}", "", true],
  ["range $x $y MSIone", "{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", "<one=1>", true],
  ["declare in range", "{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}", "<3><4><5>", true],
  ["or as if true", '{{or .SI "slice is empty"}}', "[3 4 5]", true],
  ["or as if false", '{{or .SIEmpty "slice is empty"}}', "slice is empty", true],
  ["bug0", "{{range .MSIone}}{{if $.Method1 .}}X{{end}}{{end}}", "X", true],
  ["bug3", "{{with $}}{{.Method0}}{{end}}", "M0", true],
  ["bug4", "{{if .Empty0}}non-nil{{else}}nil{{end}}", "nil", true],
  ["bug7a", "{{3 2}}", "", false],
  ["bug7b", "{{$x := 1}}{{$x 2}}", "", false],
  ["bug7c", "{{$x := 1}}{{3 | $x}}", "", false],
  ["bug8a", "{{3|oneArg}}", "", false],
  ["bug8b", "{{4|dddArg 3}}", "", false],
  ["bug10", "{{mapOfThree.three}}-{{(mapOfThree).three}}", "3-3", true],
  ["bug12xe", "{{printf `%T` 0xef}}", "int", true],
  ["bug13", "{{print (.Copy).I}}", "17", true],
  ["bug14a", "{{(nil).True}}", "", false],
  ["bug14b", "{{$x := nil}}{{$x.anything}}", "", false],
  ["bug14c", '{{$x := (1.0)}}{{$y := ("hello")}}{{$x.anything}}{{$y.true}}', "", false],
  ["bug15", "{{valueString returnInt}}", "", false],
  ["bug16a", "{{true|printf}}", "", false],
  ["bug16b", "{{1|printf}}", "", false],
  ["bug16d", "{{'x'|printf}}", "", false],
  ["bug16f", '{{true|twoArgs "xxx"}}', "", false],
  ["bug16g", '{{"aaa" |twoArgs "bbb"}}', "twoArgs=bbbaaa", true],
  ["bug16h", "{{1|oneArg}}", "", false],
  ["bug16i", '{{"aaa"|oneArg}}', "oneArg=aaa", true],
  ["bug16k", '{{"aaa"|printf }}', "aaa", true],
];

describe("Go exec_test cases", () => {
  for (const [name, text, want, ok] of cases) {
    test(name, () => {
      const t = new Template(name).funcs(funcs).parse(text);
      if (ok) expect(t.execute(tVal)).toBe(want);
      else expect(() => t.execute(tVal)).toThrow(/^template: /);
    });
  }
});
