import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluations, publishers, resetCounters } from "./testcomponents.ts";
import { messages, tempDir, testRuntime, waitFor, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function output(id: string): unknown {
  const c = rt!.component(id);
  const e = c?.exports.find((s) => (s as { name: string }).name === "output") as { value: { value: unknown } } | undefined;
  return e?.value.value;
}

const greeter = `
declare "greeter" {
  argument "name" { }
  argument "greeting" {
    optional = true
    default  = "hello"
  }
  test.pass "inner" { input = argument.greeting.value + " " + argument.name.value }
  export "text" { value = test.pass.inner.output }
}
`;

test("a declare used twice runs two modules with their own arguments and exports", async () => {
  rt = testRuntime();
  const res = await rt.load([
    {
      name: "main.alloy",
      text: greeter + `
greeter "a" { name = "ann" }
greeter "b" {
  name = "bob"
  greeting = "hi"
}
test.pass "out_a" { input = greeter.a.text }
test.pass "out_b" { input = greeter.b.text }
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(output("test.pass.out_a")).toBe("hello ann");
  expect(output("test.pass.out_b")).toBe("hi bob");
  expect(rt.components("greeter.a")!.map((c) => c.localID)).toEqual(["test.pass.inner"]);
  expect(rt.component("greeter.a/test.pass.inner")!.moduleID).toBe("greeter.a");
  expect(rt.component("greeter.a")!.createdModuleIDs).toEqual(["greeter.a"]);
});

test("a custom component's argument change re-evaluates inside the module and propagates out", async () => {
  rt = testRuntime();
  const text = greeter + `\ntest.source "src" { initial = "x" }\ngreeter "a" { name = test.source.src.output }\ntest.pass "out" { input = greeter.a.text }\n`;
  await rt.load([{ name: "main.alloy", text }]);
  expect(output("test.pass.out")).toBe("hello x");
  publishers.get("test.source.src")!("zed");
  await rt.idle();
  expect(output("test.pass.out")).toBe("hello zed");
  expect(rt.component("greeter.a")!.arguments).toEqual([{ name: "name", type: "attr", value: { type: "string", value: "zed" } }]);
});

test("module argument errors use Alloy's messages", async () => {
  rt = testRuntime();
  let res = await rt.load([{ name: "main.alloy", text: greeter + `greeter "a" { nope = 1 }\n` }]);
  expect(messages(res.diagnostics)).toEqual(['Provided argument "nope" is not defined in the module']);
  await rt.stop();
  rt = testRuntime();
  res = await rt.load([{ name: "main.alloy", text: greeter + `greeter "a" { }\n` }]);
  expect(messages(res.diagnostics)).toContain('Failed to evaluate node for config block: missing required argument "name" to module');
});

test("import.file of a file and of a directory", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "greet.alloy"), greeter);
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "lib", "a.alloy"), `declare "upper" {\n  argument "in" {}\n  export "out" { value = string.to_upper(argument.in.value) }\n}\n`);
  writeFileSync(join(dir, "lib", "b.alloy"), `declare "lower" {\n  argument "in" {}\n  export "out" { value = string.to_lower(argument.in.value) }\n}\n`);
  rt = testRuntime();
  const res = await rt.load([
    {
      name: join(dir, "main.alloy"),
      text: `
import.file "g" { filename = "greet.alloy" }
import.file "lib" { filename = file.path_join(module_path, "lib") }
g.greeter "x" { name = "al" }
lib.upper "u" { in = "MiX" }
lib.lower "l" { in = "MiX" }
test.pass "o1" { input = g.greeter.x.text }
test.pass "o2" { input = lib.upper.u.out + lib.lower.l.out }
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(output("test.pass.o1")).toBe("hello al");
  expect(output("test.pass.o2")).toBe("MIXmix");
});

test("import.file picks up changes and reloads only modules using it", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "m.alloy"), `declare "d" {\n  export "v" { value = "one" }\n}\n`);
  rt = testRuntime();
  await rt.load([
    {
      name: join(dir, "main.alloy"),
      text: `import.file "m" {\n  filename = "m.alloy"\n  detector = "poll"\n  poll_frequency = "20ms"\n}\nm.d "x" {}\ntest.pass "o" { input = m.d.x.v }\ntest.source "other" {}\n`,
    },
  ]);
  expect(output("test.pass.o")).toBe("one");
  evaluations.length = 0;
  writeFileSync(join(dir, "m.alloy"), `declare "d" {\n  export "v" { value = "two" }\n}\n`);
  await waitFor(() => output("test.pass.o") === "two", 5000, "module change");
  expect(evaluations.filter((e) => e.id === "test.source.other")).toEqual([]);
});

test("import.string and nested imports, with shadowing of a builtin namespace", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "inner.alloy"), `declare "twice" {\n  argument "in" {}\n  export "out" { value = argument.in.value + argument.in.value }\n}\n`);
  writeFileSync(
    join(dir, "outer.alloy"),
    `import.file "inner" { filename = file.path_join(module_path, "inner.alloy") }\ndeclare "quad" {\n  argument "in" {}\n  inner.twice "t" { in = argument.in.value }\n  inner.twice "u" { in = inner.twice.t.out }\n  export "out" { value = inner.twice.u.out }\n}\n`,
  );
  rt = testRuntime();
  const res = await rt.load([
    {
      name: join(dir, "main.alloy"),
      text: `
import.file "outer" { filename = "outer.alloy" }
import.string "test" { content = "declare \\"pass\\" {\\n argument \\"input\\" {}\\n export \\"output\\" { value = \\"shadowed:\\" + argument.input.value }\\n}" }
outer.quad "q" { in = "ab" }
test.pass "p" { input = outer.quad.q.out }
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  // `test.pass` now names the imported declare, not the builtin.
  expect(rt.component("test.pass.p")!.exports).toEqual([
    { name: "output", type: "attr", value: { type: "string", value: "shadowed:abababab" } },
  ]);
});

test("a declare body cannot reference components outside it", async () => {
  rt = testRuntime();
  const res = await rt.load([
    { name: "main.alloy", text: `test.source "s" {}\ndeclare "d" {\n  test.pass "p" { input = test.source.s.output }\n}\nd "x" {}\n` },
  ]);
  expect(messages(res.diagnostics)).toEqual(['component "test.source.s.output" does not exist or is out of scope']);
});

test("import.file with the fsnotify detector reacts to a change without waiting for the poll period", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "m.alloy"), `declare "d" {\n  export "v" { value = "one" }\n}\n`);
  rt = testRuntime();
  await rt.load([{ name: join(dir, "main.alloy"), text: `import.file "m" {\n  filename = "m.alloy"\n  poll_frequency = "1h"\n}\nm.d "x" {}\ntest.pass "o" { input = m.d.x.v }\n` }]);
  expect(output("test.pass.o")).toBe("one");
  writeFileSync(join(dir, "m.alloy"), `declare "d" {\n  export "v" { value = "two" }\n}\n`);
  await waitFor(() => output("test.pass.o") === "two", 5000, "fsnotify module change");
});

test("a declare whose body uses an imported module follows that module's changes", async () => {
  const dir = tempDir();
  const lib = (v: string) => `declare "val" {\n  export "v" { value = "${v}" }\n}\n`;
  writeFileSync(join(dir, "lib.alloy"), lib("old"));
  rt = testRuntime();
  await rt.load([
    {
      name: join(dir, "main.alloy"),
      text: `import.file "lib" {\n  filename = "lib.alloy"\n  detector = "poll"\n  poll_frequency = "20ms"\n}\ndeclare "wrap" {\n  lib.val "inner" {}\n  export "out" { value = lib.val.inner.v }\n}\nwrap "w" {}\ntest.pass "o" { input = wrap.w.out }\n`,
    },
  ]);
  expect(output("test.pass.o")).toBe("old");
  writeFileSync(join(dir, "lib.alloy"), lib("new"));
  await waitFor(() => output("test.pass.o") === "new", 5000, "nested module change");
});

test("a declare that instantiates itself is a cycle, not an endless recursion", async () => {
  rt = testRuntime();
  let res = await rt.load([{ name: "main.alloy", text: `declare "a" {\n  a "x" {}\n}\na "top" {}\n` }]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(["self reference: declare.a"]);
  res = await rt.load([{ name: "main.alloy", text: `declare "a" {\n  b "x" {}\n}\ndeclare "b" {\n  a "y" {}\n}\na "top" {}\n` }]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(["cycle: declare.a, declare.b"]);
});
