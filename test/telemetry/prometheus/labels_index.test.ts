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
    const idx = new LabelsIndex<Entry>();
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
    const idx = new LabelsIndex<Entry>();
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

  test("agrees with a Map through random sets, deletes, sweeps and growth", () => {
    const idx = new LabelsIndex<Entry>();
    const ref = new Map<string, number>();
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    // A small key space so the same label sets come back and probe runs overlap.
    const labelsOf = (k: number) => (k % 50 === 0 ? collidingPair()[k % 100 === 0 ? 0 : 1] : Labels.fromStrings("__name__", "m", "k", String(k)));
    for (let step = 0; step < 20_000; step++) {
      const k = rnd(3000);
      const l = labelsOf(k);
      const op = rnd(10);
      if (op < 6) {
        idx.set(l, { labels: l, n: step });
        ref.set(l.key(), step);
      } else if (op < 9) {
        expect(idx.delete(l)).toBe(ref.delete(l.key()));
      } else if (step % 500 === 0) {
        idx.sweep((e) => e.n % 3 !== 0);
        for (const [key, n] of ref) if (n % 3 === 0) ref.delete(key);
      }
      expect(idx.get(l)?.n).toBe(ref.get(l.key()));
    }
    expect(idx.size).toBe(ref.size);
    const seen = new Map([...idx.values()].map((e) => [e.labels.key(), e.n]));
    expect(seen).toEqual(ref);
  });
});
