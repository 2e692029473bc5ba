import { describe, expect, test } from "bun:test";
import { Template, goFunc } from "../../src/gocompat/template/template.ts";

const run = (text: string, data: unknown = undefined, funcs = {}) => new Template("t").funcs(funcs).parse(text).execute(data);

class Person {
  constructor(
    public Name: string,
    public Age: bigint,
  ) {}
  Greet(other: string): string {
    return `hi ${other}, I am ${this.Name}`;
  }
}

const data = {
  str: "hello",
  num: 7n,
  flt: 1.5,
  yes: true,
  no: false,
  empty: "",
  list: ["a", "b", "c"],
  nums: [3n, 1n, 2n],
  m: { z: "last", a: "first" },
  nested: { inner: { deep: "value" } },
  person: new Person("Ann", 30n),
  nilval: null,
  html: `<a href="x">'&'</a>`,
};

describe("text/template output", () => {
  const cases: [string, string, string][] = [
    ["plain text", "hello, world", "hello, world"],
    ["field on a map", "{{.str}} {{.num}} {{.flt}} {{.yes}}", "hello 7 1.5 true"],
    ["missing map key prints <no value>", "[{{.missing}}]", "[<no value>]"],
    ["nil map value prints <no value>", "[{{.nilval}}]", "[<no value>]"],
    ["nested fields", "{{.nested.inner.deep}}", "value"],
    ["struct field and method", "{{.person.Name}} {{.person.Age}} {{.person.Greet \"Bob\"}}", "Ann 30 hi Bob, I am Ann"],
    ["slice and map printing", "{{.list}} {{.m}}", "[a b c] map[a:first z:last]"],
    ["trim markers", "a  {{- .str -}}  \n b", "ahellob"],
    ["trim keeps number sign", "{{-3}}", "-3"],
    ["comments", "a{{/* note */}}b{{- /* trimmed */ -}} c", "abc"],
    ["if / else if / else", "{{if .no}}1{{else if .empty}}2{{else if .num}}3{{else}}4{{end}}", "3"],
    ["if on empty collections", "{{if .list}}L{{end}}{{if .none}}N{{else}}E{{end}}", "LE"],
    ["with sets dot", "{{with .nested.inner}}{{.deep}}{{end}}{{with .missing}}x{{else}}none{{end}}", "valuenone"],
    ["range over slice with index", "{{range $i, $e := .list}}{{$i}}={{$e}};{{end}}", "0=a;1=b;2=c;"],
    ["range over map sorted", "{{range $k, $v := .m}}{{$k}}:{{$v}} {{end}}", "a:first z:last "],
    ["range else on empty", "{{range .empty_list}}x{{else}}empty{{end}}", "empty"],
    ["range over int", "{{range 3}}{{.}}{{end}}", "012"],
    ["break and continue", "{{range .nums}}{{if eq . 1}}{{continue}}{{end}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", "3"],
    ["variable alone with spaces", "{{ $x := 5 }}{{ $x }}", "5"],
    ["variables and assignment", "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2"],
    ["$ is the data root inside range", "{{range .list}}{{$.str}}{{end}}", "hellohellohello"],
    ["pipelines pass the last argument", `{{.str | printf "%s-%s" "x"}}`, "x-hello"],
    ["parenthesized pipelines", `{{printf "%d" (len .list)}}`, "3"],
    ["chain on parenthesized value", "{{(index .nested \"inner\").deep}}", "value"],
    ["print spacing", `{{print 1 2 "a" "b" 3}}`, "1 2ab3"],
    ["println", `{{println "a" 1}}`, "a 1\n"],
    ["printf verbs", `{{printf "%05.1f|%q|%x|%v" 3.14159 "q" 255 .list}}`, "003.1|\"q\"|ff|[a b c]"],
    ["len counts bytes", `{{len "héllo"}} {{len .list}} {{len .m}}`, "6 3 2"],
    ["index slices, maps and strings", `{{index .list 1}} {{index .m "a"}} {{index "abc" 1}} {{index .m "nope"}}`, "b first 98 <no value>"],
    ["slice", `{{slice .list 1}} {{slice "hello" 1 3}} {{slice .list 0 2}}`, "[b c] el [a b]"],
    ["and / or return operands", `{{and 1 0 2}} {{or 0 "" "x"}} {{and 1 2}} {{or 0 false}}`, "0 x 2 false"],
    ["and short-circuits", `{{and false (index .list 99)}}`, "false"],
    ["not", "{{not .yes}} {{not .empty}}", "false true"],
    ["comparisons", `{{eq .num 7}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{eq .str "x" "hello"}}`, "true true true true true false true"],
    ["eq with a missing value is false", `{{eq .missing "x"}}`, "false"],
    ["html js urlquery", `{{html .html}}|{{js "a'b<c>\\n"}}|{{urlquery "a b&c=d/é"}}`, "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;|a\\'b\\u003Cc\\u003E\\u000A|a+b%26c%3Dd%2F%C3%A9"],
    ["html of a missing value", "{{html .missing}}", "&lt;no value&gt;"],
    ["print of a missing value", "{{print .missing}}", "<nil>"],
    ["number literals", "{{1.0}} {{1e3}} {{0x1F}} {{'a'}} {{1_000}} {{0b101}} {{017}}", "1 1000 31 97 1000 5 15"],
    ["define and template", `{{define "T"}}[{{.}}]{{end}}{{template "T" .str}}{{template "T"}}`, "[hello][<no value>]"],
    ["block with default body", `{{block "B" .num}}({{.}}){{end}}`, "(7)"],
    ["template variables do not leak", `{{$x := 1}}{{define "V"}}{{$}}{{end}}{{template "V" 5}}`, "5"],
    ["raw strings", "{{`a\\nb`}}", "a\\nb"],
    ["multi-line action", "{{ if\n .yes }}y{{ end }}", "y"],
    ["call", "{{call .f 2 3}}", "5"],
  ];
  for (const [name, text, want] of cases) {
    test(name, () => expect(run(text, { ...data, f: goFunc(["int", "int"], (a: bigint, b: bigint) => a + b) })).toBe(want));
  }
});

