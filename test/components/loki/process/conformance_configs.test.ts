// Every loki.process and loki.relabel block in the conformance fixtures (Alloy
// configs produced by Alloy's own converters) builds here unchanged, with
// forward_to pointed at nothing, except those Alloy itself refuses at run
// time (the converter does not validate stage arguments): those must fail
// with Alloy's message.

import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { components } from "../../../../src/components/index.ts";
import { testRuntime, type TestRuntime } from "../../../runtime/helpers.ts";

const root = join(import.meta.dir, "..", "..", "..", "..", "..", "shared", "conformance", "convert");

function alloyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? alloyFiles(join(dir, d.name)) : d.name.endsWith(".alloy") ? [join(dir, d.name)] : [],
  );
}

/** The text of each top-level `<name> "label" { ... }` block of the given component. */
function blocksOf(text: string, component: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^${component.replace(".", "\\.")} "[^"]*" \\{`, "gm");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 0;
    let inString = false;
    for (let i = m.index; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        out.push(text.slice(m.index, i + 1));
        break;
      }
    }
  }
  return out;
}

const cases = alloyFiles(root).flatMap((file) => {
  const text = readFileSync(file, "utf8");
  return ["loki.process", "loki.relabel"].flatMap((c) => blocksOf(text, c).map((block, i) => ({ file, i, block })));
});

const runtimes: TestRuntime[] = [];
afterAll(async () => {
  for (const rt of runtimes) await rt.stop();
});

test("the conformance fixtures contain loki.process and loki.relabel blocks", () => {
  expect(cases.length).toBeGreaterThan(10);
});

/** Converter outputs that Alloy's own stage validation rejects, and why. */
const refusedByAlloy: Record<string, string> = {
  "static/testdata_linux/promtail_metrics.alloy": "max_idle_duration must be greater or equal than 1s",
  "promtail/pipeline_stages_part2.alloy": "Sampling Rate must be between 0.0 and 1.0, received 100.000000",
  "promtail/pipeline_stages_match_nested.alloy": "match stage configured to drop entries cannot contains stages",
  "promtail/pipeline_stages_drop.alloy": "`value` and `expression` cannot both be defined at the same time",
};

for (const { file, i, block } of cases) {
  test(`builds ${file.slice(root.length + 1)} block ${i}`, async () => {
    const config = block.replace(/^(\s*)forward_to\s*=\s*\[[^\]]*\]/m, "$1forward_to = []");
    const rt = testRuntime({ extra: components });
    runtimes.push(rt);
    const res = await rt.load([{ name: "main.alloy", text: config }]);
    const refused = refusedByAlloy[file.slice(root.length + 1)];
    if (refused) expect(res.diagnostics.map((d) => d.message).join("\n")).toContain(refused);
    else expect(res.diagnostics.map((d) => d.message)).toEqual([]);
  });
}
