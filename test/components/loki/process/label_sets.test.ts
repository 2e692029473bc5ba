import { afterEach, describe, expect, test } from "bun:test";
import { changedLabels, LabelSetter, perLabelSet } from "../../../../src/components/loki/process/label_sets.ts";
import { newLabelSet, type Entry } from "../../../../src/telemetry/loki/entry.ts";
import { entry, runStages, type Harness } from "./harness.ts";

describe("label set helpers", () => {
  test("changedLabels copies only when something differs", () => {
    const base = newLabelSet({ a: "1", b: "2" });
    expect(changedLabels(base, [["a", "1"]], ["missing"])).toBe(base);
    const out = changedLabels(base, [["c", "3"]], ["a"]);
    expect(out).toEqual(newLabelSet({ b: "2", c: "3" }));
    expect(base).toEqual(newLabelSet({ a: "1", b: "2" }));
  });

  test("perLabelSet computes once per input set", () => {
    let calls = 0;
    const f = perLabelSet((b) => (calls++, changedLabels(b, [["x", "1"]])));
    const base = newLabelSet({ a: "1" });
    expect(f(base)).toBe(f(base));
    expect(calls).toBe(1);
    expect(f(newLabelSet({ a: "1" }))).toEqual(f(base));
    expect(calls).toBe(2);
  });

  test("LabelSetter gives one set per input set and values, and never changes its input", () => {
    const s = new LabelSetter(["level", "app"]);
    const base = newLabelSet({ job: "j", app: "old" });
    const info = s.apply(base, ["info", undefined]);
    expect(info).toEqual(newLabelSet({ job: "j", app: "old", level: "info" }));
    expect(s.apply(base, ["info", undefined])).toBe(info);
    expect(s.apply(base, ["info", "old"])).toEqual(info);
    expect(s.apply(base, ["warn", undefined])).toEqual(newLabelSet({ job: "j", app: "old", level: "warn" }));
    expect(s.apply(base, [undefined, "old"])).toBe(base);
    expect(s.apply(base, [undefined, undefined])).toBe(base);
    expect(base).toEqual(newLabelSet({ job: "j", app: "old" }));
  });

  test("LabelSetter keeps value lists apart whatever characters they hold", () => {
    const s = new LabelSetter(["a", "b"]);
    const base = newLabelSet({});
    const x = s.apply(base, ["p\u0000q", "r"]);
    const y = s.apply(base, ["p", "q\u0000r"]);
    const z = s.apply(base, ["\u0001", undefined]);
    const w = s.apply(base, [undefined, "\u0001"]);
    expect([x, y, z, w]).toEqual([
      newLabelSet({ a: "p\u0000q", b: "r" }),
      newLabelSet({ a: "p", b: "q\u0000r" }),
      newLabelSet({ a: "\u0001" }),
      newLabelSet({ b: "\u0001" }),
    ]);
    expect(s.apply(base, ["p\u0000q", "r"])).toEqual(x);
    expect(s.apply(base, ["\u0001", undefined])).toEqual(z);
  });
});

describe("loki.process and shared label sets", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const snapshot = (es: Entry[]) => es.map((e) => ({ labels: { ...e.labels }, md: e.structuredMetadata.map((p) => ({ ...p })), line: e.line }));

  test("stages that change labels or metadata leave the received entries as they were", async () => {
    const shared = newLabelSet({ job: "j", drop_me: "1", move_me: "m" });
    const md = [{ name: "keep", value: "k" }];
    const input = [
      { labels: shared, timestamp: 1n, line: "level=info tenant=t1 id=7", structuredMetadata: md },
      { labels: shared, timestamp: 2n, line: "level=warn tenant=t2 id=8", structuredMetadata: md },
    ];
    const before = snapshot(input);
    const r = await runStages(
      `stage.logfmt { mapping = { level = "", tenant = "" } }
  stage.regex {
    expression = "id=(?P<id>\\\\d+)"
    labels_from_groups = true
  }
  stage.labels { values = { level = "" } }
  stage.static_labels { values = { env = "prod" } }
  stage.label_drop { values = ["drop_me"] }
  stage.tenant { source = "tenant" }
  stage.structured_metadata { values = { moved = "move_me", level = "" } }`,
      input,
    );
    h = r.h;
    expect(snapshot(input)).toEqual(before);
    expect(r.out.map((e) => ({ ...e.labels }))).toEqual([
      { job: "j", id: "7", env: "prod", __tenant_id__: "t1" },
      { job: "j", id: "8", env: "prod", __tenant_id__: "t2" },
    ]);
    expect(r.out.map((e) => e.structuredMetadata)).toEqual([
      [{ name: "keep", value: "k" }, { name: "moved", value: "m" }, { name: "level", value: "info" }],
      [{ name: "keep", value: "k" }, { name: "moved", value: "m" }, { name: "level", value: "warn" }],
    ]);
  });

  test("entries of one stream leave stage.labels with one shared label set, each with its own values", async () => {
    const labels = newLabelSet({ job: "j" });
    const levels = ["info", "warn", "info", "error", "warn", "info"];
    const r = await runStages(
      `stage.json { expressions = { level = "" } }
  stage.labels { values = { level = "" } }`,
      levels.map((l, i) => ({ labels, timestamp: BigInt(i), line: `{"level":"${l}"}`, structuredMetadata: [] })),
    );
    h = r.h;
    expect(r.out.map((e) => e.labels.level)).toEqual(levels);
    expect(r.out[0]!.labels).toBe(r.out[2]!.labels);
    expect(r.out[1]!.labels).toBe(r.out[4]!.labels);
    expect(r.out[0]!.labels).not.toBe(r.out[1]!.labels);
    expect(labels).toEqual(newLabelSet({ job: "j" }));
  });

  test("labels built as plain objects do not expose inherited names to stages", async () => {
    const r = await runStages(`stage.labels { values = { constructor = "" } }`, [{ ...entry("x"), labels: { job: "j" } }]);
    h = r.h;
    expect({ ...r.out[0]!.labels }).toEqual({ job: "j" });
  });
});
