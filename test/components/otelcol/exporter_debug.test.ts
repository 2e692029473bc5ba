import { afterEach, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { components } from "../../../src/components/index.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/index.ts";
import { encodeExportRequest } from "../../../src/telemetry/otlp/index.ts";
import { Sampler } from "../../../src/components/otelcol/exporter/debug.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { freePort, logs, traces } from "./exporter_sink.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function run(verbosity: string): Promise<number> {
  const h = freePort();
  rt = testRuntime({ extra: components, stability: "experimental" });
  const res = await rt.load([{
    name: "main.alloy",
    text: `
otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:${h}" }
  output {
    traces = [otelcol.exporter.debug.d.input]
    logs = [otelcol.exporter.debug.d.input]
  }
}
otelcol.exporter.debug "d" { verbosity = "${verbosity}" }`,
  }]);
  expect(res.diagnostics).toEqual([]);
  return h;
}

test("basic verbosity logs counts per batch", async () => {
  const h = await run("basic");
  await fetch(`http://127.0.0.1:${h}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(3)) });
  await waitFor(() => rt!.logLines.some((l) => l.includes("msg=Traces")), 3000, "traces line");
  const line = rt!.logLines.find((l) => l.includes("msg=Traces"))!;
  expect(line).toContain("resource_spans=1");
  expect(line).toContain("spans=3");
});

test("detailed verbosity dumps spans and log records with attributes", async () => {
  const h = await run("detailed");
  await fetch(`http://127.0.0.1:${h}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: toBinary(ExportTraceServiceRequestSchema, traces(2, "op")) });
  await fetch(`http://127.0.0.1:${h}/v1/logs`, { method: "POST", headers: { "Content-Type": "application/json" }, body: encodeExportRequest("logs", logs(1), "json") });
  await waitFor(() => rt!.logLines.some((l) => l.includes("msg=Logs")), 3000, "logs line");
  const all = rt!.logLines.join("\n");
  expect(all).toContain("Name           : op-1");
  expect(all).toContain("-> service.name: Str(svc)");
  expect(all).toContain("-> i: Int(1)");
  expect(all).toContain("Body: Str(line 0)");
});

test("the sampler lets the first N per second through, then every Mth", () => {
  const s = new Sampler(2, 3);
  const t = 10_000;
  expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => s.allow(t))).toEqual([true, true, false, false, true, false, false, true]);
  expect(s.allow(t + 1000)).toBe(true);
});
