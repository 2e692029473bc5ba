// The printer formats exactly like `alloy fmt` (expectations from Alloy's printer).
import { describe, expect, test } from "bun:test";
import { parseExpression, parseFile } from "../../src/syntax/parser.ts";
import { printExpr, printFile } from "../../src/syntax/printer/index.ts";

function fmt(src: string): string {
  const { file, diagnostics } = parseFile("t.alloy", src);
  expect(diagnostics).toEqual([]);
  return printFile(file);
}

describe("printFile", () => {
  test("attributes get one space around = and binary operators", () => {
    expect(fmt("a=30*2+5\nb=!  true\nc=-  1\nd=(1+2)*3")).toBe("a = 30 * 2 + 5\nb = !true\nc = -1\nd = (1 + 2) * 3");
  });

  test("= signs and trailing comments of a run of attributes are aligned", () => {
    expect(fmt('a = "x" // c1\nbbbbbb = "yyyyyy" // c2\nc = 1\n\n/* lead */ d = 2')).toBe(
      'a      = "x"      // c1\nbbbbbb = "yyyyyy" // c2\nc      = 1\n\n/* lead */ d = 2',
    );
  });

  test("object fields align, and a multi-line field ends the run", () => {
    expect(fmt("obj = {\n  a = 1,\n  bbb = [\n    1,\n  ],\n  cc = 2,\n}")).toBe("obj = {\n\ta   = 1,\n\tbbb = [\n\t\t1,\n\t],\n\tcc = 2,\n}");
  });

  test("blocks are indented with tabs and separated from what precedes them by a blank line", () => {
    expect(fmt("blk {}\na = 1\nblk2 {}")).toBe("blk { }\na = 1\n\nblk2 { }");
    expect(fmt("blk {\na = 1\nb = 2\n\n\nc = 3\nd {\n}\ne = 4\n}")).toBe("blk {\n\ta = 1\n\tb = 2\n\n\tc = 3\n\n\td { }\n\te = 4\n}");
  });

  test("an empty label is dropped and a one-line block is expanded", () => {
    expect(fmt('b "" { }')).toBe("b { }");
    expect(fmt("block { a = 1 }")).toBe("block {\n\ta = 1\n}");
  });

  test("a same-line trailing comma is dropped; a closing bracket on its own line forces one", () => {
    expect(fmt("a = [1,2,3,]")).toBe("a = [1, 2, 3]");
    expect(fmt("a = [1,\n2]")).toBe("a = [1,\n\t2]");
    expect(fmt("a = [1,\n2,\n]")).toBe("a = [1,\n\t2,\n]");
  });

  test("call arguments keep their line breaks", () => {
    expect(fmt("a = f(1, 2,\n3)")).toBe("a = f(1, 2,\n\t3)");
  });

  test("quoted keys are re-quoted Go-style, doubling escape backslashes", () => {
    expect(fmt('k = {"a\\"b" = 1}')).toBe('k = {"a\\\\\\"b" = 1}');
    expect(fmt('k = { "" = 1 }')).toBe('k = {"" = 1}');
  });

  test("a number followed by . is kept apart so it rescans the same", () => {
    expect(fmt("x = 1 .a")).toBe("x = 1 .a");
  });

  test("a comment after [ stays on that line", () => {
    expect(fmt("x = [ // c\n]")).toBe("x = [ // c\n]");
  });

  test("literal values of secret attributes can be redacted", () => {
    const { file } = parseFile("t", 'secret = "hunter2"\nblk "x" {\n  password = "p"\n  user = "u"\n  other = env("X")\n}');
    const paths: string[] = [];
    const out = printFile(file, {
      redactSecret: (attr, path) => {
        paths.push(path.join("/"));
        return attr.name.name === "password" || attr.name.name === "other" || attr.name.name === "secret";
      },
    });
    expect(out).toBe('secret = "(secret)"\n\nblk "x" {\n\tpassword = "(secret)"\n\tuser     = "u"\n\tother    = env("X")\n}');
    expect(paths).toEqual(["secret", "blk.x/password", "blk.x/user"]);
  });

  test("Windows line endings are normalised outside raw strings", () => {
    expect(fmt('a = 1\r\nblock "x" {\r\n  b = [1,\r\n  2,\r\n  ]  // c\r\n}\r\n')).toBe('a = 1\n\nblock "x" {\n\tb = [1,\n\t\t2,\n\t] // c\n}');
    expect(fmt("a = `x\r\ny`\r\n")).toBe("a = `x\r\ny`");
  });

  test("output has no trailing newline and keeps trailing comments", () => {
    expect(fmt("a = 1\n\n\n// end\n")).toBe("a = 1\n\n// end");
  });
});

describe("printExpr", () => {
  test("prints a parsed expression", () => {
    const { expr } = parseExpression('concat([1,2], {a=1, "b"=[x.y[0]]})');
    expect(printExpr(expr!)).toBe('concat([1, 2], {a = 1, "b" = [x.y[0]]})');
  });

  test("prints a hand-built expression without positions from a source file", () => {
    const at = { offset: 0, line: 1, column: 1 };
    const out = printExpr({
      kind: "binary",
      op: "+",
      opPos: at,
      left: { kind: "literal", literal: "NUMBER", raw: "1", start: at, end: at },
      right: { kind: "identifier", name: "x", start: at, end: at },
      start: at,
      end: at,
    });
    expect(out).toBe("1 + x");
  });
});
