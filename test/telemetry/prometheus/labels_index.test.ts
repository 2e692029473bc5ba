import { describe, expect, test } from "bun:test";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { LabelsIndex } from "../../../src/telemetry/prometheus/labels_index.ts";

interface Entry {
  labels: Labels;
  n: number;
}

/** Two different label sets with the same keyHash: "costarring" and "liquid" collide under 32-bit FNV-1a. */
function collidingPair(): [Labels, Labels] {
  return [Labels.fromStrings("costarring", "1"), Labels.fromStrings("liquid", "1")];
}

describe("LabelsIndex", () => {
  test("finds values by equal label sets, not by object identity", () => {
    const idx = new LabelsIndex<Entry>((e) => e.labels);
    const a = Labels.fromStrings("__name__", "up", "job", "a");
    idx.set(a, { labels: a, n: 1 });
    expect(idx.get(Labels.fromStrings("job", "a", "__name__", "up"))?.n).toBe(1);
    expect(idx.get(Labels.fromStrings("__name__", "up", "job", "b"))).toBeUndefined();
    idx.set(Labels.fromStrings("__name__", "up", "job", "a"), { labels: a, n: 2 });
    expect(idx.size).toBe(1);
    expect(idx.get(a)?.n).toBe(2);
    expect(idx.delete(Labels.fromStrings("__name__", "up", "job", "a"))).toBe(true);
    expect(idx.size).toBe(0);
    expect(idx.get(a)).toBeUndefined();
  });

  test("keeps label sets whose hashes collide apart, through set, delete and sweep", () => {
    const [x, y] = collidingPair();
    expect(x.keyHash()).toBe(y.keyHash());
    expect(x.equals(y)).toBe(false);
    const idx = new LabelsIndex<Entry>((e) => e.labels);
    idx.set(x, { labels: x, n: 1 });
    idx.set(y, { labels: y, n: 2 });
    expect(idx.size).toBe(2);
    expect(idx.get(x)?.n).toBe(1);
    expect(idx.get(y)?.n).toBe(2);
    expect([...idx.values()].map((e) => e.n).sort()).toEqual([1, 2]);
    idx.sweep((e) => e.n !== 1);
    expect(idx.size).toBe(1);
    expect(idx.get(x)).toBeUndefined();
    expect(idx.get(y)?.n).toBe(2);
    idx.set(x, { labels: x, n: 3 });
    expect(idx.delete(y)).toBe(true);
    expect(idx.get(x)?.n).toBe(3);
    expect(idx.size).toBe(1);
  });
});
