// The lazy form of defineComponent: the implementation module loads on the first
// build only, once for every instance, and a failed load is an unhealthy component
// that a later build can recover from.

import { afterEach, expect, test } from "bun:test";
import { defineComponent, type ComponentImplementation } from "../../src/runtime/component.ts";
import * as schema from "../../src/syntax/schema/index.ts";
import { testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const Arguments = schema.block({ value: schema.attr(schema.string) });
const Exports = schema.block({ value: schema.attr(schema.string) });

function lazyEcho(load: () => Promise<ComponentImplementation<typeof Arguments, typeof Exports>>) {
  return defineComponent({ name: "test.lazy_echo", stability: "generally-available", args: Arguments, exports: Exports, load });
}

const echoImplementation: ComponentImplementation<typeof Arguments, typeof Exports> = {
  build(ctx, args) {
    ctx.publish({ value: args.value });
    return { update: (a) => ctx.publish({ value: a.value }) };
  },
};

test("the implementation is not loaded while no config uses the component", async () => {
  let loads = 0;
  const def = lazyEcho(async () => (loads++, echoImplementation));
  rt = testRuntime({ extra: [def] });
  const res = await rt.load([{ name: "main.alloy", text: `test.source "s" { initial = "x" }\n` }]);
  expect(res.diagnostics).toEqual([]);
  expect(loads).toBe(0);
});

test("the implementation loads once on the first build and serves every instance", async () => {
  let loads = 0;
  const def = lazyEcho(async () => (loads++, echoImplementation));
  rt = testRuntime({ extra: [def] });
  const res = await rt.load([{ name: "main.alloy", text: `test.lazy_echo "a" { value = "one" }\ntest.lazy_echo "b" { value = test.lazy_echo.a.value }\n` }]);
  expect(res.diagnostics).toEqual([]);
  expect(loads).toBe(1);
  expect(rt.component("test.lazy_echo.b")!.exports).toEqual([{ name: "value", type: "attr", value: { type: "string", value: "one" } }]);
  expect(rt.component("test.lazy_echo.b")!.health.state).toBe("healthy");
});

test("arguments are decoded with the eager schema before anything loads", async () => {
  let loads = 0;
  const def = lazyEcho(async () => (loads++, echoImplementation));
  rt = testRuntime({ extra: [def] });
  const res = await rt.load([{ name: "main.alloy", text: `test.lazy_echo "a" { value = [1] }\n` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toMatch(/string/);
  expect(loads).toBe(0);
});

test("a failed load is reported and retried by the next build", async () => {
  let loads = 0;
  const def = lazyEcho(async () => {
    loads++;
    if (loads === 1) throw new Error("disk on fire");
    return echoImplementation;
  });
  rt = testRuntime({ extra: [def] });
  const first = await rt.load([{ name: "main.alloy", text: `test.lazy_echo "a" { value = "one" }\n` }]);
  expect(first.diagnostics.map((d) => d.message).join("\n")).toContain("disk on fire");
  const second = await rt.load([{ name: "main.alloy", text: `test.lazy_echo "a" { value = "two" }\n` }]);
  expect(second.diagnostics).toEqual([]);
  expect(loads).toBe(2);
  expect(rt.component("test.lazy_echo.a")!.exports).toEqual([{ name: "value", type: "attr", value: { type: "string", value: "two" } }]);
});

test("a module without a build function is a clear error", async () => {
  const def = lazyEcho(async () => ({}) as ComponentImplementation<typeof Arguments, typeof Exports>);
  rt = testRuntime({ extra: [def] });
  const res = await rt.load([{ name: "main.alloy", text: `test.lazy_echo "a" { value = "one" }\n` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("component test.lazy_echo: its implementation module exports no build function");
});
