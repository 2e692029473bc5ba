import { afterEach, beforeEach, expect, test } from "bun:test";
import { evaluations, publishers, resetCounters } from "./testcomponents.ts";
import { messages, testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const chain = `
test.source "a" { initial = "v0" }
test.pass "b" { input = test.source.a.output }
test.pass "c" { input = test.pass.b.output }
test.pass "d" { input = test.pass.c.output }
test.pass "e" { input = test.pass.d.output }
`;

test("a chain evaluates dependencies first and passes values along", async () => {
  rt = testRuntime();
  const res = await rt.load([{ name: "main.alloy", text: chain }]);
  expect(res.diagnostics).toEqual([]);
  expect(res.applied).toBe(true);
  expect(evaluations.map((e) => `${e.id}=${String(e.value)}`)).toEqual([
    "test.pass.b=v0",
    "test.pass.c=v0",
    "test.pass.d=v0",
    "test.pass.e=v0",
  ]);
});

test("one export change re-evaluates each of the 4 dependants exactly once, in order", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: chain }]);
  evaluations.length = 0;
  publishers.get("test.source.a")!("v1");
  await rt.idle();
  expect(evaluations.map((e) => `${e.id}=${String(e.value)}`)).toEqual([
    "test.pass.b=v1",
    "test.pass.c=v1",
    "test.pass.d=v1",
    "test.pass.e=v1",
  ]);
});

test("1000 export changes in a burst evaluate dependants far fewer times and end on the final value", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: chain }]);
  evaluations.length = 0;
  const publish = publishers.get("test.source.a")!;
  for (let i = 1; i <= 1000; i++) {
    publish(`v${i}`);
    if (i % 100 === 0) await Promise.resolve();
  }
  await rt.idle();
  const forE = evaluations.filter((e) => e.id === "test.pass.e");
  expect(forE.length).toBeGreaterThan(0);
  expect(forE.length).toBeLessThan(50);
  expect(forE[forE.length - 1]!.value).toBe("v1000");
  const b = rt.component("test.pass.b")!;
  expect(JSON.stringify(b.exports)).toContain("v1000");
});

test("unchanged exports do not re-evaluate dependants", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: chain }]);
  evaluations.length = 0;
  publishers.get("test.source.a")!("v0");
  await rt.idle();
  expect(evaluations).toEqual([]);
});

test("evaluation errors keep the last valid arguments and mark the component unhealthy", async () => {
  rt = testRuntime();
  await rt.load([{ name: "main.alloy", text: chain }]);
  const res = await rt.load([{ name: "main.alloy", text: chain.replace('input = test.pass.c.output', "input = 12 + true") }]);
  expect(res.applied).toBe(true);
  expect(res.diagnostics.length).toBe(1);
  const d = rt.component("test.pass.d")!;
  expect(d.health.state).toBe("unhealthy");
  expect(JSON.stringify(d.arguments)).toContain("v0");
  expect(rt.unhealthyComponents()).toEqual(["test.pass.d"]);
});

test("wrong argument type, missing required argument, unknown attribute and block are reported", async () => {
  rt = testRuntime();
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `test.pass "a" { input = [1] }\ntest.pass "b" { }\ntest.pass "c" {\n  input = ""\n  nope = 1\n  blk {}\n}\n`,
    },
  ]);
  expect(messages(res.diagnostics)).toEqual([
    "[1] should be string, got array",
    'missing required attribute "input"',
    'unrecognized attribute name "nope"',
    'unrecognized block name "blk"',
  ]);
});
