// The validator against Alloy's cases that need components other areas provide,
// using stand-in definitions with the same argument shapes.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineComponent } from "../../src/runtime/component.ts";
import { validateConfig } from "../../src/runtime/index.ts";
import { renderDiagnostics } from "../../src/syntax/diag_render.ts";
import * as schema from "../../src/syntax/schema/index.ts";
import { components } from "../../src/components/index.ts";

const standIns = [
  defineComponent({
    name: "prometheus.scrape",
    stability: "generally-available",
    args: schema.block({ targets: schema.attr(schema.targets), forward_to: schema.attr(schema.list(schema.any)) }),
    build: () => ({ update() {} }),
  }),
  defineComponent({
    name: "prometheus.relabel",
    stability: "generally-available",
    args: schema.block({ forward_to: schema.attr(schema.list(schema.any)) }),
    exports: schema.block({ receiver: schema.attr(schema.any) }),
    build: () => ({ update() {} }),
  }),
];

const dir = join(import.meta.dir, "..", "..", "..", "shared", "conformance", "validate");

function run(path: string, stability: "generally-available" | "experimental"): { actual: string; expected: string } {
  const src = readFileSync(join(dir, `${path}.txtar`), "utf8");
  const main = src.slice(src.indexOf("-- main.alloy --\n") + "-- main.alloy --\n".length);
  const diags = validateConfig([{ name: "main.alloy", text: main }], { stability, communityComponents: false, components: [...components, ...standIns] });
  return { actual: renderDiagnostics(diags, new Map([["main.alloy", main]])), expected: readFileSync(join(dir, `${path}.diags`), "utf8") };
}

test("validate reports cycles and self references as Alloy does", () => {
  const { actual, expected } = run("default/cycle", "experimental");
  expect(actual).toBe(expected);
});

test("validate gates foreach and experimental stdlib functions at generally-available", () => {
  const { actual, expected } = run("ga/non_ga", "generally-available");
  expect(actual).toBe(expected);
});
