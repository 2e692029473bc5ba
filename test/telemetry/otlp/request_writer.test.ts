import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  type ExportRequest,
} from "../../../src/telemetry/otlp/pdata.ts";
import { writeExportRequest } from "../../../src/telemetry/otlp/request_writer.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";
import { logs, metrics, traces } from "./otlp_arbitraries.ts";

function sameBytes(schema: DescMessage, signal: "traces" | "metrics" | "logs", req: ExportRequest): void {
  const fast = writeExportRequest(signal, req);
  const generic = toBinary(schema, req as never);
  expect(Buffer.from(fast).equals(Buffer.from(generic))).toBe(true);
}

describe("OTLP request writer", () => {
  test("writes random traces byte for byte as protobuf-es does", () => {
    fc.assert(fc.property(traces, (req) => sameBytes(ExportTraceServiceRequestSchema, "traces", req)), { numRuns: 300 });
  });

  test("writes random logs byte for byte as protobuf-es does", () => {
    fc.assert(fc.property(logs, (req) => sameBytes(ExportLogsServiceRequestSchema, "logs", req)), { numRuns: 300 });
  });

  test("writes random metrics of every type byte for byte as protobuf-es does", () => {
    fc.assert(fc.property(metrics, (req) => sameBytes(ExportMetricsServiceRequestSchema, "metrics", req)), { numRuns: 300 });
  });

  test("writes large requests whose lengths need several bytes", () => {
    sameBytes(ExportTraceServiceRequestSchema, "traces", tracesRequest(2000, 3));
    sameBytes(ExportMetricsServiceRequestSchema, "metrics", metricsRequest(500));
    sameBytes(ExportLogsServiceRequestSchema, "logs", logsRequest(3000));
    const long = tracesRequest(1);
    long.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = "é".repeat(300_000);
    sameBytes(ExportTraceServiceRequestSchema, "traces", long);
  });

  test("keeps unknown fields by handing such messages to the generic encoder", () => {
    const withUnknown = Uint8Array.from([...toBinary(ExportTraceServiceRequestSchema, tracesRequest(1)), 0x48, 0x07]);
    const req = fromBinary(ExportTraceServiceRequestSchema, withUnknown);
    expect(Buffer.from(writeExportRequest("traces", req)).equals(Buffer.from(withUnknown))).toBe(true);
    const withEntity = create(ExportTraceServiceRequestSchema, { resourceSpans: [{ resource: { entityRefs: [{ type: "service" }] } }] });
    sameBytes(ExportTraceServiceRequestSchema, "traces", withEntity);
  });
});
