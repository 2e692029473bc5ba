import { afterEach, expect, test } from "bun:test";
import { entriesToLogs } from "../../../src/components/otelcol/receiver/loki.ts";
import { newEntry } from "../../../src/telemetry/loki/entry.ts";
import type { LogsBatch } from "../../../src/telemetry/otlp/index.ts";
import { waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { pipeline, plain, sinks } from "./attributes_harness.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

test("entries become log records: body = line, labels (not __ ones) and structured metadata as attributes, time kept", () => {
  const b = entriesToLogs([newEntry({ job: "app", filename: "/var/log/a.log", __internal: "x" }, 1_700_000_000_000_000_001n, "line one", [{ name: "trace_id", value: "abc" }])]);
  const r = b.request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  expect(r.body?.value).toEqual({ case: "stringValue", value: "line one" });
  expect(r.timeUnixNano).toBe(1_700_000_000_000_000_001n);
  expect(r.observedTimeUnixNano > 0n).toBe(true);
  expect(plain(r.attributes)).toEqual({ filename: "/var/log/a.log", job: "app", "log.file.path": "/var/log/a.log", "log.file.name": "a.log", trace_id: "abc" });
  const zero = entriesToLogs([newEntry({}, 0n, "no time")]).request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  expect(zero.timeUnixNano).toBe(zero.observedTimeUnixNano);
});

test("the component's receiver hands entries from a loki component to the output block", async () => {
  const port = freePort();
  rt = await pipeline(`test.otelcol_sink "out" {}
otelcol.receiver.loki "r" {
  output {
    logs = [test.otelcol_sink.out.input]
  }
}
loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port = ${port}
  }
  forward_to = [otelcol.receiver.loki.r.receiver]
  use_incoming_timestamp = true
}`);
  const got = sinks.get("test.otelcol_sink.out")!;
  let res: Response | undefined;
  await waitFor(async () => {
    res = await fetch(`http://127.0.0.1:${port}/loki/api/v1/push`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ streams: [{ stream: { app: "web" }, values: [["1700000000000000000", "hello"]] }] }),
    }).catch(() => undefined);
    return res !== undefined;
  }, 5000, "loki.source.api to listen");
  expect(res!.status).toBe(204);
  await waitFor(() => got.length > 0, 5000, "a logs batch");
  const rec = (got[0] as LogsBatch).request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  expect(rec.body?.value.value).toBe("hello");
  expect(rec.timeUnixNano).toBe(1_700_000_000_000_000_000n);
  expect(plain(rec.attributes)).toEqual({ app: "web" });
});

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}
