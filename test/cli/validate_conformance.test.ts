// `alloy validate` against Alloy's validator fixtures (shared/conformance/validate):
// the report on stderr must equal the `.diags` file. Most cases name components
// that are not built in yet; they are listed as todo until they are.

import { describe, expect, test } from "bun:test";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/cli.ts";
import { captureIO } from "./capture_io.ts";
import { conformanceDir } from "./conformance_dir.ts";
import { parseTxtar } from "./txtar.ts";

/** Cases that pass with what exists today. */
const passing = new Set(["default/duplicates", "default/missing", "default/stdlib", "default/syntax_errors"]);

const root = join(conformanceDir, "validate");

describe("alloy validate conformance", async () => {
  for (const level of ["default", "ga"]) {
    const files = (await readdir(join(root, level))).filter((f) => f.endsWith(".txtar")).sort();
    for (const f of files) {
      const name = `${level}/${f.slice(0, -".txtar".length)}`;
      if (!passing.has(name)) {
        test.todo(`${name} (needs components that are not built in yet)`);
        continue;
      }
      test(name, async () => {
        const dir = await mkdtemp(join(tmpdir(), "alloy-validate-conf-"));
        for (const file of parseTxtar(await readFile(join(root, level, f), "utf8")).files) await writeFile(join(dir, file.name), file.text);
        const want = (await readFile(join(root, `${name}.diags`), "utf8")).trimEnd();
        const io = captureIO();
        const prev = process.cwd();
        // From inside the directory the report names files as the archive does.
        process.chdir(dir);
        let code: number;
        try {
          code = await main(["validate", `--stability.level=${level === "ga" ? "generally-available" : "experimental"}`, "."], io);
        } finally {
          process.chdir(prev);
        }
        expect(io.err.replace(/Error: validation failed\n$/, "").trimEnd()).toBe(want);
        // Warnings alone do not fail validation.
        expect(code).toBe(/^Error: /m.test(want) ? 1 : 0);
      });
    }
  }
});
