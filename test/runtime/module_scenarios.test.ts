// Module and foreach scenarios driven by the Alloy-style test components: a
// counter feeds modules, a summation (or summation receiver) observes the result.

import { afterEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime, type AlloyRuntime } from "../../src/runtime/index.ts";
import { Logger, LogSettings } from "../../src/runtime/logger.ts";
import { alloyTestComponents } from "./alloy_testcomponents.ts";
import { tempDir, waitFor } from "./helpers.ts";

let rt: AlloyRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function runtime(dir: string, stability: "public-preview" | "experimental" = "public-preview"): AlloyRuntime {
  const settings = new LogSettings(() => {});
  settings.level = "error";
  rt = createRuntime({
    stability,
    storagePath: tempDir(),
    communityComponents: false,
    fetch: globalThis.fetch,
    memoryAddress: "alloy.internal:12345",
    components: alloyTestComponents,
    logger: new Logger(settings),
    modulePath: dir,
  });
  return rt;
}

function lastAdded(): number {
  const e = rt!.component("testcomponents.summation.sum")?.exports.find((s) => (s as { name: string }).name === "last_added") as { value: { value: number } } | undefined;
  return e ? Number(e.value.value) : NaN;
}

const counter = `testcomponents.count "inc" {\n  frequency = "5ms"\n  max = 10\n}\n`;
const passModule = (name: string, negate = false) => `declare "${name}" {
  argument "input" {}
  ${negate ? "" : `testcomponents.passthrough "pt" {\n    input = argument.input.value\n  }`}
  export "output" {
    value = ${negate ? "-argument.input.value" : "testcomponents.passthrough.pt.output"}
  }
}
`;

test("a module importing another module: editing the inner file reaches the root", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "outer.alloy"), `import.file "inner" {\n  filename = file.path_join(module_path, "inner.alloy")\n}\ndeclare "wrap" {\n  argument "input" {}\n  declare "deeper" {\n    argument "input" {}\n    inner.pass "p" { input = argument.input.value }\n    export "output" { value = inner.pass.p.output }\n  }\n  deeper "d" { input = argument.input.value }\n  export "output" { value = deeper.d.output }\n}\n`);
  writeFileSync(join(dir, "inner.alloy"), passModule("pass"));
  const r = runtime(dir);
  const res = await r.load([
    { name: join(dir, "main.alloy"), text: counter + `import.file "outer" { filename = "outer.alloy" }\nouter.wrap "w" { input = testcomponents.count.inc.count }\ntestcomponents.summation "sum" { input = outer.wrap.w.output }\n` },
  ]);
  expect(res.diagnostics).toEqual([]);
  await waitFor(() => lastAdded() >= 10, 3000, "count to reach the summation");
  writeFileSync(join(dir, "inner.alloy"), passModule("pass", true));
  await waitFor(() => lastAdded() <= -10, 3000, "inner module change to reach the root");
});

test("an imported folder with a nested relative import in a subdirectory", async () => {
  const dir = tempDir();
  mkdirSync(join(dir, "mods", "utils"), { recursive: true });
  writeFileSync(join(dir, "mods", "a.alloy"), `import.file "u" {\n  filename = file.path_join(module_path, "utils")\n}\ndeclare "viaUtils" {\n  argument "input" {}\n  u.pass "p" { input = argument.input.value }\n  export "output" { value = u.pass.p.output }\n}\n`);
  writeFileSync(join(dir, "mods", "utils", "pass.alloy"), passModule("pass"));
  const r = runtime(dir);
  const res = await r.load([
    { name: join(dir, "main.alloy"), text: counter + `import.file "mods" { filename = "mods" }\nmods.viaUtils "v" { input = testcomponents.count.inc.count }\ntestcomponents.summation "sum" { input = mods.viaUtils.v.output }\n` },
  ]);
  expect(res.diagnostics).toEqual([]);
  await waitFor(() => lastAdded() >= 10, 3000, "count through the folder module");
  writeFileSync(join(dir, "mods", "utils", "pass.alloy"), passModule("pass", true));
  await waitFor(() => lastAdded() <= -10, 3000, "nested folder change");
});

test("a root config cannot reach a declare of an import nested in an import", async () => {
  const r = runtime(tempDir());
  const res = await r.load([
    {
      name: "main.alloy",
      text: 'import.string "outer" {\n  content = `import.string "inner" {\n    content = "declare \\"hidden\\" {}"\n  }`\n}\nouter.hidden "h" {}\n',
    },
  ]);
  expect(res.diagnostics.map((d) => d.message)).toEqual([
    'Failed to build component: loading custom component controller: custom component config not found in the registry, namespace: "outer", componentName: "hidden"',
  ]);
});

test("an imported declare cannot see declares of the importing file", async () => {
  const r = runtime(tempDir());
  const res = await r.load([
    { name: "main.alloy", text: "declare \"rootOnly\" {}\nimport.string \"m\" {\n  content = `declare \"a\" {\n    rootOnly \"x\" {}\n  }`\n}\nm.a \"cc\" {}\n" },
  ]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(['cannot find the definition of component name "rootOnly"']);
});

test("foreach children link components inside the template and reach outer receivers", async () => {
  const r = runtime(tempDir(), "experimental");
  const res = await r.load([
    {
      name: "main.alloy",
      text: `foreach "f" {
  collection = [4, 6]
  var = "num"
  template {
    testcomponents.passthrough "pt" { input = num }
    testcomponents.pulse "p" {
      max = testcomponents.passthrough.pt.output
      frequency = "5ms"
      forward_to = [testcomponents.summation_receiver.sum.receiver]
    }
  }
}
testcomponents.summation_receiver "sum" {}
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  const sum = () => Number((rt!.component("testcomponents.summation_receiver.sum")!.debugInfo[0] as { value: { value: number } }).value.value);
  await waitFor(() => sum() === 10, 3000, "pulses from both children");
});
