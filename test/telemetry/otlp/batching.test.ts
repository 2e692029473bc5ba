import { describe, expect, test } from "bun:test";
import { toBinary, toJsonString } from "@bufbuild/protobuf";
import fc from "fast-check";
import { LogsBatch, MetricsBatch, TracesBatch, type AnyBatch } from "../../../src/telemetry/otlp/batch.ts";
import { mergeBatches, splitBatch } from "../../../src/telemetry/otlp/batching.ts";
import {
  ExportTraceServiceRequestSchema,
  InstrumentationScopeSchema,
  ResourceSchema,
  type ExportRequest,
} from "../../../src/telemetry/otlp/pdata.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";
import { logs, metrics, traces } from "./otlp_arbitraries.ts";

/** Every item with the resource and scope it sits under, as comparable text. */
function flatten(b: AnyBatch): string[] {
  const res = (r: unknown) => (r ? toJsonString(ResourceSchema, r as never) : "-");
  const scope = (s: unknown) => (s ? toJsonString(InstrumentationScopeSchema, s as never) : "-");
  const out: string[] = [];
  const big = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v);
  const r = b.request as ExportRequest;
  if ("resourceSpans" in r)
    for (const rs of r.resourceSpans) for (const ss of rs.scopeSpans) for (const sp of ss.spans) out.push(`${res(rs.resource)}|${rs.schemaUrl}|${scope(ss.scope)}|${ss.schemaUrl}|${JSON.stringify(sp, big)}`);
  if ("resourceLogs" in r)
    for (const rl of r.resourceLogs) for (const sl of rl.scopeLogs) for (const lr of sl.logRecords) out.push(`${res(rl.resource)}|${rl.schemaUrl}|${scope(sl.scope)}|${sl.schemaUrl}|${JSON.stringify(lr, big)}`);
  if ("resourceMetrics" in r)
    for (const rm of r.resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) {
          const head = `${res(rm.resource)}|${rm.schemaUrl}|${scope(sm.scope)}|${sm.schemaUrl}|${m.name}|${m.data.case}`;
          if (m.data.case === undefined || m.data.value.dataPoints.length === 0) out.push(`${head}|empty`);
          else for (const p of m.data.value.dataPoints as unknown[]) out.push(`${head}|${JSON.stringify(p, big)}`);
        }
  return out;
}

describe("merging and splitting batches", () => {
  test("merged batches keep every item in order, and their bytes are the parts' bytes concatenated", () => {
    const parts = [tracesRequest(2), tracesRequest(3, 2), tracesRequest(1)].map((r) => new TracesBatch(r, { encoded: toBinary(ExportTraceServiceRequestSchema, r) }));
    const merged = mergeBatches(parts);
    expect(merged.itemCount()).toBe(2 + 6 + 1);
    expect(flatten(merged)).toEqual(parts.flatMap(flatten));
    expect(Buffer.from(merged.encoded!).equals(Buffer.from(toBinary(ExportTraceServiceRequestSchema, merged.request)))).toBe(true);
    // Without bytes on every part there are no merged bytes.
    expect(mergeBatches([parts[0]!, new TracesBatch(tracesRequest(1))]).encoded).toBeUndefined();
    expect(() => mergeBatches([parts[0]!, new LogsBatch(logsRequest(1))] as AnyBatch[])).toThrow("cannot merge logs into traces");
  });

  const cases = [
    ["traces", traces, (r: ExportRequest) => new TracesBatch(r as ExportRequest<"traces">)],
    ["metrics", metrics, (r: ExportRequest) => new MetricsBatch(r as ExportRequest<"metrics">)],
    ["logs", logs, (r: ExportRequest) => new LogsBatch(r as ExportRequest<"logs">)],
  ] as const;
  for (const [signal, arb, make] of cases) {
    test(`split ${signal} parts hold at most the limit and together the same items in order`, () => {
      fc.assert(
        fc.property(arb as fc.Arbitrary<ExportRequest>, fc.integer({ min: 1, max: 4 }), (req, max) => {
          const batch = make(req);
          const parts = splitBatch(batch, max);
          for (const p of parts) expect(p.itemCount()).toBeLessThanOrEqual(max);
          expect(parts.reduce((n, p) => n + p.itemCount(), 0)).toBe(batch.itemCount());
          expect(parts.flatMap(flatten)).toEqual(flatten(batch));
        }),
        { numRuns: 150 },
      );
    });
  }

  test("a batch within the limit is returned unchanged; big ones split evenly", () => {
    const small = new LogsBatch(logsRequest(3));
    expect(splitBatch(small, 3)[0]).toBe(small);
    const parts = splitBatch(new MetricsBatch(metricsRequest(10)), 4);
    expect(parts.map((p) => p.itemCount())).toEqual([4, 4, 4]);
    const spans = splitBatch(new TracesBatch(tracesRequest(5, 2)), 4);
    expect(spans.map((p) => p.itemCount())).toEqual([4, 4, 2]);
    expect(flatten(mergeBatches(spans))).toEqual(flatten(new TracesBatch(tracesRequest(5, 2))));
  });
});
