import { afterEach, beforeEach, expect, test } from "bun:test";
import { publishers, resetCounters, stopped } from "./testcomponents.ts";
import { testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const config = (items: string) => `
test.source "prefix" { initial = "p-" }
foreach "each" {
  collection = ${items}
  var        = "item"
  template {
    test.pass "inner" { input = test.source.prefix.output + item }
  }
}
`;

test("foreach runs one pipeline per item with Alloy's child IDs, keeping unchanged ones", async () => {
  rt = testRuntime({ stability: "experimental" });
  const res = await rt.load([{ name: "main.alloy", text: config(`["a", "b.c", "a"]`) }]);
  expect(res.diagnostics).toEqual([]);
  const each = rt.component("foreach.each")!;
  expect(each.createdModuleIDs).toEqual(["foreach.each/foreach_a_1", "foreach.each/foreach_b_c_1", "foreach.each/foreach_a_2"]);
  const inner = rt.component("foreach.each/foreach_b_c_1/test.pass.inner")!;
  expect(inner.exports).toEqual([{ name: "output", type: "attr", value: { type: "string", value: "p-b.c" } }]);
  await rt.load([{ name: "main.alloy", text: config(`["a"]`) }]);
  expect(rt.component("foreach.each")!.createdModuleIDs).toEqual(["foreach.each/foreach_a_1"]);
  expect(stopped).toEqual(["test.pass.inner", "test.pass.inner"]);
  expect(rt.component("foreach.each/foreach_a_1/test.pass.inner")).toBeDefined();
});

test("an outer export change reaches the foreach children", async () => {
  rt = testRuntime({ stability: "experimental" });
  await rt.load([{ name: "main.alloy", text: config(`["a", "b"]`) }]);
  publishers.get("test.source.prefix")!("q-");
  await rt.idle();
  const out = (id: string) => JSON.stringify(rt!.component(id)!.exports);
  expect(out("foreach.each/foreach_a_1/test.pass.inner")).toContain("q-a");
  expect(out("foreach.each/foreach_b_1/test.pass.inner")).toContain("q-b");
});

test("foreach templates may not be referenced from outside", async () => {
  rt = testRuntime({ stability: "experimental" });
  const res = await rt.load([{ name: "main.alloy", text: config(`["a"]`) + `test.pass "out" { input = test.pass.inner.output }\n` }]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(['component "test.pass.inner.output" does not exist or is out of scope']);
});

test("foreach children expose metrics only with enable_metrics", async () => {
  const metricsFor = async (enable: boolean) => {
    rt = testRuntime({ stability: "experimental" });
    await rt.load([
      {
        name: "main.alloy",
        text: `foreach "each" {\n  collection = ["a"]\n  var = "item"\n  enable_metrics = ${enable}\n  template {\n    test.pass "inner" { input = item }\n  }\n}\n`,
      },
    ]);
    const text = await rt.env.hub.metrics();
    await rt.stop();
    rt = undefined;
    return text;
  };
  const hidden = await metricsFor(false);
  expect(hidden).toContain('alloy_component_controller_running_components{health_type="healthy",controller_path="/",controller_id=""} 1');
  expect(hidden).not.toContain("foreach_a_1");
  const shown = await metricsFor(true);
  expect(shown).toContain('controller_path="/foreach.each",controller_id="foreach_a_1"');
});

test("a foreach template neither resets logging nor configures services", async () => {
  rt = testRuntime({ stability: "experimental" });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `logging { level = "warn" }\nforeach "each" {\n  collection = ["a"]\n  var = "item"\n  template {\n    test.pass "inner" { input = item }\n    livedebugging {}\n  }\n}\n`,
    },
  ]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(['service blocks not allowed inside a module: "livedebugging"']);
  await rt.load([
    { name: "main.alloy", text: `logging { level = "warn" }\nforeach "each" {\n  collection = ["a"]\n  var = "item"\n  template {\n    test.pass "inner" { input = item }\n  }\n}\n` },
  ]);
  expect(rt.env.logger.settings.level).toBe("warn");
});
