// Alloy's formatter conformance: every fixture prints byte for byte like `alloy fmt`.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseFile } from "../../src/syntax/parser.ts";
import { printFile } from "../../src/syntax/printer/index.ts";

function conformanceDir(): string {
  let dir = new URL(".", import.meta.url).pathname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "shared", "conformance");
    if (existsSync(candidate)) return candidate;
    dir = join(dir, "..");
  }
  throw new Error("shared/conformance not found above " + import.meta.url);
}

const fmtDir = join(conformanceDir(), "fmt");

describe("fmt conformance", () => {
  const cases = readdirSync(fmtDir)
    .filter((f) => f.endsWith(".in"))
    .map((f) => f.slice(0, -3))
    .sort();
  let passed = 0;

  for (const name of cases) {
    const errorFile = join(fmtDir, `${name}.error`);
    if (existsSync(errorFile)) {
      test(`${name}: parsing fails with the expected error`, () => {
        const want = readFileSync(errorFile, "utf8").replace(/\r\n/g, "\n").trim();
        const { diagnostics } = parseFile(`${name}.in`, readFileSync(join(fmtDir, `${name}.in`)));
        expect(diagnostics.length).toBeGreaterThan(0);
        expect(diagnostics.map((d) => d.message).join("\n")).toContain(want);
        passed++;
      });
      continue;
    }
    test(`${name}: prints exactly the expected output`, () => {
      const { file, diagnostics } = parseFile(`${name}.in`, readFileSync(join(fmtDir, `${name}.in`)));
      expect(diagnostics).toEqual([]);
      const want = readFileSync(join(fmtDir, `${name}.expect`), "utf8").trimEnd();
      expect(printFile(file)).toBe(want);
      passed++;
    });
  }

  test("summary", () => {
    console.log(`fmt conformance: ${passed}/${cases.length} passed`);
    expect(passed).toBe(cases.length);
  });
});
