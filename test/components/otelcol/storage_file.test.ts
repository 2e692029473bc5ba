import { afterEach, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../../src/components/index.ts";
import { fileStorageHandler } from "../../../src/components/otelcol/storage/file.ts";
import { tempDir, testRuntime, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

test("otelcol.storage.file defaults to its data directory and honours an explicit directory", async () => {
  const storagePath = tempDir("otel-sf-");
  const explicit = tempDir("otel-sf-dir-");
  rt = testRuntime({ extra: components, storagePath, stability: "public-preview" });
  const res = await rt.load([{
    name: "main.alloy",
    text: `otelcol.storage.file "a" {}\notelcol.storage.file "b" {\n directory = "${explicit}"\n compaction { on_start = true }\n}`,
  }]);
  expect(res.diagnostics).toEqual([]);
  expect(existsSync(join(storagePath, "otelcol.storage.file.a"))).toBe(true);
  expect(rt.component("otelcol.storage.file.b")!.exports[0]).toMatchObject({ name: "handler" });
  const h = fileStorageHandler("otelcol.storage.file.b", join(explicit, "sub"), true);
  expect(existsSync(join(explicit, "sub"))).toBe(true);
  expect(h.storage!.directoryFor("e/1", "queue")).toBe(join(explicit, "sub", "e_1_queue"));
  expect(h.server).toBeUndefined();
});

test("a storage handler used as auth is refused with a clear message", async () => {
  rt = testRuntime({ extra: components, stability: "public-preview" });
  const res = await rt.load([{
    name: "main.alloy",
    text: `otelcol.storage.file "a" {}\notelcol.receiver.otlp "in" {\n http {\n endpoint = "127.0.0.1:0"\n auth = otelcol.storage.file.a.handler\n }\n output {}\n}`,
  }]);
  const text = [...res.diagnostics.map((d) => d.message), ...rt.logLines].join("\n");
  expect(text).toContain("does not support server authentication");
});
