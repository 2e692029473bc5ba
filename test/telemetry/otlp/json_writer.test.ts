import { describe, expect, test } from "bun:test";
import { fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { exportRequestJson } from "../../../src/telemetry/otlp/json_writer.ts";
import { encodeOtlpJson } from "../../../src/telemetry/otlp/otlp_json.ts";
import { ExportTraceServiceRequestSchema, SIGNALS, SIGNAL_DESCRIPTORS, type ExportRequest, type Signal } from "../../../src/telemetry/otlp/pdata.ts";
import { encodeExportRequest } from "../../../src/telemetry/otlp/codec.ts";
import { tracesRequest } from "./fixtures.ts";
import { requests } from "./otlp_arbitraries.ts";

function sameJson(schema: DescMessage, signal: Signal, req: ExportRequest): void {
  const fast = exportRequestJson(signal, req);
  expect(fast).toBeDefined();
  const generic = JSON.parse(new TextDecoder().decode(encodeOtlpJson(schema, req as never)));
  expect(JSON.parse(JSON.stringify(fast))).toEqual(generic);
}

describe("OTLP/JSON request writer", () => {
  for (const signal of SIGNALS) {
    test(`writes random ${signal} as toJson with OTLP's id rule does`, () => {
      fc.assert(fc.property(requests[signal], (req) => sameJson(SIGNAL_DESCRIPTORS[signal].request, signal, req)), { numRuns: 200 });
    });
  }

  test("requests with unknown fields take the generic path and still encode", () => {
    const withUnknown = Uint8Array.from([...toBinary(ExportTraceServiceRequestSchema, tracesRequest(1)), 0x48, 0x07]);
    const req = fromBinary(ExportTraceServiceRequestSchema, withUnknown);
    expect(exportRequestJson("traces", req)).toBeUndefined();
    const json = JSON.parse(new TextDecoder().decode(encodeExportRequest("traces", req, "json")));
    expect(json.resourceSpans[0].scopeSpans[0].spans[0].traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
