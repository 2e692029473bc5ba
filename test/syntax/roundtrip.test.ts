// parse → print → parse keeps the tree (positions aside), and printing is
// idempotent, for every valid fixture and for generated configs.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { checkRoundTrip, configArb, validFixtures } from "../../scripts/fuzz-syntax.ts";
import { parseFile } from "../../src/syntax/parser.ts";
import { printFile } from "../../src/syntax/printer/index.ts";

describe("round trip", () => {
  const fixtures = validFixtures();

  test("the fixture set covers fmt inputs, fmt expectations and valid parse files", () => {
    const names = [...fixtures.keys()];
    expect(names.filter((n) => n.endsWith(".in")).length).toBeGreaterThanOrEqual(9);
    expect(names.filter((n) => n.endsWith(".expect")).length).toBeGreaterThanOrEqual(9);
    expect(names.filter((n) => n.startsWith("parse/valid/")).length).toBeGreaterThanOrEqual(5);
  });

  for (const [name, src] of fixtures) {
    test(`${name} survives parse → print → parse`, () => {
      expect(() => checkRoundTrip(src)).not.toThrow();
    });
  }

  test("every .expect file is already formatted", () => {
    for (const [name, src] of fixtures) {
      if (!name.endsWith(".expect")) continue;
      const { file } = parseFile(name, src);
      expect(printFile(file)).toBe(new TextDecoder().decode(src).trimEnd());
    }
  });

  test("generated configs round-trip and print idempotently", () => {
    fc.assert(fc.property(configArb, (src) => checkRoundTrip(src)), { seed: 42, numRuns: 300 });
  }, 30_000);

  test("the round-trip check notices a changed tree", () => {
    // A quoted key with an escape is re-quoted by Alloy's printer, which changes the key.
    expect(() => checkRoundTrip('k = {"a\\"b" = 1}')).toThrow(/tree changed/);
  });
});
