// Parse error cases from Go's text/template/parse parse_test.go (errorTests).
import { describe, expect, test } from "bun:test";
import { Template } from "../../src/gocompat/template/template.ts";

const cases: [string, string, string][] = [
  ["unclosed1", "line1\n{{", "unclosed1:2: unclosed action"],
  ["unclosed2", "line1\n{{define `x`}}line2\n{{", "unclosed2:3: unclosed action"],
  ["unclosed3", 'line1\n{{"x"\n"y"\n', "unclosed3:4: unclosed action started at unclosed3:2"],
  ["unclosed4", "{{\n\n\n\n\n", "unclosed4:6: unclosed action started at unclosed4:1"],
  ["var1", "line1\n{{\nx\n}}", 'var1:3: function "x" not defined'],
  ["function", "{{foo}}", 'function "foo" not defined'],
  ["comment1", "{{/*}}", "comment1:1: unclosed comment"],
  ["comment2", "{{/*\nhello\n}}", "comment2:1: unclosed comment"],
  ["lparen", "{{.X (1 2 3}}", "unclosed left paren"],
  ["rparen", "{{.X 1 2 3 ) }}", "unexpected right paren"],
  ["rparen2", "{{(.X 1 2 3", "unclosed action"],
  ["space", "{{`x`3}}", "in operand"],
  ["idchar", "{{a#}}", "'#'"],
  ["charconst", "{{'a}}", "unterminated character constant"],
  ["stringconst", '{{"a}}', "unterminated quoted string"],
  ["rawstringconst", "{{`a}}", "unterminated raw quoted string"],
  ["number", "{{0xi}}", "number syntax"],
  ["multidefine", "{{define `a`}}a{{end}}{{define `a`}}b{{end}}", "multiple definition of template"],
  ["eof", "{{range .X}}", "unexpected EOF"],
  ["variable", "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", 'unexpected ":="'],
  ["multidecl", "{{$a,$b,$c := 23}}", "too many declarations"],
  ["undefvar", "{{$a}}", "undefined variable"],
  ["wrongdot", "{{true.any}}", "unexpected . after term"],
  ["wrongpipeline", "{{12|false}}", "non executable command in pipeline"],
  ["emptypipeline", "{{ ( ) }}", "missing value for parenthesized pipeline"],
  ["multilinerawstring", "{{ $v := `\n` }} {{", "multilinerawstring:2: unclosed action"],
  ["rangeundefvar", "{{range $k}}{{end}}", "undefined variable"],
  ["rangeundefvars", "{{range $k, $v}}{{end}}", "undefined variable"],
  ["rangemissingvalue1", "{{range $k,}}{{end}}", "missing value for range"],
  ["rangemissingvalue2", "{{range $k, $v := }}{{end}}", "missing value for range"],
  ["rangenotvariable1", "{{range $k, .}}{{end}}", "range can only initialize variables"],
  ["rangenotvariable2", "{{range $k, 123 := .}}{{end}}", "range can only initialize variables"],
];

describe("Go parse_test errorTests", () => {
  for (const [name, text, want] of cases) {
    test(name, () => expect(() => new Template(name).parse(text)).toThrow(want));
  }
  test("block defines a template and calls it", () => {
    const t = new Template("outer").parse('a{{block "inner" .}}bar{{.}}baz{{end}}b');
    expect(t.definedTemplates().sort()).toEqual(["inner", "outer"]);
    expect(t.execute("X")).toBe("abarXbazb");
  });
});
