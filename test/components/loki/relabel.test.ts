import { afterEach, expect, test } from "bun:test";
import { entry, metricValue, startHarness, type Harness } from "./process/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const config = (rules: string, extra = "") => `test.loki_sink "out" {}
loki.relabel "r" {
  forward_to = [test.loki_sink.out.receiver]
  ${extra}
${rules}
}
test.loki_input "in" { forward_to = [loki.relabel.r.receiver] }
`;

test("loki.relabel applies rules to entry labels, keeps line/time/metadata, and drops entries left without labels", async () => {
  h = await startHarness(
    config(`  rule {
    source_labels = ["__path__"]
    regex         = "/var/log/(\\\\w+)\\\\.log"
    target_label  = "app"
  }
  rule {
    action = "labeldrop"
    regex  = "__path__|tmp"
  }
  rule {
    source_labels = ["app"]
    regex         = "secret"
    action        = "drop"
  }`),
  );
  await h.push([
    entry("one", { __path__: "/var/log/nginx.log", job: "x" }, 7n, [{ name: "m", value: "1" }]),
    entry("two", { __path__: "/var/log/secret.log" }),
    entry("three", { tmp: "only" }),
    entry("four", { __path__: "/var/log/nginx.log", job: "x" }),
  ]);
  expect(h.received()).toEqual([
    { line: "one", labels: { job: "x", app: "nginx" }, timestamp: 7n, structuredMetadata: [{ name: "m", value: "1" }] },
    { line: "four", labels: { job: "x", app: "nginx" }, timestamp: 1_700_000_000_000_000_000n, structuredMetadata: [] },
  ]);
  const text = await h.metrics();
  expect(metricValue(text, /^loki_relabel_entries_processed\b/)).toBe(4);
  expect(metricValue(text, /^loki_relabel_entries_written\b/)).toBe(2);
  expect(metricValue(text, /^loki_relabel_cache_misses\b/)).toBe(3);
  expect(metricValue(text, /^loki_relabel_cache_hits\b/)).toBe(1);
  expect(metricValue(text, /^loki_relabel_cache_size\b/)).toBe(3);
});

test("loki.relabel exports its rules and a reload with new rules purges the cache", async () => {
  h = await startHarness(config(`  rule {\n    target_label = "v"\n    replacement  = "1"\n  }`, "max_cache_size = 2"));
  await h.push([entry("a", { job: "x" })]);
  const exportsInfo = JSON.stringify(h.rt.component("loki.relabel.r")!.exports);
  expect(exportsInfo).toContain("rules");
  const res = await h.rt.load([{ name: "main.alloy", text: config(`  rule {\n    target_label = "v"\n    replacement  = "2"\n  }`, "max_cache_size = 2") }]);
  expect(res.diagnostics).toEqual([]);
  await h.push([entry("b", { job: "x" })]);
  expect(h.received().map((e) => e.labels.v)).toEqual(["1", "2"]);
});

test("loki.relabel refuses an invalid rule", async () => {
  await expect(startHarness(config(`  rule {\n    action = "replace"\n    regex = "(("\n    target_label = "a"\n  }`))).rejects.toThrow(/regex|parse/);
});

test("loki.relabel refuses a cache size that is not positive", async () => {
  await expect(startHarness(config("", "max_cache_size = 0"))).rejects.toThrow("must provide a positive size");
});
