import { describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { snappyCompress, snappyDecompress, snappyDecodedLength } from "../../wasm/snappy.ts";

const repoRoot = resolve(import.meta.dir, "../..");

describe("snappy", () => {
  test("round-trips data of many sizes", () => {
    for (const n of [0, 1, 17, 1000, 70_000, 1 << 20]) {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = (i * 31 + (i >> 7)) & 0xff;
      const c = snappyCompress(data);
      expect(snappyDecodedLength(c)).toBe(n);
      expect(snappyDecompress(c)).toEqual(data);
    }
  });

  test("decodes a block produced by the reference implementation", () => {
    // "hello hello hello" from Go's snappy.Encode: literal "hello " then a copy of 11.
    const block = new Uint8Array([0x11, 0x14, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x2a, 0x06, 0x00]);
    // The copy is encoded as a 2-byte-offset copy (tag 0b10): length 11, offset 6.
    block[8] = ((11 - 1) << 2) | 2;
    expect(new TextDecoder().decode(snappyDecompress(block))).toBe("hello hello hello");
  });

  test("rejects truncated and corrupt input with a clear error", () => {
    const c = snappyCompress(new TextEncoder().encode("some text ".repeat(100)));
    expect(() => snappyDecompress(c.subarray(0, c.length - 3))).toThrow(/snappy: corrupt input/);
    expect(() => snappyDecompress(new Uint8Array([]))).toThrow(/truncated length header/);
    expect(() => snappyDecompress(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(/snappy: corrupt input/);
    // A copy whose offset points before the start of the output.
    const badOffset = new Uint8Array([0x04, ((4 - 1) << 2) | 2, 100, 0]);
    expect(() => snappyDecompress(badOffset)).toThrow(/snappy: corrupt input/);
  });

  test("refuses blocks declaring more than the size limit", () => {
    const c = snappyCompress(new Uint8Array(1000));
    expect(() => snappyDecompress(c, 999)).toThrow("exceeds the limit of 999 bytes");
  });

  test("works inside a compiled executable run from another directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "snappy-compile-"));
    try {
      const entry = join(dir, "entry.ts");
      await Bun.write(
        entry,
        `import { snappyCompress, snappyDecompress } from ${JSON.stringify(join(repoRoot, "wasm/snappy.ts"))};\n` +
          `const d = new TextEncoder().encode("compiled ".repeat(50));\n` +
          `const out = snappyDecompress(snappyCompress(d));\n` +
          `console.log(out.length === d.length && out.every((b, i) => b === d[i]) ? "ok" : "mismatch");\n`,
      );
      const exe = join(dir, "snappy-check");
      const build = Bun.spawnSync([join(repoRoot, "node_modules/.bin/bun"), "build", "--compile", entry, "--outfile", exe], {
        cwd: repoRoot,
        stderr: "pipe",
        stdout: "pipe",
      });
      expect(build.exitCode, build.stderr.toString()).toBe(0);
      const run = Bun.spawnSync([exe], { cwd: tmpdir(), stdout: "pipe", stderr: "pipe" });
      expect(run.stderr.toString()).toBe("");
      expect(run.stdout.toString().trim()).toBe("ok");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
