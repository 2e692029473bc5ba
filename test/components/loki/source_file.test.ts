import { afterEach, expect, test } from "bun:test";
import { appendFileSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { components } from "../../../src/components/index.ts";
import { lokiTestComponents, type Collector } from "../../e2e/loki/test_components.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function tail(targets: string, extra = "", storagePath?: string): Promise<Collector> {
  const t = lokiTestComponents();
  rt = testRuntime({ extra: [...components, ...t.defs], ...(storagePath ? { storagePath } : {}) });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `testloki.collector "out" {}\nloki.source.file "f" {\n  targets = ${targets}\n  forward_to = [testloki.collector.out.receiver]\n  file_watch {\n    min_poll_frequency = "10ms"\n    max_poll_frequency = "20ms"\n  }\n${extra}\n}\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  return t.collectors.get("testloki.collector.out")!;
}

const lines = (c: Collector) => c.entries.map((e) => e.line);

/** A loki_source_file_* metric of the running component (the tests tail one file at a time). */
async function metric(name: string): Promise<number | undefined> {
  const m = new RegExp(`^loki_source_file_${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(await rt!.env.hub.metrics());
  return m ? Number(m[1]) : undefined;
}

/** Waits until the tailer has read `bytes` bytes of the file; the lines among them have then been forwarded. */
const readUpTo = (bytes: number) => waitFor(async () => (await metric("read_bytes_total")) === bytes, 5000, `${bytes} bytes read`);
const filesOpen = (n: number) => waitFor(async () => (await metric("files_active_total")) === n, 5000, `${n} open files`);
const logged = (text: string) => waitFor(() => rt!.logLines.some((l) => l.includes(text)), 5000, `log line "${text}"`);

test("loki.source.file forwards each complete line with the target labels and filename, internal labels dropped", async () => {
  const dir = tempDir();
  const f = join(dir, "a.log");
  writeFileSync(f, "one\ntwo\r\nthr");
  const c = await tail(`[{"__path__" = "${f}", "job" = "app", "__internal" = "x"}]`);
  await waitFor(() => c.entries.length === 2, 5000, "two lines");
  expect(lines(c)).toEqual(["one", "two"]);
  expect({ ...c.entries[0]!.labels }).toEqual({ job: "app", filename: f });
  // The partial line waits for its newline, also once more of it has been read.
  await readUpTo(12);
  appendFileSync(f, "e");
  await readUpTo(13);
  expect(c.entries.length).toBe(2);
  appendFileSync(f, "e\n\nfour\n");
  await waitFor(() => c.entries.length === 5, 5000, "completed lines");
  expect(lines(c)).toEqual(["one", "two", "three", "", "four"]);
  const info = JSON.stringify(rt!.component("loki.source.file.f"));
  expect(info).toContain("targets_info");
  expect(info).toContain("read_offset");
});

test("loki.source.file follows rename rotation, copy-truncate and delete-recreate without losing or repeating lines", async () => {
  const dir = tempDir();
  const f = join(dir, "r.log");
  writeFileSync(f, "a1\na2\n");
  const c = await tail(`[{"__path__" = "${f}"}]`);
  await waitFor(() => c.entries.length === 2, 5000, "initial");
  // Rename: the old file gets more lines after the rename, before the new one appears.
  renameSync(f, `${f}.1`);
  appendFileSync(`${f}.1`, "a3\n");
  writeFileSync(f, "b1\n");
  await waitFor(() => c.entries.length === 4, 5000, "after rename");
  expect(lines(c)).toEqual(["a1", "a2", "a3", "b1"]);
  // Copy-truncate: the truncation must be seen before the file grows back past its old size.
  writeFileSync(`${f}.2`, readFileSync(f));
  truncateSync(f, 0);
  await logged("file was truncated");
  appendFileSync(f, "c1\n");
  await waitFor(() => c.entries.length === 5, 5000, "after truncate");
  // Delete and re-create, once the deleted file is closed (a new file may get the same inode).
  unlinkSync(f);
  await filesOpen(0);
  writeFileSync(f, "d1\nd2\n");
  await waitFor(() => c.entries.length === 7, 5000, "after re-create");
  expect(lines(c)).toEqual(["a1", "a2", "a3", "b1", "c1", "d1", "d2"]);
});

test("loki.source.file keeps positions across a restart: nothing lost, nothing repeated", async () => {
  const dir = tempDir();
  const storage = tempDir();
  const f = join(dir, "p.log");
  writeFileSync(f, "x1\nx2\n");
  let c = await tail(`[{"__path__" = "${f}", "job" = "p"}]`, "", storage);
  await waitFor(() => c.entries.length === 2, 5000, "first run");
  await rt!.stop();
  rt = undefined;
  const posFile = join(storage, "loki.source.file.f", "positions.yml");
  expect(existsSync(posFile)).toBe(true);
  const pos = readFileSync(posFile, "utf8");
  expect(pos).toContain(`path: ${f}`);
  expect(pos).toContain(`labels: '{job="p"}'`);
  expect(pos).toContain(`: "6"`);
  appendFileSync(f, "x3\n");
  c = await tail(`[{"__path__" = "${f}", "job" = "p"}]`, "", storage);
  await waitFor(() => c.entries.length >= 1, 5000, "second run");
  await readUpTo(9);
  expect(lines(c)).toEqual(["x3"]);
});

test("loki.source.file with tail_from_end skips what was there before", async () => {
  const dir = tempDir();
  const f = join(dir, "e.log");
  writeFileSync(f, "old1\nold2\n");
  const c = await tail(`[{"__path__" = "${f}"}]`, "  tail_from_end = true");
  await filesOpen(1);
  appendFileSync(f, "new\n");
  await waitFor(() => c.entries.length === 1, 5000, "new line");
  expect(lines(c)).toEqual(["new"]);
});

test("loki.source.file decodes UTF-16LE and ISO-8859-1 files", async () => {
  const dir = tempDir();
  const f16 = join(dir, "u16.log");
  writeFileSync(f16, Buffer.from("héllo\nwörld\n", "utf16le"));
  const c = await tail(`[{"__path__" = "${f16}"}]`, `  encoding = "UTF-16LE"`);
  await waitFor(() => c.entries.length === 2, 5000, "utf-16 lines");
  expect(lines(c)).toEqual(["héllo", "wörld"]);
  await rt!.stop();
  const fl = join(dir, "latin.log");
  writeFileSync(fl, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  const c2 = await tail(`[{"__path__" = "${fl}"}]`, `  encoding = "ISO-8859-1"`);
  await waitFor(() => c2.entries.length === 1, 5000, "latin-1 line");
  expect(lines(c2)).toEqual(["café"]);
});

test("loki.source.file rejects an unknown encoding and the bz2 format with a clear error", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `loki.source.file "f" {\n  targets = []\n  forward_to = []\n  encoding = "klingon"\n}\n` }]);
  expect(JSON.stringify(res.diagnostics)).toContain(`unsupported encoding \\"klingon\\"`);
  const res2 = await rt.load([
    { name: "main.alloy", text: `loki.source.file "f" {\n  targets = []\n  forward_to = []\n  decompression {\n    enabled = true\n    format = "bz2"\n  }\n}\n` },
  ]);
  expect(JSON.stringify(res2.diagnostics)).toContain("bz2");
});

