import { afterEach, beforeEach, expect, test } from "bun:test";
import { resetCounters } from "./testcomponents.ts";
import { messages, testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function load(text: string, opts: Parameters<typeof testRuntime>[0] = {}) {
  rt = testRuntime(opts);
  return rt.load([{ name: "main.alloy", text }]);
}

test("unknown component is reported at its name", async () => {
  const res = await load(`local.missing "x" {}\n`);
  expect(res.applied).toBe(false);
  expect(res.diagnostics).toEqual([
    {
      severity: "error",
      message: 'cannot find the definition of component name "local.missing"',
      file: "main.alloy",
      start: { offset: 0, line: 1, column: 1 },
      end: { offset: 13, line: 1, column: 14 },
    },
  ]);
});

test("duplicate IDs name the first declaration's position", async () => {
  const res = await load(`test.source "a" {}\ntest.source "a" {}\n`);
  expect(messages(res.diagnostics)).toEqual(["block test.source.a already declared at main.alloy:1:1"]);
  expect(res.diagnostics[0]!.start?.line).toBe(2);
});

test("duplicate IDs across files of a directory name both files", async () => {
  rt = testRuntime();
  const res = await rt.load([
    { name: "a.alloy", text: `test.source "x" {}\n` },
    { name: "b.alloy", text: `\ntest.source "x" {}\n` },
  ]);
  expect(res.diagnostics[0]!.file).toBe("b.alloy");
  expect(res.diagnostics[0]!.message).toBe("block test.source.x already declared at a.alloy:1:1");
});

test("a component without a label is refused", async () => {
  const res = await load(`test.source {}\n`);
  expect(messages(res.diagnostics)).toEqual(['component "test.source" must have a label']);
});

test("cycles are reported listing their members; self references too (as alloy run words them)", async () => {
  const res = await load(
    `test.pass "a" { input = test.pass.b.output }\ntest.pass "b" { input = test.pass.a.output }\ntest.pass "s" { input = test.pass.s.output }\n`,
  );
  expect(messages(res.diagnostics)).toEqual(["cycle: test.pass.a, test.pass.b", "self reference: test.pass.s"]);
});

test("unresolved references name the whole traversal", async () => {
  const res = await load(`test.pass "a" { input = test.pass.nope.output }\n`);
  expect(messages(res.diagnostics)).toEqual(['component "test.pass.nope.output" does not exist or is out of scope']);
  expect(res.diagnostics[0]!.start?.column).toBe(25);
});

test("stdlib names and module_path are not references", async () => {
  const res = await load(`test.pass "a" { input = string.format("%s", module_path) + sys.env("HOME") }\n`);
  expect(res.diagnostics).toEqual([]);
});

const gate = (kind: string, name: string, level: string, min = "generally-available") =>
  `${kind} "${name}" is at stability level "${level}", which is below the minimum allowed stability level "${min}". Use --stability.level command-line flag to enable "${level}" features`;

test("components below the stability level are refused", async () => {
  let res = await load(`test.experimental "x" {}\ntest.preview "y" {}\n`);
  expect(messages(res.diagnostics)).toEqual([
    gate("component", "test.experimental", "experimental"),
    gate("component", "test.preview", "public-preview"),
  ]);
  await rt!.stop();
  res = await load(`test.experimental "x" {}\ntest.preview "y" {}\n`, { stability: "public-preview" });
  expect(messages(res.diagnostics)).toEqual([gate("component", "test.experimental", "experimental", "public-preview")]);
  await rt!.stop();
  res = await load(`test.experimental "x" {}\ntest.preview "y" {}\n`, { stability: "experimental" });
  expect(res.diagnostics).toEqual([]);
});

test("foreach blocks are experimental", async () => {
  const res = await load(`foreach "f" {\n  collection = []\n  var = "x"\n  template {}\n}\n`);
  expect(messages(res.diagnostics)).toEqual([gate("config block", "foreach", "experimental")]);
});

test("experimental stdlib functions are refused below experimental", async () => {
  const res = await load(`test.pass "a" { input = array.combine_maps([], [], "k")[0] }\n`);
  expect(res.applied).toBe(false);
  expect(messages(res.diagnostics)).toHaveLength(1);
  expect(messages(res.diagnostics)[0]).toBe(
    'array.combine_maps is at stability level "experimental", which is below the minimum allowed stability level "generally-available". Use --stability.level command-line flag to enable "experimental" features',
  );
});

test("service blocks are accepted at root and checked", async () => {
  const res = await load(`livedebugging { enabled = true }\nhttp { nope = 1 }\n`);
  expect(messages(res.diagnostics)).toEqual(['unrecognized attribute name "nope"']);
});

test("argument and export blocks are only allowed in modules; logging only at root", async () => {
  const res = await load(`argument "a" {}\nexport "b" { value = 1 }\ndeclare "m" {\n  logging {}\n}\nm "x" {}\n`);
  expect(messages(res.diagnostics)).toEqual([
    "argument blocks only allowed inside a module",
    "export blocks only allowed inside a module",
  ]);
});

test("services receive their block, and their defaults when the block is removed", async () => {
  const schema = await import("../../src/syntax/schema/index.ts");
  const seen: unknown[] = [];
  const services = [
    { name: "livedebugging", stability: "generally-available" as const, args: schema.block({ enabled: schema.attr(schema.bool, { default: false }) }), update: (a: unknown) => void seen.push(a) },
    { name: "labs", stability: "experimental" as const, args: schema.block({}) },
  ];
  rt = testRuntime({ services });
  await rt.load([{ name: "main.alloy", text: `livedebugging { enabled = true }\n` }]);
  await rt.load([{ name: "main.alloy", text: `test.source "x" {}\n` }]);
  expect(seen).toEqual([{ enabled: true }, { enabled: false }]);
  const res = await rt.load([{ name: "main.alloy", text: `labs {}\ndeclare "m" {\n  livedebugging {}\n}\nm "x" {}\n` }]);
  expect(messages(res.diagnostics)).toEqual([gate("block", "labs", "experimental")]);
});

test("service blocks are refused inside modules", async () => {
  const res = await load(`declare "m" {\n  livedebugging {}\n}\nm "x" {}\n`);
  expect(messages(res.diagnostics)).toEqual(['service blocks not allowed inside a module: "livedebugging"']);
});

test("shadowing a stdlib name and deprecated functions are logged as warnings", async () => {
  const res = await load(`declare "sys" {\n  export "v" { value = "x" }\n}\nsys "sys" {}\ntest.pass "a" { input = sys.sys.v }\ntest.pass "b" { input = env("HOME") }\n`);
  expect(res.diagnostics).toEqual([]);
  const warnings = rt!.logLines.filter((l) => l.includes("level=warn")).join("");
  expect(warnings).toContain("a component is shadowing an existing stdlib name");
  expect(warnings).toContain("this stdlib function is deprecated");
});
