// Common user mistakes each produce Alloy's exact message at the exact line:column
// (expectations taken from Alloy's own parser).
import { describe, expect, test } from "bun:test";
import { parseFile } from "../../src/syntax/parser.ts";

type Expected = [line: number, column: number, message: string][];

const mistakes: { name: string; src: string | Uint8Array; want: Expected }[] = [
  { name: "missing closing brace of a block", src: "logging {\n  level = \"info\"\n", want: [[3,1,"expected }, got EOF"]] },
  { name: "missing opening brace", src: "logging\n  level = \"info\"\n}\n", want: [[1,8,"expected block label, got TERMINATOR"],[2,3,"expected attribute assignment or block body, got IDENT"],[3,1,"expected identifier, got }"]] },
  { name: "unknown escape in a string", src: "a = \"C:\\path\"\n", want: [[1,9,"unknown escape sequence"]] },
  { name: "escaped single quote", src: "a = \"it\\'s\"\n", want: [[1,9,"unknown escape sequence"]] },
  { name: "single-quoted string", src: "a = 'hello'\n", want: [[1,5,"illegal single-quoted string; use double quotes"],[1,5,"expected expression, got ILLEGAL"]] },
  { name: "label that is not an identifier", src: "prometheus.scrape \"my scraper\" {\n}\n", want: [[1,19,"expected block label to be a valid identifier, but got \"my scraper\""]] },
  { name: "label that is a bare word", src: "prometheus.scrape default {\n}\n", want: [[1,19,"expected block label, got IDENT"]] },
  { name: "label in backticks", src: "prometheus.scrape `default` {\n}\n", want: [[1,19,"expected block label to be a double quoted string, but got \"`default`\""]] },
  { name: "missing comma in a multi-line list", src: "a = [\n  1,\n  2\n]\n", want: [[3,4,"missing ',' in expression list"]] },
  { name: "missing comma in a multi-line object", src: "a = {\n  x = 1,\n  y = 2\n}\n", want: [[3,8,"missing ',' in field list"]] },
  { name: "missing comma between list items on one line", src: "a = [1 2]\n", want: [[1,8,"missing ',' in expression list"]] },
  { name: "attribute name with dots", src: "a.b = 1\n", want: [[1,1,"attribute names may only consist of a single identifier with no \".\""]] },
  { name: "attribute with a label", src: "a \"x\" = 1\n", want: [[1,3,"attribute names may not have labels"]] },
  { name: "comma between attributes", src: "a = 1,\nb = 2\n", want: [[1,6,"expected TERMINATOR, got ,"]] },
  { name: "two attributes on one line", src: "a = 1 b = 2\n", want: [[1,7,"expected TERMINATOR, got IDENT"]] },
  { name: "unterminated string", src: "a = \"hello\nb = 1\n", want: [[1,5,"string literal not terminated"]] },
  { name: "unterminated raw string", src: "a = `hello\n", want: [[1,5,"string literal not terminated"]] },
  { name: "unterminated block comment", src: "/* never closed\na = 1\n", want: [[1,1,"block comment not terminated"]] },
  { name: "lone pipe", src: "a = true | false\n", want: [[1,11,"missing second | in ||"]] },
  { name: "lone ampersand", src: "a = true & false\n", want: [[1,11,"missing second & in &&"]] },
  { name: "NUL byte", src: "a = 1\u0000\n", want: [[1,6,"illegal character NUL"],[1,6,"illegal character U+0000"],[1,6,"expected TERMINATOR, got ILLEGAL"]] },
  { name: "BOM in the middle", src: "a = \ufeff1\n", want: [[1,5,"illegal byte order mark"],[1,5,"expected expression, got ILLEGAL"]] },
  { name: "invalid UTF-8", src: new Uint8Array([0x61, 0x20, 0x3d, 0x20, 0x22, 0xff, 0x22, 0xa]), want: [[1,6,"illegal UTF-8 encoding"]] },
  { name: "exponent without digits", src: "a = 1e\n", want: [[1,5,"exponent has no digits"]] },
  { name: "exponent sign without digits", src: "a = 2.5e+\n", want: [[1,5,"exponent has no digits"]] },
  { name: "block assigned to an attribute", src: "attr = block \"x\" {}\n", want: [[1,8,"cannot use a block as an expression"]] },
  { name: "unlabeled block assigned to an attribute", src: "attr = block {}\n", want: [[1,8,"cannot use a block as an expression"]] },
  { name: "missing value after =", src: "a =\n", want: [[2,1,"expected expression, got EOF"]] },
  { name: "missing = in an attribute", src: "a 1\n", want: [[1,3,"expected block label, got NUMBER"]] },
  { name: "hash comment", src: "# comment\na = 1\n", want: [[1,1,"illegal character U+0023 '#'"],[1,1,"expected identifier, got ILLEGAL"]] },
  { name: "object key that is a number", src: "a = { 1 = 2 }\n", want: [[1,7,"expected field name (string or identifier), got NUMBER"]] },
  { name: "object field with colon", src: "a = { \"k\": \"v\" }\n", want: [[1,10,"illegal character U+003A ':'"],[1,10,"expected =, got ILLEGAL"]] },
  { name: "missing closing bracket", src: "a = [1, 2\n", want: [[1,10,"missing ',' in expression list"],[2,1,"expected ], got EOF"]] },
  { name: "missing closing paren in call", src: "a = f(1, 2\n", want: [[1,11,"missing ',' in expression list"],[2,1,"expected ), got EOF"]] },
  { name: "extra closing brace", src: "a = 1\n}\n", want: [[2,1,"expected identifier, got }"]] },
  { name: "dangling operator at line start", src: "a = 1\n+ 2\n", want: [[2,1,"expected identifier, got +"]] },
  { name: "short hex escape", src: "a = \"\\x4\"\n", want: [[1,7,"illegal character U+0022 '\"' in escape sequence"]] },
  { name: "octal escape out of range", src: "a = \"\\400\"\n", want: [[1,7,"escape sequence is invalid Unicode code point"]] },
  { name: "surrogate unicode escape", src: "a = \"\\ud800\"\n", want: [[1,7,"escape sequence is invalid Unicode code point"]] },
  { name: "escape at end of file", src: "a = \"\\", want: [[1,7,"escape sequence not terminated"],[1,5,"string literal not terminated"]] },
  { name: "keyword as a block label", src: "b \"true\" {\n}\n", want: [[1,3,"expected block label to be a valid identifier, but got \"true\""]] },
  { name: "access of a keyword", src: "a = b.null\n", want: [[1,7,"expected IDENT, got NULL"]] },
  { name: "block name ending with a dot", src: "a. {\n}\n", want: [[1,4,"expected identifier, got {"],[2,1,"expected block label, got }"]] },
  { name: "statement starting with a number", src: "1 = 2\n", want: [[1,1,"expected identifier, got NUMBER"]] },
  { name: "illegal character", src: "a = 1 @ 2\n", want: [[1,7,"illegal character U+0040 '@'"],[1,7,"expected TERMINATOR, got ILLEGAL"]] },
  { name: "two errors on one line report only the first", src: "a = [1 2 3\n", want: [[1,8,"missing ',' in expression list"],[2,1,"expected ], got EOF"]] },
  { name: "assignment with == ", src: "a == 1\n", want: [[1,3,"expected block label, got =="]] },
  { name: "call with trailing comma and no newline after last arg on new line", src: "a = f(\n  1,\n  2\n)\n", want: [[3,4,"missing ',' in expression list"]] },
  { name: "columns count UTF-8 bytes after accented text", src: "a = \"héllo\" @\n", want: [[1,14,"illegal character U+0040 '@'"],[1,14,"expected TERMINATOR, got ILLEGAL"]] },
  { name: "columns count UTF-8 bytes in Cyrillic names", src: "блок {\n  ключ = 'x'\n}\n", want: [[2,14,"illegal single-quoted string; use double quotes"],[2,14,"expected expression, got ILLEGAL"]] },
];

describe("user mistakes", () => {
  test("there are at least 40 distinct mistakes", () => {
    expect(new Set(mistakes.map((m) => m.name)).size).toBeGreaterThanOrEqual(40);
  });
  for (const m of mistakes) {
    test(m.name, () => {
      const { diagnostics } = parseFile("main.alloy", m.src);
      const got = diagnostics.map((d) => [d.start!.line, d.start!.column, d.message]);
      expect(got).toEqual(m.want);
      for (const d of diagnostics) expect(d.file).toBe("main.alloy");
    });
  }
});
