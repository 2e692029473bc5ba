import { describe, expect, test } from "bun:test";
import { mkdtemp, readFile, readdir, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/cli.ts";
import { captureIO } from "./capture_io.ts";
import { conformanceDir } from "./conformance_dir.ts";

const fixtures = join(conformanceDir, "fmt");

async function cli(argv: string[], stdin = "") {
  const io = captureIO(stdin);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-fmt-"));
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe("alloy fmt", async () => {
  const cases = (await readdir(fixtures)).filter((f) => f.endsWith(".expect")).map((f) => f.slice(0, -".expect".length));

  for (const name of cases) {
    test(`formats ${name}.in to stdout like Alloy`, async () => {
      const expected = (await readFile(join(fixtures, `${name}.expect`), "utf8")).trimEnd() + "\n";
      const r = await cli(["fmt", join(fixtures, `${name}.in`)]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toBe(expected);
    });
  }

  test("reads stdin with `-` and with no argument; `format` is an alias", async () => {
    const src = 'local.file "a" {\nfilename="x"\n}\n';
    const want = 'local.file "a" {\n\tfilename = "x"\n}\n';
    expect(await cli(["fmt", "-"], src)).toEqual({ code: 0, out: want, err: "" });
    expect(await cli(["fmt"], src)).toEqual({ code: 0, out: want, err: "" });
    expect(await cli(["format"], src)).toEqual({ code: 0, out: want, err: "" });
  });

  test("-t exits 0 for a formatted file and 1 naming the file otherwise", async () => {
    const good = await tempFile("good.alloy", 'a = 1\n');
    const bad = await tempFile("bad.alloy", 'a=1\n');
    expect(await cli(["fmt", "-t", good])).toEqual({ code: 0, out: "", err: "" });
    expect(await cli(["fmt", "--test", bad])).toEqual({ code: 1, out: "", err: `Error: file ${bad} is not formatted correctly\n` });
    expect(await cli(["fmt", "-t"], "a=1\n")).toEqual({ code: 1, out: "", err: "Error: file <stdin> is not formatted correctly\n" });
  });

  test("-w rewrites a changed file in place, keeping its mode, and leaves a formatted one alone", async () => {
    const bad = await tempFile("bad.alloy", "a=1\n");
    await (await import("node:fs/promises")).chmod(bad, 0o640);
    expect(await cli(["fmt", "-w", bad])).toEqual({ code: 0, out: "", err: "" });
    expect(await readFile(bad, "utf8")).toBe("a = 1\n");
    expect((await stat(bad)).mode & 0o777).toBe(0o640);
    const good = await tempFile("good.alloy", "a = 1\n");
    // An old modification time: any write would replace it with the current time.
    const old = new Date("2001-02-03T04:05:06Z");
    await utimes(good, old, old);
    expect((await cli(["fmt", "--write", good])).code).toBe(0);
    expect((await stat(good)).mtime).toEqual(old);
  });

  test("rejects -w with stdin, -w with -t, directories and missing files", async () => {
    expect(await cli(["fmt", "-w"], "a = 1\n")).toEqual({ code: 1, out: "", err: "Error: cannot use -w with standard input\n" });
    expect(await cli(["fmt", "-w", "-t", "x.alloy"])).toEqual({ code: 1, out: "", err: "Error: cannot use -w/--write and -t/--test at the same time\n" });
    expect(await cli(["fmt", "-wt", "x.alloy"])).toEqual({ code: 1, out: "", err: "Error: cannot use -w/--write and -t/--test at the same time\n" });
    expect(await cli(["fmt", tmpdir()])).toEqual({ code: 1, out: "", err: "Error: cannot format a directory\n" });
    expect(await cli(["fmt", "/nonexistent/x.alloy"])).toEqual({ code: 1, out: "", err: "Error: stat /nonexistent/x.alloy: no such file or directory\n" });
    expect((await cli(["fmt", "a", "b"])).err).toBe("Error: accepts between 0 and 1 arg(s), received 2\n");
  });

  test("a parse error prints each diagnostic as `pos: msg` and fails", async () => {
    const wantText = (await readFile(join(fixtures, "raw_string_label_error.error"), "utf8")).trim();
    const file = join(fixtures, "raw_string_label_error.in");
    const r = await cli(["fmt", file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(wantText);
    expect(r.err).toMatch(new RegExp(`^${file.replaceAll("/", "\\/").replaceAll(".", "\\.")}:\\d+:\\d+: `));
    expect(r.err).toEndWith("Error: encountered errors during formatting\n");
    const stdin = await cli(["fmt"], "a = \n");
    expect(stdin.err).toMatch(/^<stdin>:\d+:\d+: /);
  });
});

describe("alloy fmt failures", () => {
  test("an unexpected failure (here reading stdin) is one Error line and exit code 1, not a crash", async () => {
    const io = captureIO();
    io.readStdin = async () => {
      throw new Error("read /dev/stdin: input/output error");
    };
    const code = await main(["fmt"], io);
    expect(code).toBe(1);
    expect(io.err).toBe("Error: read /dev/stdin: input/output error\n");
  });
});
