import { expect, test } from "bun:test";
import { SeriesTexts } from "../../../src/components/prometheus/scrape/text_index.ts";

test("SeriesTexts agrees with a Map through random sets, deletes, sweeps, growth and clear", () => {
  const t = new SeriesTexts<number>();
  const ref = new Map<string, number>();
  let seed = 3;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (let step = 0; step < 20_000; step++) {
    const text = `m_${rnd(40)}{k="${rnd(100)}"}`;
    if (rnd(4) > 0) {
      t.set(text, step);
      ref.set(text, step);
    } else expect(t.delete(text)).toBe(ref.delete(text));
    if (step % 997 === 0) {
      const cut = step - 3000;
      t.sweep((v) => v >= cut);
      for (const [k, v] of ref) if (v < cut) ref.delete(k);
    }
    expect(t.get(text)).toBe(ref.get(text));
  }
  expect(t.size).toBe(ref.size);
  const seen = new Map<string, number>();
  t.sweep((v, text) => (seen.set(text, v), true));
  expect(seen).toEqual(ref);
  t.clear();
  expect(t.size).toBe(0);
  expect(t.get([...ref.keys()][0]!)).toBeUndefined();
});
