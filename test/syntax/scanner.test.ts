// The scanner splits Alloy source into the same tokens as Alloy's scanner.
import { describe, expect, test } from "bun:test";
import { Scanner, isValidIdentifier, sanitizeIdentifier } from "../../src/syntax/scanner.ts";
import { Token, tokenString } from "../../src/syntax/token.ts";

interface Scanned {
  toks: string[];
  errors: string[];
}

/** Scans everything; tokens are rendered as `KIND` or `KIND(lit)` for literals and comments. */
function scanAll(src: string | Uint8Array, includeComments = true): Scanned {
  const errors: string[] = [];
  const s = new Scanner(src, { includeComments, onError: (off, msg) => errors.push(`${off}: ${msg}`) });
  const toks: string[] = [];
  for (let i = 0; i < 10000; i++) {
    const t = s.scan();
    if (t === Token.EOF) break;
    const withLit = [Token.IDENT, Token.NUMBER, Token.FLOAT, Token.STRING, Token.BOOL, Token.NULL, Token.COMMENT, Token.ILLEGAL];
    toks.push(withLit.includes(t) ? `${tokenString(t)}(${s.lit})` : tokenString(t));
  }
  return { toks, errors };
}

describe("scanner", () => {
  test("identifiers may use Unicode letters and digits after the first character", () => {
    expect(scanAll("foo _bar x1 é日本 a٣").toks).toEqual(["IDENT(foo)", "IDENT(_bar)", "IDENT(x1)", "IDENT(é日本)", "IDENT(a٣)", "TERMINATOR"]);
  });

  test("only true, false and null are keywords", () => {
    expect(scanAll("true false null if for").toks).toEqual(["BOOL(true)", "BOOL(false)", "NULL(null)", "IDENT(if)", "IDENT(for)", "TERMINATOR"]);
  });

  test("numbers and floats follow Alloy's rules", () => {
    expect(scanAll("1 010 1. .5 1.5 1e3 2E-4 3.e+2 1_000").toks).toEqual([
      "NUMBER(1)",
      "NUMBER(010)",
      "FLOAT(1.)",
      "FLOAT(.5)",
      "FLOAT(1.5)",
      "FLOAT(1e3)",
      "FLOAT(2E-4)",
      "FLOAT(3.e+2)",
      "NUMBER(1)",
      "IDENT(_000)",
      "TERMINATOR",
    ]);
  });

  test("an exponent without digits is an error at the start of the number", () => {
    expect(scanAll("x = 12e+").errors).toEqual(["4: exponent has no digits"]);
  });

  test("every escape Alloy accepts scans without error", () => {
    const { toks, errors } = scanAll(String.raw`"\a\b\f\n\r\t\v\\\" \101 \x41 \u00e9 \U0001F600"`);
    expect(errors).toEqual([]);
    expect(toks).toHaveLength(2);
  });

  test("rejected escapes report Alloy's messages at the escape character", () => {
    expect(scanAll(String.raw`"\'"`).errors).toEqual(["2: unknown escape sequence"]);
    expect(scanAll(String.raw`"\q"`).errors).toEqual(["2: unknown escape sequence"]);
    expect(scanAll(String.raw`"\8"`).errors).toEqual(["2: unknown escape sequence"]);
    expect(scanAll(String.raw`"\12"`).errors).toEqual([`2: illegal character U+0022 '"' in escape sequence`]);
    expect(scanAll(String.raw`"\777"`).errors).toEqual(["2: escape sequence is invalid Unicode code point"]);
    expect(scanAll(String.raw`"\xZZ"`).errors).toEqual(["2: illegal character U+005A 'Z' in escape sequence"]);
    expect(scanAll(String.raw`"\udfff"`).errors).toEqual(["2: escape sequence is invalid Unicode code point"]);
    expect(scanAll(String.raw`"\U00110000"`).errors).toEqual(["2: escape sequence is invalid Unicode code point"]);
  });

  test("raw strings span lines and keep backslashes", () => {
    expect(scanAll("`a\\n\nb`").toks).toEqual(["STRING(`a\\n\nb`)", "TERMINATOR"]);
  });

  test("a double-quoted string cannot span lines", () => {
    expect(scanAll('"abc\n"').errors).toEqual(["0: string literal not terminated", "5: string literal not terminated"]);
  });

  test("single quotes are rejected with a hint", () => {
    const { toks, errors } = scanAll("'x'");
    expect(errors).toEqual(["0: illegal single-quoted string; use double quotes"]);
    expect(toks[0]).toBe("ILLEGAL('x')");
  });

  test("a newline after a value becomes a terminator, after an operator it does not", () => {
    expect(scanAll("a\n+\nb\n").toks).toEqual(["IDENT(a)", "TERMINATOR", "+", "IDENT(b)", "TERMINATOR"]);
    expect(scanAll("a +\nb").toks).toEqual(["IDENT(a)", "+", "IDENT(b)", "TERMINATOR"]);
    expect(scanAll("[\n1,\n]\n").toks).toEqual(["[", "NUMBER(1)", ",", "]", "TERMINATOR"]);
  });

  test("a comment running to the end of the line stands in for the newline", () => {
    expect(scanAll("a // c\nb").toks).toEqual(["IDENT(a)", "TERMINATOR", "COMMENT(// c)", "IDENT(b)", "TERMINATOR"]);
    expect(scanAll("a /* c */ + b").toks).toEqual(["IDENT(a)", "COMMENT(/* c */)", "+", "IDENT(b)", "TERMINATOR"]);
    expect(scanAll("a /* c\n */ b").toks).toEqual(["IDENT(a)", "TERMINATOR", "COMMENT(/* c\n */)", "IDENT(b)", "TERMINATOR"]);
  });

  test("comments are skipped unless requested", () => {
    expect(scanAll("a // c\nb", false).toks).toEqual(["IDENT(a)", "TERMINATOR", "IDENT(b)", "TERMINATOR"]);
  });

  test("an unterminated block comment is an error at its start", () => {
    expect(scanAll("x /* abc").errors).toEqual(["2: block comment not terminated"]);
  });

  test("carriage returns are stripped from comments", () => {
    expect(scanAll("// c\r\n/* a\r\nb */").toks).toEqual(["COMMENT(// c)", "COMMENT(/* a\nb */)"]);
  });

  test("every operator and delimiter (a trailing `.` inserts no terminator)", () => {
    expect(scanAll("|| && ! != = == < <= > >= + - * / % ^ { } ( ) [ ] , .").toks).toEqual(
      "|| && ! != = == < <= > >= + - * / % ^ { } ( ) [ ] , .".split(" "),
    );
  });

  test("a lone | or & is an error", () => {
    expect(scanAll("a | b").errors).toEqual(["3: missing second | in ||"]);
    expect(scanAll("a & b").errors).toEqual(["3: missing second & in &&"]);
  });

  test("a BOM is skipped only at the very start", () => {
    expect(scanAll("\ufeffa").errors).toEqual([]);
    expect(scanAll("a\ufeff").errors).toEqual(["1: illegal byte order mark"]);
  });

  test("NUL bytes and invalid UTF-8 are errors", () => {
    expect(scanAll("a\u0000").errors).toEqual(["1: illegal character NUL", "1: illegal character U+0000"]);
    expect(scanAll(new Uint8Array([0x61, 0x20, 0xc3, 0x28])).errors).toEqual(["2: illegal UTF-8 encoding", "2: illegal character U+FFFD '\ufffd'"]);
  });

  test("illegal characters are named like Go's %#U", () => {
    expect(scanAll("#").errors).toEqual(["0: illegal character U+0023 '#'"]);
    expect(scanAll("\u0007").errors).toEqual(["0: illegal character U+0007"]);
  });

  test("token positions use 1-based UTF-8 byte columns", () => {
    const s = new Scanner('é = "ü" + x\n  y');
    const cols: string[] = [];
    for (let t = s.scan(); t !== Token.EOF; t = s.scan()) {
      const p = s.tokPos();
      cols.push(`${tokenString(t)}@${p.line}:${p.column}`);
    }
    expect(cols).toEqual(["IDENT@1:1", "=@1:4", "STRING@1:6", "+@1:11", "IDENT@1:13", "TERMINATOR@1:14", "IDENT@2:3", "TERMINATOR@2:4"]);
  });

  test("isValidIdentifier accepts exactly one identifier that is not a keyword", () => {
    expect(isValidIdentifier("default")).toBe(true);
    expect(isValidIdentifier("ünïcode_1")).toBe(true);
    expect(isValidIdentifier("")).toBe(false);
    expect(isValidIdentifier("with space")).toBe(false);
    expect(isValidIdentifier("1abc")).toBe(false);
    expect(isValidIdentifier("true")).toBe(false);
    expect(isValidIdentifier("a.b")).toBe(false);
  });

  test("sanitizeIdentifier turns labels into identifiers like Alloy's converters (Alloy's cases)", () => {
    expect(() => sanitizeIdentifier("")).toThrow("cannot generate a new identifier for an empty string");
    expect(sanitizeIdentifier("0identifier_1")).toBe("_0identifier_1");
    expect(sanitizeIdentifier("identifier_1")).toBe("identifier_1");
    expect(sanitizeIdentifier("_identifier_1")).toBe("_identifier_1");
    expect(sanitizeIdentifier("!@#$%^&*()")).toBe("__________");
    expect(sanitizeIdentifier("identifier_1!")).toBe("identifier_1_");
    expect(sanitizeIdentifier("identifier _ 1")).toBe("identifier___1");
    expect(sanitizeIdentifier("é t")).toBe("é_t");
  });
});
