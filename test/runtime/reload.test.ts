import { afterEach, beforeEach, expect, test } from "bun:test";
import { evaluations, instances, resetCounters, stopped } from "./testcomponents.ts";
import { messages, testRuntime, waitFor, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const v1 = `
test.source "keep" { initial = "k" }
test.pass "changed" { input = "one" }
test.pass "removed" { input = test.source.keep.output }
`;
const v2 = `
test.source "keep" { initial = "k" }
test.pass "changed" { input = "two" }
test.pass "added" { input = test.source.keep.output }
`;

test("reload keeps unchanged components, updates changed, stops removed, starts added", async () => {
  rt = testRuntime();
  expect((await rt.load([{ name: "main.alloy", text: v1 }])).applied).toBe(true);
  const keep = instances.get("test.source.keep");
  const changed = instances.get("test.pass.changed");
  evaluations.length = 0;
  const res = await rt.load([{ name: "main.alloy", text: v2 }]);
  expect(res).toEqual({ diagnostics: [], applied: true });
  expect(instances.get("test.source.keep")).toBe(keep);
  expect(instances.get("test.pass.changed")).toBe(changed);
  expect(evaluations).toEqual([
    { id: "test.pass.changed", value: "two" },
    { id: "test.pass.added", value: "k" },
  ]);
  expect(stopped).toEqual(["test.pass.removed"]);
  expect(rt.components()!.map((c) => c.localID)).toEqual(["test.source.keep", "test.pass.changed", "test.pass.added"]);
});

test("a graph-level error on reload keeps the running graph untouched", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: v1 }]);
  const before = rt.components()!.map((c) => c.localID);
  evaluations.length = 0;
  const res = await rt.load([{ name: "main.alloy", text: v1 + `\nlocal.nope "x" {}\n` }]);
  expect(res.applied).toBe(false);
  expect(messages(res.diagnostics)).toEqual(['cannot find the definition of component name "local.nope"']);
  expect(rt.components()!.map((c) => c.localID)).toEqual(before);
  expect(stopped).toEqual([]);
  expect(evaluations).toEqual([]);
});

test("a syntax error on reload keeps the running graph", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: v1 }]);
  const res = await rt.load([{ name: "main.alloy", text: `test.pass "x" {` }]);
  expect(res.applied).toBe(false);
  expect(rt.components()!.length).toBe(3);
});

test("an evaluation error on reload leaves that component on its last valid arguments", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: v1 }]);
  evaluations.length = 0;
  const res = await rt.load([{ name: "main.alloy", text: v1.replace('input = "one"', "input = {}") }]);
  expect(res.applied).toBe(true);
  expect(messages(res.diagnostics)).toEqual(["{} should be string, got object"]);
  expect(evaluations).toEqual([]);
  const c = rt.component("test.pass.changed")!;
  expect(c.health.state).toBe("unhealthy");
  expect(c.arguments).toEqual([{ name: "input", type: "attr", value: { type: "string", value: "one" } }]);
});

test("the first load with a graph error starts nothing", async () => {
  rt = testRuntime();
  const res = await rt.load([{ name: "main.alloy", text: `test.pass "a" { input = nope.x }` }]);
  expect(res.applied).toBe(false);
  expect(rt.ready).toBe(false);
  expect(rt.components()).toEqual([]);
});

test("run loops start on load and stop on removal and shutdown", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: `test.source "a" {}\ntest.source "b" {}\n` }]);
  expect(rt.component("test.source.a")!.health.state).toBe("healthy");
  await rt.load([{ name: "main.alloy", text: `test.source "a" {}\n` }]);
  expect(stopped).toEqual(["test.source.b"]);
  await rt.stop();
  expect(stopped).toEqual(["test.source.b", "test.source.a"]);
  rt = undefined;
});

test("a first load with evaluation errors starts no run loops", async () => {
  rt = testRuntime();
  const res = await rt.load([{ name: "main.alloy", text: `test.source "a" {}\ntest.pass "b" { input = {} }\n` }]);
  expect(res.applied).toBe(true);
  expect(res.diagnostics.length).toBe(1);
  expect(rt.component("test.source.a")!.health.state).toBe("unknown");
});

test("a directory's files form one graph: references cross files", async () => {
  rt = testRuntime();
  const res = await rt.load([
    { name: "b.alloy", text: `test.pass "p" { input = test.source.s.output }\n` },
    { name: "a.alloy", text: `test.source "s" { initial = "from-a" }\n` },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(JSON.stringify(rt.component("test.pass.p")!.exports)).toContain("from-a");
});

test("a run loop that returns marks the component exited; a reload restarts it", async () => {
  const { defineComponent } = await import("../../src/runtime/component.ts");
  const schema = await import("../../src/syntax/schema/index.ts");
  let runs = 0;
  const quitter = defineComponent({
    name: "test.quitter",
    stability: "generally-available",
    args: schema.block({}),
    build: () => ({
      update() {},
      async run() {
        runs++;
        if (runs === 1) throw new Error("boom");
      },
    }),
  });
  rt = testRuntime({ extra: [quitter] });
  await rt.load([{ name: "main.alloy", text: `test.quitter "q" {}\n` }]);
  await waitFor(() => rt!.component("test.quitter.q")!.health.state === "exited", 2000, "exit");
  expect(rt.component("test.quitter.q")!.health.message).toBe("component shut down with error: boom");
  await rt.load([{ name: "main.alloy", text: `test.quitter "q" {}\n` }]);
  await waitFor(() => runs === 2, 2000, "restart");
  await waitFor(() => rt!.component("test.quitter.q")!.health.message === "component shut down cleanly", 2000, "clean exit");
});

test("a rejected reload does not leak its blocks into the running components", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: `test.source "s" { initial = "a" }\ntest.pass "p" { input = test.source.s.output }\n` }]);
  const res = await rt.load([
    { name: "main.alloy", text: `test.source "s" { initial = "a" }\ntest.pass "p" { input = "changed-" + test.source.s.output }\nlocal.nope "x" {}\n` },
  ]);
  expect(res.applied).toBe(false);
  const { publishers } = await import("./testcomponents.ts");
  publishers.get("test.source.s")!("b");
  await rt.idle();
  expect(JSON.stringify(rt.component("test.pass.p")!.exports)).toContain('"b"');
  expect(JSON.stringify(rt.component("test.pass.p")!.exports)).not.toContain("changed-");
});
