// Components known only by name: the definition is imported when a config (or a
// module it loads) first names the component, once, and never for unused names.

import { afterEach, expect, test } from "bun:test";
import { defineComponent } from "../../src/runtime/component.ts";
import type { LazyComponent } from "../../src/runtime/component_catalog.ts";
import * as schema from "../../src/syntax/schema/index.ts";
import { messages, testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;

/** The string value of one export, as the API reports it. */
function exported(id: string, name: string): unknown {
  const e = rt!.component(id)?.exports.find((x) => (x as { name: string }).name === name) as { value: { value: unknown } } | undefined;
  return e?.value.value;
}
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const Arguments = schema.block({ value: schema.attr(schema.string) });
const Exports = schema.block({ value: schema.attr(schema.string) });

const echo = defineComponent({
  name: "test.named_echo",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build(ctx, args) {
    ctx.publish({ value: args.value });
    return { update: (a) => ctx.publish({ value: a.value }) };
  },
});

function named(counter: { loads: number }, name = "test.named_echo"): LazyComponent {
  return { name, load: async () => (counter.loads++, echo) };
}

test("a named component is not imported while no config uses it", async () => {
  const counter = { loads: 0 };
  rt = testRuntime({ extra: [named(counter)] });
  const res = await rt.load([{ name: "main.alloy", text: `test.source "s" { initial = "x" }\n` }]);
  expect(res.diagnostics).toEqual([]);
  expect(counter.loads).toBe(0);
});

test("a named component is imported once, on the first config that uses it", async () => {
  const counter = { loads: 0 };
  rt = testRuntime({ extra: [named(counter)] });
  const text = `test.named_echo "a" { value = "x" }\ntest.named_echo "b" { value = test.named_echo.a.value + "y" }\n`;
  const res = await rt.load([{ name: "main.alloy", text }]);
  expect(res.diagnostics).toEqual([]);
  expect(exported("test.named_echo.b", "value")).toBe("xy");
  await rt.load([{ name: "main.alloy", text: text + `test.named_echo "c" { value = "z" }\n` }]);
  expect(exported("test.named_echo.c", "value")).toBe("z");
  expect(counter.loads).toBe(1);
});

test("a named component used only inside a declared component and an imported module is imported", async () => {
  const counter = { loads: 0 };
  rt = testRuntime({ extra: [named(counter)] });
  const text = [
    `declare "wrap" {\n  argument "v" {}\n  test.named_echo "inner" { value = argument.v.value }\n  export "out" { value = test.named_echo.inner.value }\n}`,
    `wrap "w" { v = "declared" }`,
    `import.string "mod" { content = "declare \\"m\\" {\\n test.named_echo \\"e\\" { value = \\"module\\" }\\n export \\"out\\" { value = test.named_echo.e.value }\\n}" }`,
    `mod.m "x" { }`,
    "",
  ].join("\n");
  const res = await rt.load([{ name: "main.alloy", text }]);
  expect(res.diagnostics).toEqual([]);
  expect(exported("wrap.w", "out")).toBe("declared");
  expect(exported("mod.m.x", "out")).toBe("module");
  expect(counter.loads).toBe(1);
});

test("an unknown name is still reported, and a module defining another name is an error", async () => {
  rt = testRuntime({ extra: [named({ loads: 0 })] });
  const res = await rt.load([{ name: "main.alloy", text: `test.nope "a" { }\n` }]);
  expect(messages(res.diagnostics)).toEqual([`cannot find the definition of component name "test.nope"`]);
  await rt.stop();
  rt = testRuntime({ extra: [named({ loads: 0 }, "test.misnamed")] });
  await expect(rt.load([{ name: "main.alloy", text: `test.misnamed "a" { value = "x" }\n` }])).rejects.toThrow(`the module for component "test.misnamed" defines "test.named_echo"`);
});
