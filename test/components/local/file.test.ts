import { afterEach, expect, test } from "bun:test";
import { writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../../src/components/index.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function passOutput(id: string): unknown {
  const e = rt!.component(id)?.exports.find((s) => (s as { name: string }).name === "output") as { value: { value: unknown } } | undefined;
  return e?.value.value;
}

for (const detector of ["fsnotify", "poll"] as const) {
  test(`local.file (${detector}) exports the content and a change reaches a dependant`, async () => {
    const dir = tempDir();
    const file = join(dir, "value.txt");
    writeFileSync(file, "first");
    rt = testRuntime({ extra: components });
    const res = await rt.load([
      {
        name: "main.alloy",
        text: `local.file "f" {\n  filename = "${file}"\n  detector = "${detector}"\n  poll_frequency = "${detector === "poll" ? "20ms" : "1h"}"\n}\ntest.pass "p" { input = local.file.f.content }\n`,
      },
    ]);
    expect(res.diagnostics).toEqual([]);
    expect(passOutput("test.pass.p")).toBe("first");
    expect(rt.component("local.file.f")!.exports).toEqual([{ name: "content", type: "attr", value: { type: "capsule", value: '"first"' } }]);
    writeFileSync(file, "second");
    await waitFor(() => passOutput("test.pass.p") === "second", 5000, "file change");
    // Editors replace files by rename; the watch must survive that.
    writeFileSync(join(dir, "tmp"), "third");
    renameSync(join(dir, "tmp"), file);
    await waitFor(() => passOutput("test.pass.p") === "third", 5000, "file replace");
  });
}

test("local.file with is_secret exports a secret that never appears in the API or logs", async () => {
  const dir = tempDir();
  const file = join(dir, "pw");
  writeFileSync(file, "hunter2-supersecret");
  rt = testRuntime({ extra: components });
  const res = await rt.load([
    { name: "main.alloy", text: `local.file "pw" {\n  filename = "${file}"\n  is_secret = true\n}\ntest.pass "p" { input = "x" }\n` },
  ]);
  expect(res.diagnostics).toEqual([]);
  const all = JSON.stringify([rt.components(), rt.component("local.file.pw"), rt.component("test.pass.p")]);
  expect(all).not.toContain("hunter2");
  expect(JSON.stringify(rt.component("local.file.pw")!.exports)).toContain("(secret)");
  // A string attribute refuses a secret, naming it without showing it.
  const res2 = await rt.load([
    { name: "main.alloy", text: `local.file "pw" {\n  filename = "${file}"\n  is_secret = true\n}\ntest.pass "p" { input = local.file.pw.content }\n` },
  ]);
  expect(JSON.stringify(res2.diagnostics)).not.toContain("hunter2");
  expect(rt.logLines.join("")).not.toContain("hunter2");
});

test("local.file on a missing file fails evaluation with the error", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `local.file "f" { filename = "/nonexistent/x" }\n` }]);
  expect(res.applied).toBe(true);
  expect(res.diagnostics[0]!.message).toBe("Failed to build component: building component: failed to read file: open /nonexistent/x: no such file or directory");
  expect(rt.component("local.file.f")!.health.state).toBe("unhealthy");
});
