import { expect, test } from "bun:test";
import { HashTable, hashInteger, sameNumber } from "../../../src/telemetry/prometheus/hash_table.ts";

test("a HashTable of integer keys agrees with a Map through random sets, deletes, growth, sweeps and shrinking", () => {
  const t = new HashTable<number, number>(hashInteger, sameNumber);
  const ref = new Map<number, number>();
  let seed = 11;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (let step = 0; step < 30_000; step++) {
    // Mostly dense small keys, some beyond 32 bits (WAL refs can be).
    const k = rnd(10) === 0 ? 2 ** 33 + rnd(500) : 1 + rnd(4000);
    const op = rnd(10);
    if (op < 5 || step < 5000) {
      t.set(k, step);
      ref.set(k, step);
    } else expect(t.delete(k)).toBe(ref.delete(k));
    expect(t.get(k)).toBe(ref.get(k));
  }
  expect(t.size).toBe(ref.size);
  expect([...t.values()].sort((a, b) => a - b)).toEqual([...ref.values()].sort((a, b) => a - b));
  // A sweep drops what `keep` refuses and sees every entry once.
  const seen = new Map<number, number>();
  t.sweep((v, k) => {
    seen.set(k, v);
    return v % 2 === 0;
  });
  expect(seen).toEqual(ref);
  for (const [k, v] of ref) if (v % 2 !== 0) ref.delete(k);
  expect(t.size).toBe(ref.size);
  for (const [k, v] of ref) expect(t.get(k)).toBe(v);
  t.sweep(() => false);
  expect(t.size).toBe(0);
  expect(t.get(1)).toBeUndefined();
});