test("loki.source.file reads gzip-compressed files when decompression is enabled", async () => {
  const dir = tempDir();
  const f = join(dir, "a.log.gz");
  writeFileSync(f, gzipSync("z1\nz2\nz3\n"));
  const c = await tail(`[{"__path__" = "${f}"}]`, `  decompression {\n    enabled = true\n    format = "gz"\n  }`);
  await waitFor(() => c.entries.length === 3, 5000, "decompressed lines");
  expect(lines(c)).toEqual(["z1", "z2", "z3"]);
});

test("loki.source.file handles a 5 MiB line and many files", async () => {
  const dir = tempDir();
  const big = "x".repeat(5 * 1024 * 1024);
  const paths: string[] = [];
  for (let i = 0; i < 300; i++) {
    const p = join(dir, `f${i}.log`);
    writeFileSync(p, `file ${i}\n`);
    paths.push(p);
  }
  writeFileSync(paths[0]!, `${big}\nafter\n`);
  const c = await tail(`[${paths.map((p) => `{"__path__" = "${p}"}`).join(", ")}]`);
  await waitFor(() => c.entries.length === 301, 10_000, "every file");
  const got = lines(c);
  expect(got.filter((l) => l === big).length).toBe(1);
  expect(got.indexOf(big)).toBeLessThan(got.indexOf("after"));
  const metrics = await rt!.env.hub.metrics();
  expect(metrics).toMatch(/loki_source_file_files_active_total\{[^}]*\} 300/);
  expect(metrics).toContain(`loki_source_file_read_lines_total{`);
  expect(metrics).toContain(`loki_source_file_read_bytes_total{`);
});

