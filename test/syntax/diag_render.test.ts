// The pretty diagnostic report must match what Alloy prints byte for byte.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BlockStmt, Body, Expr, Stmt } from "../../src/syntax/ast.ts";
import type { Diagnostic } from "../../src/syntax/diag.ts";
import { parseFile } from "../../src/syntax/parser.ts";
import { renderDiagnostics } from "../../src/syntax/diag_render.ts";

function conformanceDir(): string {
  let dir = new URL(".", import.meta.url).pathname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "shared", "conformance");
    if (existsSync(candidate)) return candidate;
    dir = join(dir, "..");
  }
  throw new Error("shared/conformance not found above " + import.meta.url);
}

const validateDir = join(conformanceDir(), "validate");

/** Reads a txtar archive into its files (name → content). */
function readTxtar(path: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  for (const line of readFileSync(path, "utf8").split("\n").slice(0, -1)) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      current = m[1]!;
      files.set(current, "");
    } else if (current !== undefined) files.set(current, files.get(current)! + line + "\n");
  }
  return files;
}

function findBlock(body: Body, name: string, label?: string): BlockStmt {
  for (const s of body) {
    if (s.kind === "block") {
      if (s.name.join(".") === name && (label === undefined || s.label === label)) return s;
      try {
        return findBlock(s.body, name, label);
      } catch {}
    }
  }
  throw new Error(`block ${name} not found`);
}

function attr(body: Body, name: string): Stmt & { value: Expr } {
  const s = body.find((x) => x.kind === "attribute" && x.name.name === name);
  if (!s || s.kind !== "attribute") throw new Error(`attribute ${name} not found`);
  return s;
}

describe("renderDiagnostics", () => {
  test("parse errors across two files render exactly as alloy validate prints them", () => {
    const files = readTxtar(join(validateDir, "default/syntax_errors.txtar"));
    const diags: Diagnostic[] = [];
    for (const [name, src] of files) diags.push(...parseFile(name, src).diagnostics);
    const expected = readFileSync(join(validateDir, "default/syntax_errors.diags"), "utf8");
    expect(renderDiagnostics(diags, files)).toBe(expected);
  });

  test("a block range spanning lines gets rails and underscores", () => {
    const files = readTxtar(join(validateDir, "default/invalid_properties.txtar"));
    const { file } = parseFile("main.alloy", files.get("main.alloy")!);
    const git = findBlock(file.body, "import.git");
    const out = renderDiagnostics(
      [{ severity: "error", message: 'missing required attribute "repository"', file: "main.alloy", start: git.start, end: git.end }],
      files,
    );
    expect(out).toBe(
      [
        'Error: main.alloy:20:1: missing required attribute "repository"',
        "",
        "19 |   ",
        '20 |   import.git "git" {',
        "   |  _^^^^^^^^^^^^^^^^^^",
        '21 | |   revision   = "main"',
        '22 | |   path       = "modules"',
        "23 | | }",
        "   | |_^",
        "24 |   ",
        "",
      ].join("\n"),
    );
    const expected = readFileSync(join(validateDir, "default/invalid_properties.diags"), "utf8");
    expect(expected.includes(out)).toBe(true);
  });

  test("tabs in the context and under the marks are shown as four spaces", () => {
    const files = readTxtar(join(validateDir, "default/invalid_declare.txtar"));
    const { file } = parseFile("main.alloy", files.get("main.alloy")!);
    const arg = findBlock(file.body, "argument", "invalid_attr");
    const test1 = attr(arg.body, "test");
    const out = renderDiagnostics(
      [{ severity: "error", message: 'unrecognized attribute name "test"', file: "main.alloy", start: test1.start, end: test1.value.end }],
      files,
    );
    const expected = readFileSync(join(validateDir, "default/invalid_declare.diags"), "utf8");
    expect(out).toStartWith('Error: main.alloy:12:3: unrecognized attribute name "test"\n\n11 |     argument "invalid_attr" {\n');
    expect(expected.includes(out)).toBe(true);
  });

  test("warnings are labelled Warning and several diagnostics are separated by a blank line", () => {
    const files = readTxtar(join(validateDir, "default/stdlib.txtar"));
    const { file } = parseFile("main.alloy", files.get("main.alloy")!);
    const f1 = attr(findBlock(file.body, "local.file", "file").body, "filename").value;
    const f2 = attr(findBlock(file.body, "local.file", "file2").body, "filename").value;
    if (f1.kind !== "access" || f2.kind !== "call") throw new Error("unexpected shape");
    let inner: Expr = f1;
    while (inner.kind === "access") inner = inner.value;
    const out = renderDiagnostics(
      [
        { severity: "warning", message: "a component is shadowing an existing stdlib name", file: "main.alloy", start: inner.start, end: inner.end },
        {
          severity: "warning",
          message: "this stdlib function is deprecated; please refer to the documentation for updated usage and alternatives",
          file: "main.alloy",
          start: f2.value.start,
          end: f2.value.end,
        },
      ],
      files,
    );
    expect(out).toBe(readFileSync(join(validateDir, "default/stdlib.diags"), "utf8"));
  });

  test("a diagnostic for an unknown file or position prints only its header", () => {
    const out = renderDiagnostics(
      [
        { severity: "error", message: "boom", file: "other.alloy", start: { offset: 0, line: 1, column: 1 } },
        { severity: "error", message: "no position", file: "" },
      ],
      new Map(),
    );
    expect(out).toBe("Error: other.alloy:1:1: boom\n\nError: -: no position\n");
  });

  test("a range ending at a line end marks up to the last character", () => {
    const src = "a = 1\nbb = [\n  1,\n]\n";
    const { file } = parseFile("x.alloy", src);
    const s = attr(file.body, "bb");
    const out = renderDiagnostics([{ severity: "error", message: "m", file: "x.alloy", start: s.value.start, end: s.value.end }], new Map([["x.alloy", src]]));
    expect(out).toBe(["Error: x.alloy:2:6: m", "", "1 |   a = 1", "2 |   bb = [", "  |  ______^", "3 | |   1,", "4 | | ]", "  | |_^", "5 |   ", ""].join("\n"));
  });
});
