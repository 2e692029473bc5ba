// build.ts's command line: target names are checked before anything is built.

import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const root = join(import.meta.dir, "../../..");

function buildScript(...args: string[]) {
  const r = Bun.spawnSync([process.execPath, join(root, "build.ts"), ...args], { cwd: root, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

describe("build.ts", () => {
  test("--list names every target", () => {
    const r = buildScript("--list");
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual([
      "linux-x64",
      "linux-x64-musl",
      "linux-arm64",
      "darwin-x64",
      "darwin-arm64",
      "windows-x64",
      "windows-arm64",
      "freebsd-x64",
    ]);
  });

  test("an unknown target is rejected with the known ones, before building", () => {
    const r = buildScript("--target", "linux-x64,plan9-mips");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`build: unknown target "plan9-mips"; known targets: linux-x64, linux-x64-musl,`);
    expect(r.out).toBe("");
  });

  test("other arguments are rejected with the usage", () => {
    const r = buildScript("--targt=linux-x64");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`unknown argument "--targt=linux-x64"`);
    expect(r.err).toContain("usage: bun build.ts");
  });
});
