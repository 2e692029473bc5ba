// loki.write's wal block in the binary: entries accepted by loki.source.api
// while the far end is down survive a SIGKILL and are delivered after restart.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canRunBinary } from "../binary/alloy_process.ts";
import { AlloyRun, freePort, until } from "../prometheus/remote_write_peers.ts";
import { PushSink } from "./push_sink.ts";

setDefaultTimeout(120_000);
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

test.skipIf(!canRunBinary)("entries in loki.write's WAL are delivered after a SIGKILL and restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-lokiwal-"));
  const sink = new PushSink();
  cleanup.push(() => sink.stop());
  sink.respond = () => 503;
  const port = await freePort();
  const cfg = join(dir, "wal.alloy");
  writeFileSync(
    cfg,
    `loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${port}
  }
  forward_to = [loki.write.out.receiver]
}
loki.write "out" {
  endpoint {
    url = "${sink.url}"
    batch_wait = "50ms"
    min_backoff_period = "50ms"
    max_backoff_period = "200ms"
    max_backoff_retries = 0
  }
  wal {
    enabled = true
  }
}
`,
  );
  const storage = join(dir, "data");
  let a = await AlloyRun.start(cfg, storage);
  cleanup.push(() => a.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}/loki/api/v1/push`;
  await until(async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.status === 200, 20_000, `ready:\n${a.stderr}`);
  const sent: string[] = [];
  for (let i = 0; i < 20; i++) {
    const values = Array.from({ length: 50 }, (_, k) => {
      const line = `wal line ${i * 50 + k}`;
      sent.push(line);
      return [String(1_700_000_000_000_000_000n + BigInt(i * 50 + k)), line];
    });
    const r = await fetch(url, { method: "POST", body: JSON.stringify({ streams: [{ stream: { job: "wal" }, values }] }), headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(204);
  }
  await until(() => sink.attempts >= 2, 10_000, "failing pushes");
  a.kill("SIGKILL");
  await a.exited;
  expect(sink.delivered.length).toBe(0);

  sink.respond = () => 204;
  a = await AlloyRun.start(cfg, storage);
  await until(() => sink.lines().length >= sent.length, 30_000, `replay (${sink.lines().length}/${sent.length}):\n${a.stderr}`);
  expect(sink.lines().map((l) => l.line)).toEqual(sent);
  a.kill("SIGTERM");
  await a.exited;
});
