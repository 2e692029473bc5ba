// The catalog is the one list of built-in components: every definition module under
// src/components is in it, once, under the name the module defines.

import { expect, test } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { componentCatalog } from "../../src/components/catalog.ts";

const componentsDir = join(import.meta.dir, "../../src/components");

test("the catalog names every built-in component, once", () => {
  const names = componentCatalog.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
});

test("each catalog entry imports the definition of the component it names", async () => {
  for (const entry of componentCatalog) expect((await entry.load()).name).toBe(entry.name);
});

test("every module under src/components that defines a component is in the catalog", async () => {
  const defining = [...new Glob("**/*.ts").scanSync(componentsDir)].filter((f) => /^export default defineComponent\(/m.test(readFileSync(join(componentsDir, f), "utf8")));
  expect(defining.length).toBeGreaterThan(30);
  const loaded = new Set(await Promise.all(componentCatalog.map((c) => c.load())));
  for (const file of defining) {
    const mod = (await import(join(componentsDir, file))) as { default: unknown };
    expect({ file, inCatalog: loaded.has(mod.default as never) }).toEqual({ file, inCatalog: true });
  }
});
