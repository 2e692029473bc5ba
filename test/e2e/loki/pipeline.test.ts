// Two alloy processes and a recording Loki stand-in:
//   files ─ loki.source.file ─ loki.process ─ loki.write ─▶ [B] loki.source.api ─ loki.write ─▶ PushSink
// 50 files are written, rotated by rename and by copy-truncate while tailed;
// every line must arrive exactly once, in order per file, with the configured
// labels. Then A is SIGKILLed and restarted on the same storage: lines written
// meanwhile arrive once, nothing is repeated (positions).

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Positions } from "../../../src/components/loki/source/file/positions.ts";
import { canRunBinary } from "../binary/alloy_process.ts";
import { AlloyRun, freePort, until } from "../prometheus/remote_write_peers.ts";
import { PushSink } from "./push_sink.ts";

setDefaultTimeout(180_000);

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const FILES = 50;

test.skipIf(!canRunBinary)("50 tailed files through two alloy processes arrive exactly once, across rotation and SIGKILL", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-loki-"));
  const logs = join(dir, "logs");
  const sink = new PushSink();
  cleanup.push(() => sink.stop());

  const apiPort = await freePort();
  const cfgB = join(dir, "b.alloy");
  writeFileSync(
    cfgB,
    `loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${apiPort}
  }
  labels = { hop = "b" }
  use_incoming_timestamp = true
  forward_to = [loki.write.out.receiver]
}
loki.write "out" {
  endpoint {
    url = "${sink.url}"
    batch_wait = "100ms"
  }
}
`,
  );
  const b = await AlloyRun.start(cfgB, join(dir, "data-b"));
  cleanup.push(() => b.kill("SIGKILL"));
  await b.baseURL();
  await until(async () => (await fetch(`http://127.0.0.1:${apiPort}/ready`).catch(() => undefined))?.status === 200, 20_000, `B ready:\n${b.stderr}`);

  const { mkdirSync } = await import("node:fs");
  mkdirSync(logs);
  const paths = Array.from({ length: FILES }, (_, i) => join(logs, `app${i}.log`));
  for (const p of paths) writeFileSync(p, "");
  const targets = paths.map((p, i) => `{"__path__" = "${p}", "job" = "e2e", "shard" = "${i % 5}"}`).join(",\n    ");
  const cfgA = join(dir, "a.alloy");
  writeFileSync(
    cfgA,
    `loki.source.file "logs" {
  targets = [
    ${targets},
  ]
  forward_to = [loki.process.tag.receiver]
  file_watch {
    min_poll_frequency = "50ms"
    max_poll_frequency = "50ms"
  }
}
loki.process "tag" {
  forward_to = [loki.write.hop.receiver]
  stage.regex {
    expression = "^file=(?P<fileno>\\\\d+) "
  }
  stage.labels {
    values = { fileno = "" }
  }
}
loki.write "hop" {
  endpoint {
    url = "http://127.0.0.1:${apiPort}/loki/api/v1/push"
    batch_wait = "100ms"
  }
  external_labels = { hop = "a", cluster = "e2e" }
}
`,
  );
  const storageA = join(dir, "data-a");
  let a = await AlloyRun.start(cfgA, storageA);
  cleanup.push(() => a.kill("SIGKILL"));
  await a.baseURL();

  const written: string[][] = paths.map(() => []);
  const write = (i: number, n: number) => {
    let text = "";
    for (let k = 0; k < n; k++) {
      const line = `file=${i} seq=${written[i]!.length} ${"p".repeat(k % 40)}`;
      written[i]!.push(line);
      text += `${line}\n`;
    }
    appendFileSync(paths[i]!, text);
  };
  const total = () => written.reduce((s, w) => s + w.length, 0);
  const byFile = () => {
    const m = new Map<string, string[]>();
    for (const l of sink.lines()) {
      const f = l.labels.filename ?? "";
      let arr = m.get(f);
      if (!arr) m.set(f, (arr = []));
      arr.push(l.line);
    }
    return m;
  };
  const allArrived = () => sink.lines().length >= total();
  // Lines of a file arrive in order, so once its last line is in, anything repeated would be in too.
  const lastLinesArrived = () => {
    const got = byFile();
    return paths.every((p, i) => written[i]!.length === 0 || got.get(p)?.at(-1) === written[i]!.at(-1));
  };
  // What A's positions file records for each file: all of it, once A has read everything and synced.
  const positionsSynced = () => {
    const pos = new Positions(join(storageA, "loki.source.file.logs", "positions.yml"));
    try {
      pos.load();
    } catch {
      return false; // being replaced right now
    }
    return paths.every((p, i) => pos.get(p, `{job="e2e", shard="${i % 5}"}`) === statSync(p).size);
  };

  // Round 1: steady writes, one round every 20ms while the files are tailed.
  for (let r = 0; r < 5; r++) {
    for (let i = 0; i < FILES; i++) write(i, 20);
    await Bun.sleep(20);
  }
  // Rename rotation for even files, with lines appended to the old file after the rename.
  for (let i = 0; i < FILES; i += 2) {
    renameSync(paths[i]!, `${paths[i]}.1`);
    const line = `file=${i} seq=${written[i]!.length} after-rename`;
    written[i]!.push(line);
    appendFileSync(`${paths[i]}.1`, `${line}\n`);
    writeFileSync(paths[i]!, "");
  }
  for (let i = 0; i < FILES; i++) write(i, 30);
  // Copy-truncate for odd files, once what they hold has been read (copy-truncate loses unread lines by nature).
  await until(allArrived, 60_000, `lines before copy-truncate (${sink.lines().length}/${total()})\nA:\n${a.stderr.slice(-3000)}`);
  for (let i = 1; i < FILES; i += 2) {
    copyFileSync(paths[i]!, `${paths[i]}.1`);
    truncateSync(paths[i]!, 0);
  }
  // Each truncation must be seen before the file grows back past its old size.
  const truncated = () => {
    const seen = a.stderr.split("\n").filter((l) => l.includes("file was truncated"));
    return paths.every((p, i) => i % 2 === 0 || seen.some((l) => l.includes(`${p} `) || l.includes(`${p}"`)));
  };
  await until(truncated, 60_000, `A to see every truncation\nA:\n${a.stderr.slice(-3000)}`, 20);
  for (let i = 0; i < FILES; i++) write(i, 25);
  await until(allArrived, 60_000, `all lines (${sink.lines().length}/${total()})\nA:\n${a.stderr}\nB:\n${b.stderr}`);

  // Once A's positions file records everything read, SIGKILL it and write while it is down.
  await until(positionsSynced, 60_000, "A's positions file to record every file's end");
  a.kill("SIGKILL");
  await a.exited;
  for (let i = 0; i < FILES; i++) write(i, 10);
  a = await AlloyRun.start(cfgA, storageA);
  await a.baseURL();
  await until(allArrived, 60_000, `lines after restart (${sink.lines().length}/${total()})`);
  await until(lastLinesArrived, 60_000, "every file's last line after restart");

  const got = byFile();
  expect(sink.lines().length).toBe(total());
  for (let i = 0; i < FILES; i++) expect(got.get(paths[i]!)).toEqual(written[i]!);
  for (const l of sink.lines()) {
    const i = paths.indexOf(l.labels.filename!);
    expect(l.labels).toEqual({ job: "e2e", shard: String(i % 5), filename: paths[i]!, fileno: String(i), hop: "b", cluster: "e2e" });
  }
  a.kill("SIGTERM");
  await a.exited;
});
