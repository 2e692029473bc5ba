// The binary's loki.source.api under bad input: garbage protobuf, broken snappy,
// bad JSON, an unknown encoding, a body over max_send_message_size get a 4xx
// with the reason; invalid UTF-8 is replaced; a 10 MiB line goes through; the
// process keeps serving and loki.echo logs what arrived.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canRunBinary } from "../binary/alloy_process.ts";
import { AlloyRun, freePort, until } from "../prometheus/remote_write_peers.ts";

setDefaultTimeout(120_000);
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** Snappy block format with literal elements only: a valid stream any decoder accepts. */
function snappyLiteral(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = data.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  for (let p = 0; p < data.length; p += 65536) {
    const chunk = data.subarray(p, p + 65536);
    const len = chunk.length - 1;
    if (len < 60) out.push(len << 2);
    else out.push(61 << 2, len & 0xff, len >> 8);
    for (const b of chunk) out.push(b);
  }
  return Uint8Array.from(out);
}

/** A PushRequest with one stream and one entry, written by hand from push.proto. */
function pushRequest(labels: string, line: Uint8Array, seconds: number): Uint8Array {
  const ld = (tag: number, body: Uint8Array) => {
    const len: number[] = [];
    let n = body.length;
    while (n >= 0x80) {
      len.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    len.push(n);
    return Uint8Array.from([tag, ...len, ...body]);
  };
  const varint = (v: number) => {
    const o: number[] = [];
    while (v >= 0x80) {
      o.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    o.push(v);
    return o;
  };
  const ts = Uint8Array.from([0x08, ...varint(seconds)]);
  const entry = ld(0x12, Uint8Array.from([...ld(0x0a, ts), ...ld(0x12, line)]));
  const stream = ld(0x0a, Uint8Array.from([...ld(0x0a, new TextEncoder().encode(labels)), ...entry]));
  return stream;
}

test.skipIf(!canRunBinary)("loki.source.api in the binary rejects bad payloads with 4xx and keeps serving", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-lokiapi-"));
  const port = await freePort();
  const cfg = join(dir, "api.alloy");
  writeFileSync(
    cfg,
    `loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${port}
  }
  max_send_message_size = "12MiB"
  use_incoming_timestamp = true
  forward_to = [loki.echo.out.receiver]
}
loki.echo "out" {}
`,
  );
  const a = await AlloyRun.start(cfg, join(dir, "data"));
  cleanup.push(() => a.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/ready`).catch(() => undefined))?.status === 200, 20_000, `ready:\n${a.stderr}`);
  const post = (body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(`${url}/loki/api/v1/push`, { method: "POST", body: body as BodyInit, headers });
  const proto = { "Content-Type": "application/x-protobuf" };

  let r = await post(snappyLiteral(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])), proto);
  expect(r.status).toBe(400);
  expect(await r.text()).toMatch(/protobuf/i);
  r = await post(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]), proto);
  expect(r.status).toBe(400);
  expect(await r.text()).toMatch(/snappy/i);
  r = await post("{\"streams\": [", { "Content-Type": "application/json" });
  expect(r.status).toBe(400);
  expect(await r.text()).toMatch(/JSON/);
  r = await post("x", { "Content-Type": "application/json", "Content-Encoding": "br" });
  expect(r.status).toBe(400);
  r = await post(new Uint8Array(13 * 1024 * 1024), proto);
  expect(r.status).toBe(413);

  const bad = Uint8Array.from([...new TextEncoder().encode("bad "), 0xc3, 0x28, ...new TextEncoder().encode(" utf8")]);
  r = await post(snappyLiteral(pushRequest('{job="e2e"}', bad, 1_700_000_000)), proto);
  expect(r.status).toBe(204);
  const big = new TextEncoder().encode("B".repeat(10 * 1024 * 1024));
  r = await post(snappyLiteral(pushRequest('{job="big"}', big, 1_700_000_001)), proto);
  expect(r.status).toBe(204);
  r = await post(snappyLiteral(pushRequest('{job="e2e"}', new TextEncoder().encode("still alive"), 1_700_000_002)), proto);
  expect(r.status).toBe(204);

  await until(() => a.stderr.includes("still alive"), 10_000, `echo of the last push:\n${a.stderr.slice(-2000)}`);
  expect(a.stderr).toContain("bad \uFFFD( utf8");
  expect(a.stderr).toMatch(/Receiving logs entry.*entry="?B{100}/);
  a.kill("SIGTERM");
  expect(await a.exited).toBe(0);
});
