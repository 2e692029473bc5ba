// alloy validate conformance: every case in shared/conformance/validate runs
// through validateConfig and renderDiagnostics and must print exactly Alloy's
// text. Cases naming components that do not exist yet are skipped with a reason.

import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { components } from "../../src/components/index.ts";
import { validateConfig } from "../../src/runtime/index.ts";
import type { BlockStmt, Body } from "../../src/syntax/ast.ts";
import { renderDiagnostics } from "../../src/syntax/diag_render.ts";
import { parseFile } from "../../src/syntax/parser.ts";
import type { StabilityLevel } from "../../src/syntax/value.ts";

function conformanceDir(): string {
  for (let dir = resolve(import.meta.dir); ; dir = resolve(dir, "..")) {
    const candidate = join(dir, "..", "shared", "conformance", "validate");
    if (existsSync(candidate)) return candidate;
    if (dir === resolve(dir, "..")) throw new Error("shared/conformance/validate not found");
  }
}

interface Txtar {
  comment: string;
  files: Array<{ name: string; text: string }>;
}

/** golang.org/x/tools/txtar: a comment, then `-- name --` separated files. */
function parseTxtar(src: string): Txtar {
  const lines = src.replace(/\r\n/g, "\n").split("\n");
  const files: Txtar["files"] = [];
  const comment: string[] = [];
  let cur: { name: string; lines: string[] } | undefined;
  for (const line of lines.slice(0, src.endsWith("\n") ? -1 : undefined)) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      if (cur) files.push({ name: cur.name, text: cur.lines.map((l) => l + "\n").join("") });
      cur = { name: m[1]!.trim(), lines: [] };
    } else if (cur) cur.lines.push(line);
    else comment.push(line);
  }
  if (cur) files.push({ name: cur.name, text: cur.lines.map((l) => l + "\n").join("") });
  return { comment: comment.join("\n").trim(), files };
}

const known = new Set(components.map((c) => c.name));
const runtimeBlocks = new Set(["declare", "logging", "tracing", "argument", "export", "foreach", "template", "import.file", "import.string", "import.http", "import.git", "http", "livedebugging", "remotecfg", "cluster", "labelstore", "otel", "ui"]);

/** Built-in component names a config uses (custom components excluded). */
function componentNames(files: Txtar["files"]): Set<string> {
  const names = new Set<string>();
  const custom = new Set<string>();
  const walk = (body: Body, nested: boolean) => {
    for (const st of body) {
      if (st.kind !== "block") continue;
      const name = st.name.join(".");
      if ((name === "declare" || name.startsWith("import.")) && st.label) custom.add(st.label);
      if (name === "declare" || name === "template") walk(st.body, true);
      else if (name === "foreach") walk(st.body.filter((b): b is BlockStmt => b.kind === "block" && b.name.join(".") === "template"), true);
      else if (!runtimeBlocks.has(name) || nested) names.add(name);
    }
  };
  for (const f of files) walk(parseFile(f.name, f.text).file.body, false);
  return new Set([...names].filter((n) => !custom.has(n.split(".")[0]!) && !runtimeBlocks.has(n)));
}

const results: Array<{ name: string; status: "pass" | "fail" | "skip"; reason?: string }> = [];
const mustPass = new Set(["default/duplicates", "default/missing", "default/stdlib", "default/syntax_errors"]);

for (const [sub, stability] of [["ga", "generally-available"], ["default", "experimental"]] as const) {
  const dir = join(conformanceDir(), sub);
  for (const entry of readdirSync(dir).filter((f) => f.endsWith(".txtar")).sort()) {
    const caseName = `${sub}/${entry.replace(/\.txtar$/, "")}`;
    const archive = parseTxtar(readFileSync(join(dir, entry), "utf8"));
    const expected = readFileSync(join(dir, entry.replace(/\.txtar$/, ".diags")), "utf8").replace(/\r\n/g, "\n");
    const intendedMissing = new Set([...expected.matchAll(/cannot find the definition of component name "([^"]+)"/g)].map((m) => m[1]!));
    const missing = [...componentNames(archive.files)].filter((n) => !known.has(n) && !intendedMissing.has(n));

    test(`validate ${caseName}: ${archive.comment}`, () => {
      if (missing.length > 0 && !mustPass.has(caseName)) {
        results.push({ name: caseName, status: "skip", reason: `needs ${missing.join(", ")}` });
        return;
      }
      const diags = validateConfig(archive.files.map((f) => ({ name: f.name, text: f.text })), {
        stability: stability as StabilityLevel,
        communityComponents: false,
        components,
      });
      const actual = diags.length > 0 ? renderDiagnostics(diags, new Map(archive.files.map((f) => [f.name, f.text]))) : "";
      results.push({ name: caseName, status: actual === expected ? "pass" : "fail" });
      if (missing.length === 0 || mustPass.has(caseName)) expect(actual).toBe(expected);
    });
  }
}

test("validate conformance summary", () => {
  const pass = results.filter((r) => r.status === "pass").length;
  const skipped = results.filter((r) => r.status === "skip");
  console.log(`validate conformance: ${pass}/${results.length} cases pass, ${skipped.length} skipped`);
  for (const s of skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
  for (const f of results.filter((r) => r.status === "fail")) console.log(`  FAILED ${f.name}`);
  expect(results.length).toBeGreaterThan(0);
});
