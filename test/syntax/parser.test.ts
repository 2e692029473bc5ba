// The parser builds Alloy's syntax tree with positions, precedence and
// associativity as in Alloy, and recovers from errors like Alloy does.
import { describe, expect, test } from "bun:test";
import type { BlockStmt, Expr } from "../../src/syntax/ast.ts";
import { MAX_NESTING, parseExpression, parseFile } from "../../src/syntax/parser.ts";

/** A compact, position-free rendering of an expression tree. */
function show(e: Expr): string {
  switch (e.kind) {
    case "literal":
      return e.raw;
    case "identifier":
      return e.name;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "unary":
      return `(${e.op}${show(e.value)})`;
    case "paren":
      return `[${show(e.inner)}]`;
    case "access":
      return `${show(e.value)}.${e.name.name}`;
    case "index":
      return `${show(e.value)}[${show(e.index)}]`;
    case "call":
      return `${show(e.value)}(${e.args.map(show).join(", ")})`;
    case "array":
      return `[${e.elements.map(show).join(", ")}]`;
    case "object":
      return `{${e.fields.map((f) => `${f.quoted ? JSON.stringify(f.name) : f.name}=${show(f.value)}`).join(", ")}}`;
  }
}

function expr(src: string): string {
  const { expr, diagnostics } = parseExpression(src);
  expect(diagnostics).toEqual([]);
  return show(expr!);
}

