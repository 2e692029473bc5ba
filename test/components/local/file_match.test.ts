import { afterEach, expect, test } from "bun:test";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../../src/components/index.ts";
import { matchTargets } from "../../../src/components/local/file_match.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function tree(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "a", "b", "c"), { recursive: true });
  for (const f of ["x.log", "a/y.log", "a/b/z.log", "a/b/c/w.log", "a/b/skip.txt", "a/.hidden.log"]) writeFileSync(join(dir, f), "");
  return dir;
}

test("doublestar globs match across directories, including dotfiles", () => {
  const dir = tree();
  const paths = (p: string, ex?: string) =>
    matchTargets([{ __path__: join(dir, p), ...(ex ? { __path_exclude__: join(dir, ex) } : {}) }], 0).map((t) => t.__path__!.slice(dir.length + 1));
  expect(paths("**/*.log")).toEqual(["a/.hidden.log", "a/b/c/w.log", "a/b/z.log", "a/y.log", "x.log"]);
  expect(paths("a/*.log")).toEqual(["a/.hidden.log", "a/y.log"]);
  expect(paths("a/**/*.log", "a/b/**")).toEqual(["a/.hidden.log", "a/y.log"]);
  expect(paths("a/b/{z,w}.log")).toEqual(["a/b/z.log"]);
  expect(paths("a/b/?.log")).toEqual(["a/b/z.log"]);
  expect(paths("x.log")).toEqual(["x.log"]);
  expect(paths("a")).toEqual([]);
});

test("targets keep the other labels and honour ignore_older_than", () => {
  const dir = tree();
  const old = join(dir, "x.log");
  utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  const ts = matchTargets([{ __path__: join(dir, "*.log"), job: "j" }], 60_000);
  expect(ts).toEqual([]);
  const ts2 = matchTargets([{ __path__: join(dir, "*.log"), job: "j" }], 0);
  expect(ts2).toEqual([{ __path__: old, job: "j" }]);
});

test("local.file_match exports targets and picks up new files every sync_period", async () => {
  const dir = tree();
  rt = testRuntime({ extra: components });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `local.file_match "m" {\n  path_targets = [{"__path__" = "${dir}/a/b/*.log", "app" = "x"}]\n  sync_period = "20ms"\n}\ntest.pass "count" { input = encoding.to_json({t = local.file_match.m.targets}) }\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  const count = () =>
    (JSON.parse((rt!.component("test.pass.count")!.exports.find((s) => (s as { name: string }).name === "output") as { value: { value: string } }).value.value) as { t: unknown[] }).t.length;
  expect(count()).toBe(1);
  expect(rt.component("local.file_match.m")!.exports).toEqual([
    {
      name: "targets",
      type: "attr",
      value: { type: "array", value: [{ type: "object", value: [
        { key: "__path__", value: { type: "string", value: join(dir, "a/b/z.log") } },
        { key: "app", value: { type: "string", value: "x" } },
      ] }] },
    },
  ]);
  writeFileSync(join(dir, "a", "b", "new.log"), "");
  await waitFor(() => count() === 2, 5000, "new file");
});
