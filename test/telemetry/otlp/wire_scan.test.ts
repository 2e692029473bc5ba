import { describe, expect, test } from "bun:test";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { newBatch } from "../../../src/telemetry/otlp/batch.ts";
import { countDataPoints } from "../../../src/telemetry/otlp/count.ts";
import {
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  SIGNALS,
  SIGNAL_DESCRIPTORS,
  type ExportRequest,
  type Signal,
} from "../../../src/telemetry/otlp/pdata.ts";
import { scanExportRequest } from "../../../src/telemetry/otlp/wire_scan.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";
import { requests } from "./otlp_arbitraries.ts";

const schema = (signal: Signal) => SIGNAL_DESCRIPTORS[signal].request;
const items = (signal: Signal, req: ExportRequest): number => newBatch(signal, req).itemCount();

/** Whatever the scan vouches for decodes, to a request with as many items as the scan counted. */
function vouchedDecodes(signal: Signal, bytes: Uint8Array): number | undefined {
  const n = scanExportRequest(signal, bytes);
  if (n !== undefined) expect(items(signal, fromBinary(schema(signal), bytes) as ExportRequest)).toBe(n);
  return n;
}

/** `bytes` with one byte changed, cut short, or extended. */
const damaged = (bytes: Uint8Array) =>
  fc.oneof(
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
      const out = bytes.slice();
      if (out.length > 0) out[i % out.length] = v;
      return out;
    }),
    fc.nat().map((n) => bytes.subarray(0, bytes.length === 0 ? 0 : n % bytes.length)),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((tail) => Uint8Array.from([...bytes, ...tail])),
  );

describe("the wire scan of export requests", () => {
  test("vouches for random requests of every signal and counts their items", () => {
    for (const signal of SIGNALS) {
      fc.assert(fc.property(requests[signal], (req) => {
        expect(vouchedDecodes(signal, toBinary(schema(signal), req as never))).toBe(items(signal, req));
      }), { numRuns: 200 });
    }
  });

  test("counts the fixtures", () => {
    expect(scanExportRequest("traces", toBinary(ExportTraceServiceRequestSchema, tracesRequest(5, 2)))).toBe(10);
    expect(scanExportRequest("metrics", toBinary(ExportMetricsServiceRequestSchema, metricsRequest(3)))).toBe(countDataPoints(metricsRequest(3)));
    expect(scanExportRequest("logs", toBinary(ExportLogsServiceRequestSchema, logsRequest(3)))).toBe(3);
    expect(scanExportRequest("traces", new Uint8Array(0))).toBe(0);
  });

  test("damaged requests are either refused or still decode to the counted items", () => {
    for (const signal of SIGNALS) {
      const damagedRequest = requests[signal].chain((req) => damaged(toBinary(schema(signal), req as never)));
      fc.assert(fc.property(damagedRequest, (bytes) => {
        vouchedDecodes(signal, bytes);
      }), { numRuns: 500 });
    }
  });

  test("gives up on unknown fields, wrong wire types and a metric with two kinds of data", () => {
    const good = toBinary(ExportTraceServiceRequestSchema, tracesRequest(2));
    expect(scanExportRequest("traces", Uint8Array.from([...good, 0x48, 0x01]))).toBeUndefined();
    expect(scanExportRequest("traces", Uint8Array.from([0x08, 0x01]))).toBeUndefined();
    expect(scanExportRequest("traces", Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toBeUndefined();
    // resource_metrics { scope_metrics { metrics { gauge {} sum {} } } }
    expect(scanExportRequest("metrics", Uint8Array.from([0x0a, 0x08, 0x12, 0x06, 0x12, 0x04, 0x2a, 0x00, 0x3a, 0x00]))).toBeUndefined();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      vouchedDecodes("metrics", b);
      vouchedDecodes("traces", b);
    }));
  });
});