test("loki.source.file expands globs with file_match enabled", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "a.log"), "ga\n");
  const c = await tail(`[{"__path__" = "${dir}/*.log"}]`, `  file_match {\n    enabled = true\n    sync_period = "50ms"\n  }`);
  await waitFor(() => c.entries.length === 1, 5000, "first glob match");
  writeFileSync(join(dir, "b.log"), "gb\n");
  await waitFor(() => c.entries.length === 2, 5000, "new file found");
  expect(lines(c).sort()).toEqual(["ga", "gb"]);
});

test("loki.source.file takes offsets from a promtail legacy_positions_file when it has none of its own", async () => {
  const dir = tempDir();
  const f = join(dir, "legacy.log");
  writeFileSync(f, "seen1\nseen2\nnew1\n");
  const legacy = join(dir, "promtail-positions.yaml");
  writeFileSync(legacy, `positions:\n  ${f}: "12"\n`);
  const c = await tail(`[{"__path__" = "${f}", "job" = "l"}]`, `  legacy_positions_file = "${legacy}"`);
  await waitFor(() => c.entries.length >= 1, 5000, "line after the legacy offset");
  await readUpTo(17);
  expect(lines(c)).toEqual(["new1"]);
});

test("loki.source.file reports an unreadable positions file and restarts from the beginning by default", async () => {
  const dir = tempDir();
  const storage = tempDir();
  const f = join(dir, "b.log");
  writeFileSync(f, "b1\n");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(storage, "loki.source.file.f"), { recursive: true });
  writeFileSync(join(storage, "loki.source.file.f", "positions.yml"), "positions: [not: {a map");
  const c = await tail(`[{"__path__" = "${f}"}]`, "", storage);
  await waitFor(() => c.entries.length === 1, 5000, "line from the start");
  expect(rt!.logLines.join("")).toContain("positions file is unreadable");
});

for (const [mode, want] of [["restart_from_beginning", ["c1", "c2", "c3"]], ["restart_from_end", ["c3"]], ["skip", []]] as const) {
  test(`loki.source.file with a corrupt position entry and on_positions_file_error = ${mode}`, async () => {
    const dir = tempDir();
    const storage = tempDir();
    const f = join(dir, "c.log");
    writeFileSync(f, "c1\nc2\n");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(storage, "loki.source.file.f"), { recursive: true });
    writeFileSync(join(storage, "loki.source.file.f", "positions.yml"), `positions:\n  ? path: ${f}\n    labels: "{}"\n  : "not-a-number"\n`);
    const c = await tail(`[{"__path__" = "${f}"}]`, `  on_positions_file_error = "${mode}"`, storage);
    await logged(mode === "skip" ? "not tailing the file" : "reset position to");
    if (mode === "restart_from_end") await filesOpen(1);
    appendFileSync(f, "c3\n");
    if (mode === "skip") {
      // What is checked is that nothing is ever read: the file is given several poll periods (10-20ms) to be read.
      await Bun.sleep(150);
    } else {
      await waitFor(() => c.entries.length >= want.length, 5000, "lines");
      await readUpTo(9);
    }
    expect(lines(c)).toEqual([...want]);
  });
}

