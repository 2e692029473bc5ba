import { describe, expect, test } from "bun:test";
import { components } from "../../../../src/components/index.ts";
import { validateConfig } from "../../../../src/runtime/validate/validate.ts";
import { renderDiagnostics } from "../../../../src/syntax/diag_render.ts";
import { checkScratch } from "../../../../ui/src/scratch/check.ts";
import { brokenConfigs, goodConfig } from "../../../e2e/ui/broken_configs.ts";

describe("the scratch page's checks", () => {
  for (const [i, text] of brokenConfigs.entries()) {
    test(`broken config ${i} gets the diagnostics alloy validate reports`, () => {
      const expected = validateConfig([{ name: "s.alloy", text }], { stability: "generally-available", communityComponents: false, components });
      const got = checkScratch("s.alloy", text);
      expect(expected.length).toBeGreaterThan(0);
      expect(got.diagnostics).toEqual(expected);
      expect(got.report).toBe(renderDiagnostics(expected, new Map([["s.alloy", text]])));
      expect(got.formatted === undefined || got.diagnostics.every((d) => d.message.startsWith("unrecognized attribute"))).toBe(true);
    });
  }

  test("a valid config is formatted and its references become graph edges", () => {
    const got = checkScratch("s.alloy", goodConfig);
    expect(got.diagnostics).toEqual([]);
    expect(got.formatted).toContain('local.file "f" {\n\tfilename  = "/tmp/x"\n\tis_secret = true\n}');
    const byID = new Map(got.components.map((c) => [c.localID, c]));
    expect([...byID.keys()]).toEqual(["local.file.f", "loki.echo.out", "loki.relabel.r"]);
    expect(byID.get("loki.relabel.r")!.dataFlowEdgesTo).toEqual(["loki.echo.out"]);
    expect(byID.get("loki.relabel.r")!.referencesTo.sort()).toEqual(["local.file.f", "loki.echo.out"]);
  });
});
