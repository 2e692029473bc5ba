import { afterEach, beforeEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../src/components/index.ts";
import { defineComponent } from "../../src/runtime/component.ts";
import * as schema from "../../src/syntax/schema/index.ts";
import { Capsule } from "../../src/syntax/value.ts";
import { resetCounters } from "./testcomponents.ts";
import { tempDir, testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const receiver = defineComponent({
  name: "test.receiver",
  stability: "generally-available",
  args: schema.block({}),
  exports: schema.block({ receiver: schema.attr(schema.capsule<object>("test.Receiver")) }),
  build(ctx) {
    ctx.publish({ receiver: {} });
    return {
      update() {},
      handler: (_req: Request, path: string) => new Response(`handled ${path}`),
      debugInfo: () => ({ queued: 3n }),
    };
  },
});
const sender = defineComponent({
  name: "test.sender",
  stability: "generally-available",
  args: schema.block({ forward_to: schema.attr(schema.list(schema.any)), targets: schema.attr(schema.list(schema.any), { default: [] }) }),
  build: () => ({ update() {} }),
});

test("component info has Alloy's field names, empty arrays and typed bodies", async () => {
  rt = testRuntime({ extra: [receiver, sender] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `test.source "s" { initial = "x" }\ntest.receiver "r" {}\ntest.sender "snd" {\n  forward_to = [test.receiver.r.receiver]\n  targets = [test.source.s.output]\n}\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  const list = rt.components()!;
  expect(list.map((c) => c.localID)).toEqual(["test.source.s", "test.receiver.r", "test.sender.snd"]);
  const s = list[0]!;
  expect(Object.keys(s).sort()).toEqual(
    ["name", "type", "localID", "moduleID", "label", "referencesTo", "referencedBy", "dataFlowEdgesTo", "health", "original", "arguments", "exports", "debugInfo", "liveDebuggingEnabled"].sort(),
  );
  expect(s).toMatchObject({ name: "test.source", type: "block", localID: "test.source.s", moduleID: "", label: "s", original: "", arguments: [], exports: [], debugInfo: [] });
  expect(s.health.state).toBe("healthy");
  expect(s.health.updatedTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  const snd = rt.component("test.sender.snd")!;
  expect(snd.referencesTo.sort()).toEqual(["test.receiver.r", "test.source.s"]);
  expect(snd.dataFlowEdgesTo).toEqual(["test.receiver.r"]);
  expect(rt.component("test.source.s")!.dataFlowEdgesTo).toEqual(["test.sender.snd"]);
  expect(rt.component("test.receiver.r")!.referencedBy).toEqual(["test.sender.snd"]);
  const r = rt.component("test.receiver.r")!;
  expect(r.exports).toEqual([{ name: "receiver", type: "attr", value: { type: "capsule", value: 'capsule("test.Receiver")' } }]);
  expect(r.debugInfo).toEqual([{ name: "queued", type: "attr", value: { type: "number", value: 3 } }]);
  expect(rt.component("test.source.s")!.arguments).toEqual([{ name: "initial", type: "attr", value: { type: "string", value: "x" } }]);
  expect(rt.component("nope")).toBeUndefined();
  expect(rt.components("no/such/module")).toBeUndefined();
});

test("component handlers are found by global ID", async () => {
  rt = testRuntime({ extra: [receiver] });
  await rt.load([{ name: "main.alloy", text: `test.receiver "r" {}\n` }]);
  const h = rt.componentHandler("test.receiver.r")!;
  expect(await (await h(new Request("http://x/api/v0/component/test.receiver.r/metrics"), "/metrics")).text()).toBe("handled /metrics");
  expect(rt.componentHandler("test.source.nope")).toBeUndefined();
});

test("no secret appears in clear in any API response or log line", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "secret"), "topsecret-value-42");
  rt = testRuntime({ extra: components });
  const text = `
local.file "s" {
  filename  = "${join(dir, "secret")}"
  is_secret = true
}
declare "wrap" {
  argument "pw" { }
  export "out" { value = argument.pw.value }
}
wrap "w" { pw = local.file.s.content }
test.pass "p" { input = "plain" }
`;
  const res = await rt.load([{ name: "main.alloy", text }]);
  expect(res.diagnostics).toEqual([]);
  const dump = JSON.stringify([
    rt.components(),
    ...rt.moduleIDs().map((m) => rt!.components(m)),
    rt.component("local.file.s"),
    rt.component("wrap.w"),
    rt.component("test.pass.p"),
  ]);
  expect(dump).toContain("(secret)");
  expect(dump).not.toContain("topsecret");
  expect(rt.logLines.length).toBeGreaterThan(0);
  expect(rt.logLines.join("")).not.toContain("topsecret");
});

test("controller and component metrics are exposed with Alloy's names", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: `test.source "a" {}\ntest.pass "b" { input = test.source.a.output }\n` }]);
  const text = await rt.env.hub.metrics();
  expect(text).toContain('alloy_component_controller_running_components{health_type="healthy",controller_path="/",controller_id=""} 2');
  expect(text).toContain('alloy_component_graph_connection{from="test.pass.b",to="test.source.a",controller_path="/",controller_id=""} 1');
  expect(text).toContain("alloy_component_evaluation_seconds_count");
});

test("the logging block changes level and format of every logger", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: `logging {\n  level = "warn"\n  format = "json"\n}\n` }]);
  expect(rt.env.logger.settings.level).toBe("warn");
  expect(rt.env.logger.settings.format).toBe("json");
  await rt.load([{ name: "main.alloy", text: `test.source "x" {}\n` }]);
  expect(rt.env.logger.settings.level).toBe("info");
  expect(rt.env.logger.settings.format).toBe("logfmt");
  const res = await rt.load([{ name: "main.alloy", text: `logging { level = "loud" }\n` }]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(['"loud" unrecognized log level "loud"']);
});

test("capsules pass through the scope untouched", async () => {
  let got: unknown;
  const probe = defineComponent({
    name: "test.probe",
    stability: "generally-available",
    args: schema.block({ v: schema.attr(schema.any) }),
    build: (_ctx, a) => {
      got = a.v;
      return { update() {} };
    },
  });
  rt = testRuntime({ extra: [receiver, probe] });
  await rt.load([{ name: "main.alloy", text: `test.receiver "r" {}\ntest.probe "p" { v = test.receiver.r.receiver }\n` }]);
  expect(got).toBeInstanceOf(Capsule);
});

test("metrics of components inside modules carry the module path, controllers their id", async () => {
  const { Counter } = await import("prom-client");
  const counting = defineComponent({
    name: "test.counting",
    stability: "generally-available",
    args: schema.block({}),
    build(ctx) {
      new Counter({ name: "test_things_total", help: "things", registers: [ctx.registry] }).inc();
      return { update() {} };
    },
  });
  rt = testRuntime({ extra: [counting] });
  const res = await rt.load([{ name: "main.alloy", text: `declare "m" {\n  test.counting "c" {}\n}\nm "one" {}\ntest.counting "top" {}\n` }]);
  expect(res.diagnostics).toEqual([]);
  const text = await rt.env.hub.metrics();
  expect(text).toContain('test_things_total{component_path="/",component_id="test.counting.top"} 1');
  expect(text).toContain('test_things_total{component_path="/m.one",component_id="test.counting.c"} 1');
  expect(text).toContain('alloy_component_controller_running_components{health_type="healthy",controller_path="/",controller_id="m.one"} 1');
  await rt.load([{ name: "main.alloy", text: `test.counting "top" {}\n` }]);
  expect(await rt.env.hub.metrics()).not.toContain("/m.one");
});
