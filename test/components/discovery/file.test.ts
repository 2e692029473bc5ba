import { afterEach, expect, test } from "bun:test";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../../src/components/index.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { exported } from "./helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function write(path: string, text: string): void {
  // Atomic replace, as config management tools do, so a reader never sees half a file.
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

test("discovery.file reads JSON and YAML target groups, adds __meta_filepath, and follows changes", async () => {
  const dir = tempDir("alloy-file-sd-");
  const json = join(dir, "a.json");
  const yaml = join(dir, "b.yml");
  write(json, JSON.stringify([{ targets: ["h1:9100", "h2:9100"], labels: { env: "prod" } }]));
  write(yaml, "- targets: ['h3:80']\n  labels:\n    team: x\n");
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `discovery.file "f" {\n  files = ["${dir}/*.json", "${dir}/*.yml"]\n  refresh_interval = "1h"\n}\n` }]);
  expect(res.diagnostics).toEqual([]);
  expect(exported(rt, "discovery.file.f", "targets")).toEqual([
    { __address__: "h1:9100", env: "prod", __meta_filepath: json },
    { __address__: "h2:9100", env: "prod", __meta_filepath: json },
    { __address__: "h3:80", team: "x", __meta_filepath: yaml },
  ]);
  write(json, JSON.stringify([{ targets: ["h9:1"] }]));
  await waitFor(
    () => JSON.stringify(exported(rt!, "discovery.file.f", "targets")).includes("h9:1"),
    5000,
    "changed file to be re-read",
  );
  // A broken file keeps its previous targets.
  write(json, "{not json");
  write(yaml, "- targets: ['h4:80']\n");
  await waitFor(() => JSON.stringify(exported(rt!, "discovery.file.f", "targets")).includes("h4:80"), 5000, "yaml change");
  expect(exported(rt, "discovery.file.f", "targets")).toEqual([
    { __address__: "h9:1", __meta_filepath: json },
    { __address__: "h4:80", __meta_filepath: yaml },
  ]);
});

test("discovery.file refreshes on refresh_interval too", async () => {
  const dir = tempDir("alloy-file-sd-");
  const json = join(dir, "t.json");
  write(json, "[]");
  rt = testRuntime({ extra: components });
  await rt.load([{ name: "main.alloy", text: `discovery.file "f" {\n  files = ["${json}"]\n  refresh_interval = "100ms"\n}\n` }]);
  expect(exported(rt, "discovery.file.f", "targets")).toEqual([]);
  write(json, JSON.stringify([{ targets: ["x:1"] }]));
  await waitFor(() => JSON.stringify(exported(rt!, "discovery.file.f", "targets")).includes("x:1"), 3000, "refresh");
});

test("discovery.file validates its patterns", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `discovery.file "f" {\n  files = ["/etc/*/targets.json"]\n}\n` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain('path name "/etc/*/targets.json" is not valid for file discovery');
});
