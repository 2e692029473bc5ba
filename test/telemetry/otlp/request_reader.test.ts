import { describe, expect, test } from "bun:test";
import { equals, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
} from "../../../src/telemetry/otlp/pdata.ts";
import { logs, metrics, traces } from "./otlp_arbitraries.ts";
import { readExportRequest } from "../../../src/telemetry/otlp/request_reader.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";

function sameAsGeneric(schema: DescMessage, signal: "traces" | "metrics" | "logs", bytesIn: Uint8Array): void {
  const fast = readExportRequest(signal, bytesIn);
  expect(fast).toBeDefined();
  const generic = fromBinary(schema, bytesIn);
  expect(equals(schema, fast as never, generic)).toBe(true);
  expect(fast as unknown).toEqual(generic as unknown);
}

describe("OTLP request reader", () => {
  test("reads random traces exactly as protobuf-es does", () => {
    fc.assert(fc.property(traces, (req) => sameAsGeneric(ExportTraceServiceRequestSchema, "traces", toBinary(ExportTraceServiceRequestSchema, req))), { numRuns: 300 });
  });

  test("reads random logs exactly as protobuf-es does", () => {
    fc.assert(fc.property(logs, (req) => sameAsGeneric(ExportLogsServiceRequestSchema, "logs", toBinary(ExportLogsServiceRequestSchema, req))), { numRuns: 300 });
  });

  test("reads random metrics of every type exactly as protobuf-es does", () => {
    fc.assert(fc.property(metrics, (req) => sameAsGeneric(ExportMetricsServiceRequestSchema, "metrics", toBinary(ExportMetricsServiceRequestSchema, req))), { numRuns: 300 });
  });

  test("reads the fixtures", () => {
    sameAsGeneric(ExportTraceServiceRequestSchema, "traces", toBinary(ExportTraceServiceRequestSchema, tracesRequest(5, 2)));
    sameAsGeneric(ExportMetricsServiceRequestSchema, "metrics", toBinary(ExportMetricsServiceRequestSchema, metricsRequest(3)));
    sameAsGeneric(ExportLogsServiceRequestSchema, "logs", toBinary(ExportLogsServiceRequestSchema, logsRequest(3)));
  });

  test("strings that share a cache slot still decode to their own text", () => {
    // Same length, first, middle and last byte: the same slot of the string cache.
    const req = tracesRequest(4);
    const names = ["abcde", "axcye", "abcde", "a\u00e9c\u00e9e".slice(0, 5)];
    req.resourceSpans[0]!.scopeSpans[0]!.spans.forEach((sp, i) => (sp.name = names[i]!));
    const back = readExportRequest("traces", toBinary(ExportTraceServiceRequestSchema, req))!;
    expect(back.resourceSpans[0]!.scopeSpans[0]!.spans.map((sp) => sp.name)).toEqual(names);
  });

  test("hands unknown fields, truncation and invalid UTF-8 to the generic decoder", () => {
    const good = toBinary(ExportTraceServiceRequestSchema, tracesRequest(2));
    // An unknown top-level field 9 (varint) after valid data.
    expect(readExportRequest("traces", Uint8Array.from([...good, 0x48, 0x01]))).toBeUndefined();
    expect(readExportRequest("traces", good.subarray(0, good.length - 3))).toBeUndefined();
    // resource_spans { schema_url: "\xff" }
    expect(readExportRequest("traces", Uint8Array.from([0x0a, 0x03, 0x1a, 0x01, 0xff]))).toBeUndefined();
    // Random bytes never throw out of the reader.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      readExportRequest("metrics", b);
    }));
  });
});
