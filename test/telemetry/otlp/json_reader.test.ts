import { describe, expect, test } from "bun:test";
import { equals, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { readExportRequestJson } from "../../../src/telemetry/otlp/json_reader.ts";
import { decodeParsedOtlpJson, encodeOtlpJson } from "../../../src/telemetry/otlp/otlp_json.ts";
import { SIGNALS, SIGNAL_DESCRIPTORS, type ExportRequest, type Signal } from "../../../src/telemetry/otlp/pdata.ts";
import { requests } from "./otlp_arbitraries.ts";

type J = null | boolean | number | string | J[] | { [k: string]: J };

const INT64_FIELDS = /(_unix_nano|^int_value|^as_int|^count|^zero_count)$/;

/** The same JSON with snake_case field names and safe int64 strings as numbers, as some senders write it. */
function snakeAndNumbers(v: J): J {
  if (Array.isArray(v)) return v.map(snakeAndNumbers);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, J> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const asNumber = typeof x === "string" && INT64_FIELDS.test(key) && Number.isSafeInteger(Number(x));
    out[key] = asNumber ? Number(x) : snakeAndNumbers(x);
  }
  return out;
}

function check(schema: DescMessage, signal: Signal, req: ExportRequest, variant: (j: J) => J = (j) => j): void {
  const text = new TextDecoder().decode(encodeOtlpJson(schema, req as never));
  const json = variant(JSON.parse(text) as J);
  const fast = readExportRequestJson(signal, structuredClone(json));
  expect(fast).toBeDefined();
  const generic = decodeParsedOtlpJson(schema, structuredClone(json) as never);
  expect(equals(schema, fast as never, generic)).toBe(true);
  expect(fast as unknown).toEqual(generic as unknown);
}

describe("OTLP/JSON request reader", () => {
  for (const signal of SIGNALS) {
    const schema = SIGNAL_DESCRIPTORS[signal].request;
    test(`reads random ${signal} exactly as the generic JSON decoder does`, () => {
      fc.assert(fc.property(requests[signal], (req) => check(schema, signal, req)), { numRuns: 200 });
    });
    test(`reads random ${signal} with snake_case names and numeric int64`, () => {
      fc.assert(fc.property(requests[signal], (req) => check(schema, signal, req, snakeAndNumbers)), { numRuns: 100 });
    });
  }

  test("leaves enum names, nulls and bad ids to the generic decoder", () => {
    expect(readExportRequestJson("traces", { resourceSpans: [{ scopeSpans: [{ spans: [{ kind: "SPAN_KIND_CLIENT" }] }] }] })).toBeUndefined();
    expect(readExportRequestJson("traces", { resourceSpans: [{ resource: null }] })).toBeUndefined();
    expect(readExportRequestJson("logs", { resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: "zz" }] }] }] })).toBeUndefined();
    expect(readExportRequestJson("metrics", [])).toBeUndefined();
  });

  test("ignores unknown fields", () => {
    const req = readExportRequestJson("traces", { resourceSpans: [{ futureField: { a: [1] }, scopeSpans: [{ spans: [{ name: "x", newThing: 1 }] }] }], extra: true });
    expect(req!.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe("x");
  });
});
