import { afterEach, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { components } from "../../../src/components/index.ts";
import {
  ConsumerError,
  ExportTraceServiceRequestSchema,
  startOtlpGrpcServer,
  type OtlpServerHandle,
  type TracesBatch,
} from "../../../src/telemetry/otlp/index.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { freePort, traces } from "./exporter_sink.ts";

let rt: TestRuntime | undefined;
let server: OtlpServerHandle | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.close();
  server = undefined;
});

test("otelcol.exporter.otlp forwards the received bytes over gRPC with headers and auth, and retries UNAVAILABLE", async () => {
  const got: { batch: TracesBatch; }[] = [];
  const headers: Array<ReadonlyMap<string, readonly string[]> | undefined> = [];
  let failures = 1;
  server = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", includeMetadata: true }, {
    consumeTraces: async (batch) => {
      if (failures-- > 0) throw ConsumerError.retryable("not yet");
      headers.push(batch.client?.metadata);
      got.push({ batch });
    },
  });
  const h = freePort();
  rt = testRuntime({ extra: components });
  const res = await rt.load([{
    name: "main.alloy",
    text: `
otelcol.auth.basic "creds" {
  username = "alice"
  password = "pw"
}
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${h}" }
  output { traces = [otelcol.exporter.otlp.out.input] }
}
otelcol.exporter.otlp "out" {
  client {
    endpoint = "127.0.0.1:${server.port}"
    tls { insecure = true }
    headers = { "x-scope-orgid" = "tenant-1" }
    auth = otelcol.auth.basic.creds.handler
  }
  retry_on_failure { initial_interval = "10ms" }
}`,
  }]);
  expect(res.diagnostics).toEqual([]);
  const sent = toBinary(ExportTraceServiceRequestSchema, traces(4, "g"));
  const r = await fetch(`http://127.0.0.1:${h}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: sent });
  expect(r.status).toBe(200);
  await waitFor(() => got.length === 1, 5000, "the export after one retry");
  expect(got[0]!.batch.encoded).toEqual(sent);
  expect(headers[0]?.get("x-scope-orgid")).toEqual(["tenant-1"]);
  expect(headers[0]?.get("authorization")).toEqual([`Basic ${Buffer.from("alice:pw").toString("base64")}`]);
});

test("an unsupported gRPC compression is a configuration error", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `otelcol.exporter.otlp "out" {\n client {\n endpoint = "x:4317"\n compression = "snappy"\n }\n}` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("unsupported compression");
});
