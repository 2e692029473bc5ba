// The catalog `alloy run` uses names exactly the components of the eager list, and
// each name imports the definition of that component.

import { expect, test } from "bun:test";
import { componentCatalog } from "../../src/components/catalog.ts";
import { components } from "../../src/components/index.ts";

test("the catalog names every built-in component, once", () => {
  const names = componentCatalog.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual(components.map((c) => c.name).sort());
});

test("each catalog entry imports the definition of the component it names", async () => {
  for (const entry of componentCatalog) {
    const def = await entry.load();
    expect(def).toBe(components.find((c) => c.name === entry.name)!);
  }
});
