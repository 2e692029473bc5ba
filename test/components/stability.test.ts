// Every built-in component carries the stability level Alloy documents for it
// (the reference table in ../shared/reference/components.md).

import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../src/components/index.ts";

const tablePath = join(import.meta.dir, "../../../shared/reference/components.md");

const levels: Record<string, string> = {
  GA: "generally-available",
  "Public preview": "public-preview",
  Experimental: "experimental",
};

function documentedLevels(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(tablePath, "utf8").split("\n")) {
    const m = /^\| `([a-z0-9_.]+)`(?: ★)? \| ([^|]+) \|/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

test.skipIf(!existsSync(tablePath))("every built-in component has Alloy's documented name and stability level", () => {
  const documented = documentedLevels();
  expect(documented.size).toBeGreaterThan(150);
  const mismatches: string[] = [];
  for (const c of components) {
    const doc = documented.get(c.name);
    if (doc === undefined) {
      mismatches.push(`${c.name}: not an Alloy component`);
    } else if (doc === "Community") {
      if (!c.community) mismatches.push(`${c.name}: should be a community component`);
    } else if (levels[doc] !== c.stability) {
      mismatches.push(`${c.name}: ${c.stability}, Alloy documents ${doc}`);
    }
  }
  expect(mismatches).toEqual([]);
});

test("component names are unique", () => {
  const names = components.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
});
