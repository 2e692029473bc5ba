// `alloy validate` against Alloy's validator fixtures (shared/conformance/validate):
// the report the command prints must equal the `.diags` file byte for byte. A case
// naming a built-in component that does not exist here yet is a todo with the
// names it needs, never a pass.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/cli.ts";
import { components } from "../../src/components/index.ts";
import type { BlockStmt, Body } from "../../src/syntax/ast.ts";
import { parseFile } from "../../src/syntax/parser.ts";
import { captureIO } from "../cli/capture_io.ts";
import { conformanceDir } from "../cli/conformance_dir.ts";
import { parseTxtar } from "../cli/txtar.ts";

const root = join(conformanceDir, "validate");
const known = new Set(components.map((c) => c.name));
const runtimeBlocks = new Set([
  "declare", "logging", "tracing", "argument", "export", "foreach", "template",
  "import.file", "import.string", "import.http", "import.git",
  "http", "livedebugging", "remotecfg", "cluster", "labelstore", "otel", "ui",
]);

/** Built-in component names a config uses (custom components excluded). */
function builtinNames(files: Array<{ name: string; text: string }>): Set<string> {
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

let passed = 0;
let total = 0;
const todo: string[] = [];

describe("alloy validate conformance", () => {
  for (const level of ["ga", "default"]) {
    for (const f of readdirSync(join(root, level)).filter((n) => n.endsWith(".txtar")).sort()) {
      const name = `${level}/${f.slice(0, -".txtar".length)}`;
      const archive = parseTxtar(readFileSync(join(root, level, f), "utf8"));
      const want = readFileSync(join(root, `${name}.diags`), "utf8").replace(/\r\n/g, "\n");
      // Some cases name unknown components on purpose; those are not missing here.
      const intended = new Set([...want.matchAll(/cannot find the definition of component name "([^"]+)"/g)].map((m) => m[1]!));
      const missing = [...builtinNames(archive.files)].filter((n) => !known.has(n) && !intended.has(n));
      total++;
      if (missing.length > 0) {
        todo.push(`${name}: needs ${missing.join(", ")}`);
        test.todo(`${name} (needs ${missing.join(", ")})`);
        continue;
      }
      test(name, async () => {
        const dir = mkdtempSync(join(tmpdir(), "alloy-validate-conf-"));
        for (const file of archive.files) writeFileSync(join(dir, file.name), file.text);
        const io = captureIO();
        const prev = process.cwd();
        // From inside the directory the report names files as the archive does.
        process.chdir(dir);
        let code: number;
        try {
          code = await main(["validate", `--stability.level=${level === "ga" ? "generally-available" : "experimental"}`, "."], io);
        } finally {
          process.chdir(prev);
        }
        expect(io.err.replace(/Error: validation failed\n$/, "").trimEnd()).toBe(want.trimEnd());
        // Warnings alone do not fail validation.
        expect(code).toBe(/^Error: /m.test(want) ? 1 : 0);
        passed++;
      });
    }
  }
});

afterAll(() => {
  console.log(`validate conformance: ${passed}/${total} cases pass, ${todo.length} todo`);
  for (const t of todo) console.log(`  todo ${t}`);
});