describe("parser", () => {
  test("binary operators follow Alloy's precedence levels", () => {
    expect(expr("1 + 2 * 3")).toBe("(1 + (2 * 3))");
    expect(expr("a || b && c")).toBe("(a || (b && c))");
    expect(expr("1 + 2 == 3 && x")).toBe("(((1 + 2) == 3) && x)");
    expect(expr("1 - 2 - 3")).toBe("((1 - 2) - 3)");
    expect(expr("8 / 4 % 3 * 2")).toBe("(((8 / 4) % 3) * 2)");
  });

  test("comparisons chain left to right", () => {
    expect(expr("1 == 2 != 3 < 4")).toBe("(((1 == 2) != 3) < 4)");
  });

  test("^ is right-associative and binds looser than unary minus", () => {
    expect(expr("2 ^ 3 ^ 2")).toBe("(2 ^ (3 ^ 2))");
    expect(expr("-2 ^ 2")).toBe("((-2) ^ 2)");
    expect(expr("2 * 3 ^ 2")).toBe("(2 * (3 ^ 2))");
  });

  test("postfix access, index and call bind tightest", () => {
    expect(expr("!a.b[0](1, 2).c")).toBe("(!a.b[0](1, 2).c)");
    expect(expr("-f()")).toBe("(-f())");
  });

  test("parentheses, arrays and objects", () => {
    expect(expr("(1 + 2) * 3")).toBe("([(1 + 2)] * 3)");
    expect(expr("[1, [2], {}]")).toBe("[1, [2], {}]");
    expect(expr('{a = 1, "b c" = 2,}')).toBe('{a=1, "b c"=2}');
  });

  test("quoted object keys keep their escapes undecoded", () => {
    const { expr: e } = parseExpression(String.raw`{"a\"b" = 1}`);
    expect(e?.kind === "object" && e.fields[0]!.name).toBe(String.raw`a\"b`);
  });

  test('an empty quoted key "" stays an unquoted name, as in Alloy', () => {
    const { expr: e } = parseExpression('{"" = 1}');
    expect(e?.kind === "object" && e.fields[0]).toMatchObject({ name: '""', quoted: false });
  });

  test("a file is a list of attributes and labelled, nested blocks", () => {
    const { file, diagnostics } = parseFile(
      "main.alloy",
      'prometheus.scrape "default" {\n  targets = []\n  clustering {\n    enabled = true\n  }\n}\nlogging "" {}\n',
    );
    expect(diagnostics).toEqual([]);
    const [scrape, logging] = file.body as BlockStmt[];
    expect(scrape).toMatchObject({ kind: "block", name: ["prometheus", "scrape"], label: "default" });
    expect(scrape!.labelPos).toMatchObject({ line: 1, column: 19 });
    expect(scrape!.body.map((s) => s.kind)).toEqual(["attribute", "block"]);
    expect(logging).toMatchObject({ name: ["logging"], label: "" });
    expect(logging!.labelPos).toBeDefined();
  });

  test("positions are byte offsets, lines and 1-based byte columns; ends are exclusive", () => {
    const { file } = parseFile("m", 'ü = "x"\nblk {\n}\n');
    const attr = file.body[0]!;
    expect(attr.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(attr.kind === "attribute" && attr.value.start).toEqual({ offset: 5, line: 1, column: 6 });
    expect(attr.end).toEqual({ offset: 8, line: 1, column: 9 });
    const blk = file.body[1] as BlockStmt;
    expect(blk.lcurly).toEqual({ offset: 13, line: 2, column: 5 });
    expect(blk.rcurly).toEqual({ offset: 15, line: 3, column: 1 });
    expect(blk.end).toEqual({ offset: 16, line: 3, column: 2 });
  });

  test("a multi-line raw string ends on its last line", () => {
    const { file } = parseFile("m", "a = `x\ny`\n");
    const attr = file.body[0]!;
    expect(attr.end).toEqual({ offset: 9, line: 2, column: 3 });
  });

  test("comments are collected in groups of adjacent lines", () => {
    const { file } = parseFile("m", "// one\n// two\n\n/* three */\na = 1 // four\n");
    expect(file.comments.map((g) => g.map((c) => c.text))).toEqual([["// one", "// two"], ["/* three */"], ["// four"]]);
    expect(file.comments[2]![0]!.start).toEqual({ offset: 33, line: 5, column: 7 });
  });

  test("several errors are reported in one pass, at most one per line", () => {
    const { diagnostics } = parseFile("m", "a = [1 2 3]\nb = (1\nc = 1 +\n");
    expect(diagnostics.map((d) => `${d.start!.line}:${d.start!.column}: ${d.message}`)).toEqual([
      "1:8: missing ',' in expression list",
      "2:7: expected ), got TERMINATOR",
      // The missing `)` consumed line 2's terminator, so line 3 runs on from line 2.
      "3:1: expected TERMINATOR, got IDENT",
    ]);
    for (const d of diagnostics) expect(d).toMatchObject({ severity: "error", file: "m" });
  });

  test("attribute name errors carry the range of the offending name", () => {
    const { diagnostics } = parseFile("m", "a.b.c = 1\n");
    expect(diagnostics[0]).toMatchObject({ start: { line: 1, column: 1 }, end: { line: 1, column: 6 } });
  });

  test("a block used as a value is reported over the whole block", () => {
    const { diagnostics } = parseFile("m", 'x = blk "l" {\n  a = 1\n}\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ message: "cannot use a block as an expression", start: { line: 1, column: 5 }, end: { line: 3, column: 2 } });
  });

  test("parseExpression rejects trailing input and reports no tree", () => {
    const res = parseExpression("1 + 2 3");
    expect(res.expr).toBeUndefined();
    expect(res.diagnostics.map((d) => d.message)).toEqual(["expected TERMINATOR, got NUMBER"]);
    expect(parseExpression("").diagnostics.map((d) => d.message)).toEqual(["expected expression, got EOF"]);
  });

  test("parseFile accepts bytes and strings alike", () => {
    const text = 'a = "é"\n';
    const fromString = parseFile("m", text);
    const fromBytes = parseFile("m", new TextEncoder().encode(text));
    expect(fromBytes).toEqual(fromString);
  });

  test("absurdly deep nesting is reported once instead of exhausting the stack", () => {
    for (const src of ["a = " + "[".repeat(50000), "a = " + "!".repeat(50000) + "true", "a = " + "1 + ".repeat(50000) + "1", "b {\n".repeat(5000)]) {
      const { diagnostics } = parseFile("m", src);
      expect(diagnostics.map((d) => d.message)).toEqual([`nesting too deep: more than ${MAX_NESTING} levels of blocks and expressions`]);
    }
    expect(parseFile("m", "a = " + "[".repeat(1000) + "]".repeat(1000)).diagnostics).toEqual([]);
  });

  test("an empty file or one with only comments has no statements", () => {
    expect(parseFile("m", "").file.body).toEqual([]);
    expect(parseFile("m", "// just a comment\n").file.body).toEqual([]);
    expect(parseFile("m", "\ufeff\n\n").diagnostics).toEqual([]);
  });
});
