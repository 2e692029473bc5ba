// Scanner, parser, printer and diagnostic renderer never throw or hang, on
// generated configs and on randomly damaged fixture bytes (fixed seed, so any
// failure reproduces; `bun scripts/fuzz-syntax.ts` runs longer with a random seed).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { allFixtures, checkNeverThrows, configArb, mutatedArb } from "../../scripts/fuzz-syntax.ts";

const SEED = 42;

describe("syntax fuzzing", () => {
  test("generated configs never make the front end throw", () => {
    fc.assert(fc.property(configArb, (src) => checkNeverThrows(src)), { seed: SEED, numRuns: 300 });
  }, 30_000);

  test("mutated fixture bytes produce diagnostics, never exceptions", () => {
    fc.assert(fc.property(mutatedArb(allFixtures()), (src) => checkNeverThrows(src)), { seed: SEED, numRuns: 1000 });
  }, 30_000);

  test("pathological inputs finish quickly", () => {
    const started = performance.now();
    for (const src of [
      "[".repeat(2000),
      "{".repeat(2000),
      "a = " + "(".repeat(500) + "1" + ")".repeat(500),
      "/*".repeat(5000),
      '"'.repeat(5000),
      "\u0000".repeat(5000),
      new Uint8Array(5000).fill(0xff),
      "a.".repeat(5000),
      "a = 1 +\n".repeat(2000),
      "a = " + "[".repeat(100000),
      "a = " + "-".repeat(100000) + "1",
      "a = b" + ".c".repeat(100000),
      "a = 1 " + "/**/".repeat(20000),
    ]) {
      checkNeverThrows(src);
    }
    expect(performance.now() - started).toBeLessThan(15000);
  }, 30_000);
});
