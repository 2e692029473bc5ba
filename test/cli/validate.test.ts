import { describe, expect, test } from "bun:test";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/cli.ts";
import { captureIO } from "./capture_io.ts";
import { conformanceDir } from "./conformance_dir.ts";
import { parseTxtar } from "./txtar.ts";

async function cli(argv: string[], cwd?: string) {
  const io = captureIO();
  const prev = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(argv, io);
    return { code, out: io.out, err: io.err };
  } finally {
    process.chdir(prev);
  }
}

/** Writes a txtar case into a temp dir; returns the dir (files named as in the archive). */
async function extract(path: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-validate-"));
  for (const f of parseTxtar(await readFile(path, "utf8")).files) await writeFile(join(dir, f.name), f.text);
  return dir;
}

describe("alloy validate", () => {
  test("prints syntax errors of every file of a directory in Alloy's report form", async () => {
    const fixture = join(conformanceDir, "validate/default/syntax_errors");
    const dir = await extract(`${fixture}.txtar`);
    // Run from inside the directory so file names in the report are the archive's names.
    const r = await cli(["validate", "--stability.level=experimental", "."], dir);
    const want = (await readFile(`${fixture}.diags`, "utf8")).trimEnd();
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err.replace(/Error: validation failed\n$/, "").trimEnd()).toBe(want);
    expect(r.err).toEndWith("Error: validation failed\n");
  });

  test("a config without errors prints nothing and exits 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-validate-"));
    await writeFile(join(dir, "ok.alloy"), "// nothing to do\n");
    expect(await cli(["validate", join(dir, "ok.alloy")])).toEqual({ code: 0, out: "", err: "" });
  });

  test("a missing path, no path and bad flags are errors naming the problem", async () => {
    expect(await cli(["validate", "/nonexistent/x.alloy"])).toEqual({ code: 1, out: "", err: "Error: stat /nonexistent/x.alloy: no such file or directory\n" });
    expect((await cli(["validate"])).err).toBe("Error: accepts 1 arg(s), received 0\n");
    expect((await cli(["validate", "--stability.level=alpha", "x"])).err).toStartWith(`Error: invalid argument "alpha" for "--stability.level" flag`);
    expect((await cli(["validate", "--server.http.listen-addr=x:1", "x"])).err).toBe("Error: unknown flag: --server.http.listen-addr\n");
  });

  test("a non-Alloy --config.format is converted, then validated", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-validate-"));
    await writeFile(join(dir, "prom.yaml"), "scrape_configs: []\n");
    expect(await cli(["validate", "--config.format=prometheus", join(dir, "prom.yaml")])).toEqual({ code: 0, out: "", err: "" });
    await writeFile(join(dir, "bad.yaml"), "scrape_configs: [\n");
    const bad = await cli(["validate", "--config.format=prometheus", join(dir, "bad.yaml")]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("Error:");
  });
});

describe("alloy convert", () => {
  test("requires --source-format", async () => {
    expect(await cli(["convert", "x.yaml"])).toEqual({ code: 1, out: "", err: "Error: source-format is a required flag\n" });
  });

  test("rejects unknown formats naming the accepted ones", async () => {
    const r = await cli(["convert", "-f", "yaml", "x.yaml"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `Error: invalid argument "yaml" for "-f, --source-format" flag: unsupported format "yaml" (supported formats: "otelcol", "prometheus", "promtail", "static")\n`,
    );
  });

  test("converts Prometheus YAML; a format not converted yet is a critical diagnostic; bad input is named", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-convert-"));
    await writeFile(join(dir, "p.yaml"), 'scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["127.0.0.1:9100"]\n');
    const ok = await cli(["convert", "-f", "prometheus", join(dir, "p.yaml")]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('prometheus.scrape "node" {');
    expect(ok.out).toContain('job_name   = "node"');
    const otel = await cli(["convert", "-f", "otelcol", join(dir, "p.yaml")]);
    expect(otel).toEqual({ code: 1, out: "", err: "Error: (Critical) conversion from otelcol is not supported yet\n" });
    expect((await cli(["convert", "-f", "prometheus", "/nonexistent.yaml"])).err).toBe("Error: stat /nonexistent.yaml: no such file or directory\n");
    expect((await cli(["convert", "-f", "prometheus", dir])).err).toBe("Error: cannot convert a directory\n");
  });
});
