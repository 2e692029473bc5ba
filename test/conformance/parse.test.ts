// Alloy's parser conformance: valid files parse cleanly, annotated files
// report exactly the annotated errors, fuzz regressions never crash.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseFile } from "../../src/syntax/parser.ts";
import { Scanner } from "../../src/syntax/scanner.ts";
import { Token, tokenString } from "../../src/syntax/token.ts";

function conformanceDir(): string {
  let dir = new URL(".", import.meta.url).pathname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "shared", "conformance");
    if (existsSync(candidate)) return candidate;
    dir = join(dir, "..");
  }
  throw new Error("shared/conformance not found above " + import.meta.url);
}

const parseDir = join(conformanceDir(), "parse");
const errRx = /^\/\* *ERROR *(HERE)? *"([^"]*)" *\*\/$/;

/** Expected errors by byte offset, following the ERROR comment convention of Alloy's error_test.go. */
function expectedErrors(src: Uint8Array): Map<number, string> {
  const errors = new Map<number, string>();
  const s = new Scanner(src, { includeComments: true });
  let prev = 0;
  let here = 0;
  for (;;) {
    const tok = s.scan();
    if (tok === Token.EOF) return errors;
    if (tok === Token.COMMENT) {
      const m = errRx.exec(s.lit);
      if (m) errors.set(m[1] === "HERE" ? here : prev, m[2]!);
      continue;
    }
    if (tok === Token.TERMINATOR) continue;
    prev = s.tokOffset;
    const literal = tok === Token.IDENT || tok === Token.NUMBER || tok === Token.FLOAT || tok === Token.STRING;
    here = prev + (literal ? new TextEncoder().encode(s.lit).length : tokenString(tok).length);
  }
}

/** Decodes a Go interpreted string literal (the `[]byte("...")` of a fuzz corpus entry). */
function goUnquote(lit: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i]!;
    if (c !== "\\") {
      out.push(...enc.encode(c));
      continue;
    }
    const e = lit[++i]!;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34, "'": 39 };
    if (e in simple) out.push(simple[e]!);
    else if (e === "x") {
      out.push(parseInt(lit.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e >= "0" && e <= "7") {
      out.push(parseInt(lit.slice(i, i + 3), 8));
      i += 2;
    } else if (e === "u" || e === "U") {
      const n = e === "u" ? 4 : 8;
      out.push(...enc.encode(String.fromCodePoint(parseInt(lit.slice(i + 1, i + 1 + n), 16))));
      i += n;
    } else throw new Error(`bad escape \\${e}`);
  }
  return new Uint8Array(out);
}

describe("parse conformance", () => {
  const validFiles = readdirSync(join(parseDir, "valid")).filter((f) => f.endsWith(".alloy")).sort();
  const errorFiles = readdirSync(parseDir).filter((f) => f.endsWith(".alloy")).sort();
  const fuzzFiles = readdirSync(join(parseDir, "fuzz")).sort();
  let passed = 0;

  for (const f of validFiles) {
    test(`valid/${f} parses without diagnostics`, () => {
      const { diagnostics } = parseFile(f, readFileSync(join(parseDir, "valid", f)));
      expect(diagnostics).toEqual([]);
      passed++;
    });
  }

  for (const f of errorFiles) {
    test(`${f} reports exactly the annotated errors`, () => {
      const src = new Uint8Array(readFileSync(join(parseDir, f)));
      const expected = expectedErrors(src);
      expect(expected.size).toBeGreaterThan(0);
      const { diagnostics } = parseFile(f, src);
      const problems: string[] = [];
      for (const d of diagnostics) {
        const off = d.start!.offset;
        const rx = expected.get(off);
        if (rx === undefined) {
          problems.push(`unexpected error ${d.start!.line}:${d.start!.column}: ${d.message}`);
          continue;
        }
        if (!new RegExp(rx).test(d.message)) problems.push(`${d.start!.line}:${d.start!.column}: ${JSON.stringify(d.message)} does not match ${JSON.stringify(rx)}`);
        expected.delete(off);
      }
      for (const [off, rx] of expected) problems.push(`error not reported at offset ${off}: ${rx}`);
      expect(problems).toEqual([]);
      passed++;
    });
  }

  for (const f of fuzzFiles) {
    test(`fuzz/${f} does not crash the parser`, () => {
      const lines = readFileSync(join(parseDir, "fuzz", f), "utf8").split("\n");
      expect(lines[0]).toBe("go test fuzz v1");
      const m = /^\[\]byte\((".*")\)$/.exec(lines[1]!.trim());
      expect(m).not.toBeNull();
      const { file, diagnostics } = parseFile(f, goUnquote(m![1]!));
      expect(file).toBeDefined();
      expect(Array.isArray(diagnostics)).toBe(true);
      passed++;
    });
  }

  test("summary", () => {
    const total = validFiles.length + errorFiles.length + fuzzFiles.length;
    console.log(`parse conformance: ${passed}/${total} passed`);
    expect(passed).toBe(total);
  });
});