describe("parse errors like Go's", () => {
  const cases: [string, string][] = [
    ["{{.a}", "template: t:1: bad character U+007D '}'"],
    ["{{if .a}}x", "template: t:1: unexpected EOF"],
    ["x{{end}}", "template: t:1: unexpected {{end}}"],
    ["{{else}}", "template: t:1: unexpected {{else}}"],
    ["{{nope 1}}", 'template: t:1: function "nope" not defined'],
    ["{{$x}}", 'template: t:1: undefined variable "$x"'],
    ["\n\n{{.a", "template: t:3: unclosed action"],
    ["{{/* x */ .a}}", "template: t:1: comment ends before closing delimiter"],
    ["{{/* x", "template: t:1: unclosed comment"],
    ["{{}}", "template: t:1: missing value for command"],
    ["{{.a | 3}}", "template: t:1: non executable command in pipeline stage 2"],
    ["{{break}}", "template: t:1: {{break}} outside {{range}}"],
    ["{{ constructor }}", 'template: t:1: function "constructor" not defined'],
    ["{{ toString 1 }}", 'template: t:1: function "toString" not defined'],
    ['{{"abc}}', "template: t:1: unterminated quoted string"],
    ["{{3x}}", 'template: t:1: bad number syntax: "3x"'],
    ["{{if}}{{end}}", "template: t:1: missing value for if"],
    ['{{template .x}}', 'template: t:1: unexpected ".x" in template clause'],
    ["{{(1}}", "template: t:1: unclosed left paren"],
    ["{{range $a, $b, $c := .}}{{end}}", "template: t:1: too many declarations in range"],
  ];
  for (const [text, msg] of cases) test(JSON.stringify(text), () => expect(() => run(text)).toThrow(msg));
});

describe("execution errors like Go's", () => {
  const cases: [string, unknown, string][] = [
    ["{{index .l 5}}", { l: [1n] }, 'template: t:1:2: executing "t" at <index .l 5>: error calling index: index out of range: 5'],
    ["{{len 3}}", {}, 'template: t:1:2: executing "t" at <len 3>: error calling len: len of type int'],
    ["{{lt 1 1.5}}", {}, "error calling lt: incompatible types for comparison"],
    ["{{lt true false}}", {}, "error calling lt: invalid type for comparison"],
    ["{{.a.b}}", { a: "s" }, 'executing "t" at <.a.b>: can\'t evaluate field b in type string'],
    ['{{template "nope"}}', {}, 'template: t:1:11: executing "t" at <{{template "nope"}}>: template "nope" not defined'],
    ['{{printf 3}}', {}, 'executing "t" at <3>: expected string; found 3'],
    ["{{len}}", {}, "wrong number of args for len: want 1 got 0"],
    ["{{and}}", {}, "wrong number of args for and: want at least 1 got 0"],
    ["{{ToLower .missing}}", {}, "invalid value; expected string"],
    ["{{ToLower .n}}", { n: 1n }, "wrong type for value; expected string; got int"],
    ["{{range .s}}{{end}}", { s: "abc" }, "range can't iterate over abc"],
    ["{{.m.x 1}}", { m: {} }, "x is not a method but has arguments"],
    ["{{nil}}", {}, "nil is not a command"],
    ["{{3 4}}", {}, "can't give argument to non-function 3"],
    ["{{fail}}", {}, 'executing "t" at <fail>: error calling fail: boom'],
  ];
  for (const [text, d, msg] of cases) {
    test(text, () =>
      expect(() =>
        run(text, d, {
          ToLower: goFunc(["string"], (s: string) => s.toLowerCase()),
          fail: () => {
            throw new Error("boom");
          },
        }),
      ).toThrow(msg),
    );
  }

  test("missingkey=error reports the key", () => {
    const t = new Template("t").option("missingkey=error").parse("{{.x}}");
    expect(() => t.execute({})).toThrow('map has no entry for key "x"');
  });

  test("errors locate the line and column", () => {
    expect(() => run("line1\n  {{index .l 9}}", { l: [] })).toThrow('template: t:2:4: executing "t" at <index .l 9>');
  });
});
