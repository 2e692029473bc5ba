import { describe, expect, test } from "bun:test";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/cli.ts";
import { captureIO } from "../cli/capture_io.ts";

async function cli(argv: string[], stdin = "") {
  const io = captureIO(stdin);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

const promConfig = `scrape_configs:
  - job_name: app
    static_configs:
      - targets: ["localhost:9090"]
remote_write:
  - url: http://rw
`;

describe("alloy convert", () => {
  test("converts a Prometheus config from stdin to stdout", async () => {
    const r = await cli(["convert", "-f", "prometheus"], promConfig);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`prometheus.scrape "app" {`);
    expect(r.out).toContain(`prometheus.remote_write "default" {`);
  });

  test("writes output and a report to files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-convert-"));
    await writeFile(join(dir, "p.yaml"), promConfig);
    const r = await cli(["convert", "-f", "prometheus", "-o", join(dir, "out.alloy"), "-r", join(dir, "report.txt"), join(dir, "p.yaml")]);
    expect(r).toEqual({ code: 0, out: "", err: "" });
    expect(await readFile(join(dir, "out.alloy"), "utf8")).toContain(`job_name   = "app"`);
    const report = await readFile(join(dir, "report.txt"), "utf8");
    expect(report).toStartWith(`(Info) Converted scrape_configs job_name "app" into...`);
    expect(report).toEndWith("A configuration file was generated successfully.");
  });

  test("errors fail the command unless bypassed", async () => {
    const input = promConfig + "remote_read:\n  - url: http://rr\n";
    const failed = await cli(["convert", "-f", "prometheus"], input);
    expect(failed.code).toBe(1);
    expect(failed.out).toBe("");
    // Like Alloy, the error text lists every diagnostic, Info included.
    expect(failed.err).toStartWith("Error: (Error) The converter does not support converting the provided remote_read config.\n(Info) Converted");
    const bypassed = await cli(["convert", "-f", "prometheus", "-b"], input);
    expect(bypassed.code).toBe(0);
    expect(bypassed.out).toContain("prometheus.scrape");
  });

  test("extra args are rejected by the prometheus converter and malformed ones by the command", async () => {
    expect((await cli(["convert", "-f", "prometheus", "-e", "--a=b c"], promConfig)).err).toBe(
      "Error: (Critical) extra arguments are not supported for the prometheus converter: [--a b c]\n",
    );
    expect((await cli(["convert", "-f", "prometheus", "-e", "a=b"], promConfig)).err).toBe("Error: invalid flag found: a=b\n");
  });
});

describe("--config.format for run and validate", () => {
  test("a Prometheus config is converted before loading", async () => {
    const { readConfigSources } = await import("../../src/cli/config_sources.ts");
    const dir = await mkdtemp(join(tmpdir(), "alloy-config-format-"));
    const path = join(dir, "prom.yaml");
    await writeFile(path, promConfig);
    const [source] = await readConfigSources(path, "prometheus");
    expect(source?.name).toBe(path);
    expect(source?.text).toContain(`prometheus.scrape "app" {`);
  });

  test("conversion errors stop loading unless bypassed", async () => {
    const { readConfigSources } = await import("../../src/cli/config_sources.ts");
    const dir = await mkdtemp(join(tmpdir(), "alloy-config-format-"));
    const path = join(dir, "prom.yaml");
    await writeFile(path, promConfig + "remote_read:\n  - url: http://rr\n");
    await expect(readConfigSources(path, "prometheus")).rejects.toThrow(
      `reading config path "${path}": (Error) The converter does not support converting the provided remote_read config.`,
    );
    const [source] = await readConfigSources(path, "prometheus", { bypassErrors: true });
    expect(source?.text).toContain("prometheus.remote_write");
    await expect(readConfigSources(path, "prometheus", { extraArgs: "a=b" })).rejects.toThrow("invalid flag found: a=b");
  });
});
