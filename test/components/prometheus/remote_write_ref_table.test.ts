import { expect, test } from "bun:test";
import { RefTable } from "../../../src/components/prometheus/remote_write/ref_table.ts";

test("RefTable agrees with a Map through random sets, deletes, growth and shrinking", () => {
  const t = new RefTable();
  const ref = new Map<number, number>();
  let seed = 11;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (let step = 0; step < 30_000; step++) {
    // Mostly dense small refs, some beyond 32 bits.
    const r = rnd(10) === 0 ? 2 ** 33 + rnd(500) : 1 + rnd(4000);
    const op = rnd(10);
    if (op < 5 || step < 5000) {
      t.set(r, step);
      ref.set(r, step);
    } else expect(t.delete(r)).toBe(ref.delete(r));
    expect(t.get(r)).toBe(ref.get(r) ?? -1);
  }
  expect(t.size).toBe(ref.size);
  const seen = new Map<number, number>();
  t.forEach((r, s) => seen.set(r, s));
  expect(seen).toEqual(ref);
  for (const r of [...ref.keys()]) t.delete(r);
  expect(t.size).toBe(0);
  expect(t.get(1)).toBe(-1);
});
