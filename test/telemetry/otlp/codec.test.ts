import { describe, expect, test } from "bun:test";
import { equals } from "@bufbuild/protobuf";
import zlib from "node:zlib";
import {
  decodeExportRequest,
  decodeExportResponse,
  encodeExportRequest,
  encodeExportResponse,
  encodingOfContentType,
} from "../../../src/telemetry/otlp/codec.ts";
import { decompress } from "../../../src/telemetry/otlp/compression.ts";
import { SIGNALS } from "../../../src/telemetry/otlp/signal.ts";
import { PayloadError } from "../../../src/telemetry/otlp/payload_error.ts";
import {
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
} from "../../../src/telemetry/otlp/pdata.ts";
import { exportResponse, fullSuccessBody, partialSuccessOf } from "../../../src/telemetry/otlp/response.ts";
import { logsRequest, metricsRequest, tracesRequest } from "./fixtures.ts";

function thrown(fn: () => unknown): PayloadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PayloadError) return e;
    throw e;
  }
  throw new Error("expected a PayloadError");
}

async function rejected(p: Promise<unknown>): Promise<PayloadError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PayloadError) return e;
    throw e;
  }
  throw new Error("expected a PayloadError");
}

describe("OTLP protobuf and JSON", () => {
  for (const encoding of ["protobuf", "json"] as const) {
    test(`${encoding} round-trips traces, metrics and logs`, () => {
      const t = tracesRequest(3, 2);
      expect(equals(ExportTraceServiceRequestSchema, decodeExportRequest("traces", encodeExportRequest("traces", t, encoding), encoding), t)).toBe(true);
      const m = metricsRequest(3);
      expect(equals(ExportMetricsServiceRequestSchema, decodeExportRequest("metrics", encodeExportRequest("metrics", m, encoding), encoding), m)).toBe(true);
      const l = logsRequest(3);
      expect(equals(ExportLogsServiceRequestSchema, decodeExportRequest("logs", encodeExportRequest("logs", l, encoding), encoding), l)).toBe(true);
    });
  }

  test("JSON writes ids as hex, enums as integers, int64 as strings, lowerCamelCase keys", () => {
    const json = JSON.parse(new TextDecoder().decode(encodeExportRequest("traces", tracesRequest(1), "json")));
    const span = json.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.links[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.kind).toBe(2);
    expect(span.status.code).toBe(2);
    expect(span.startTimeUnixNano).toBe("1700000000000000000");
    // bytes attribute values stay base64, as in the protobuf JSON mapping
    expect(span.attributes.find((a: { key: string }) => a.key === "blob").value.bytesValue).toBe("AQL/");
    const logs = JSON.parse(new TextDecoder().decode(encodeExportRequest("logs", logsRequest(1), "json")));
    expect(logs.resourceLogs[0].scopeLogs[0].logRecords[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(logs.resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber).toBe(13);
    const metrics = JSON.parse(new TextDecoder().decode(encodeExportRequest("metrics", metricsRequest(1), "json")));
    expect(metrics.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].exemplars[0].spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  test("JSON reader accepts snake_case names, numeric int64, enum names and ignores unknown fields", () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: "5b8efff798038103d269b633813fc60c",
                  span_id: "eee19b7ec3c1b174",
                  name: "x",
                  kind: "SPAN_KIND_CLIENT",
                  start_time_unix_nano: 1544712660000000000,
                  somethingNew: { a: 1 },
                },
              ],
            },
          ],
        },
      ],
    });
    const req = decodeExportRequest("traces", new TextEncoder().encode(text), "json");
    const span = req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(Buffer.from(span.traceId).toString("hex")).toBe("5b8efff798038103d269b633813fc60c");
    expect(Buffer.from(span.spanId).toString("hex")).toBe("eee19b7ec3c1b174");
    expect(span.kind).toBe(3);
    expect(span.startTimeUnixNano).toBe(1544712660000000000n);
  });

  test("bad JSON payloads name what was wrong", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(thrown(() => decodeExportRequest("traces", enc("{not json"), "json")).message).toContain("invalid JSON");
    expect(thrown(() => decodeExportRequest("traces", enc("[]"), "json")).message).toContain("want a JSON object");
    const badId = thrown(() =>
      decodeExportRequest("traces", enc('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]}'), "json"),
    );
    expect(badId.problem).toBe("invalid");
    expect(badId.message).toContain("resourceSpans[0].scopeSpans[0].spans[0]");
    expect(thrown(() => decodeExportRequest("logs", enc('{"resourceLogs":"nope"}'), "json")).message).toContain("ExportLogsServiceRequest");
  });

  test("garbage protobuf is refused as invalid", () => {
    const err = thrown(() => decodeExportRequest("traces", new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), "protobuf"));
    expect(err.problem).toBe("invalid");
    expect(err.message).toContain("ExportTraceServiceRequest");
  });

  test("content types map to encodings", () => {
    expect(encodingOfContentType("application/x-protobuf")).toBe("protobuf");
    expect(encodingOfContentType("application/json; charset=utf-8")).toBe("json");
    expect(encodingOfContentType("text/plain")).toBeUndefined();
  });

  test("responses carry partial success in both encodings", () => {
    for (const encoding of ["protobuf", "json"] as const) {
      const res = exportResponse("metrics", { rejected: 3, message: "3 points too old" });
      const back = decodeExportResponse("metrics", encodeExportResponse("metrics", res, encoding), encoding);
      expect(partialSuccessOf(back)).toEqual({ rejected: 3, message: "3 points too old" });
    }
    expect(partialSuccessOf(exportResponse("logs"))).toBeUndefined();
  });
});

describe("decompression", () => {
  test("gzip bodies are inflated", async () => {
    const body = encodeExportRequest("traces", tracesRequest(5), "protobuf");
    const out = await decompress("gzip", zlib.gzipSync(body), 1 << 20);
    expect(Buffer.from(out).equals(Buffer.from(body))).toBe(true);
  });

  test("a gzip bomb stops at the limit instead of inflating fully", async () => {
    const bomb = zlib.gzipSync(new Uint8Array(256 << 20)); // 256 MiB of zeros in ~256 KiB
    const before = process.memoryUsage().rss;
    const err = await rejected(decompress("gzip", bomb, 4 << 20));
    expect(err.problem).toBe("too_large");
    expect(process.memoryUsage().rss - before).toBeLessThan(128 << 20);
  });

  test("snappy bodies in block and framed format are inflated, within the limit", async () => {
    const { snappyCompress } = await import("../../../wasm/snappy.ts");
    const body = encodeExportRequest("traces", tracesRequest(5), "protobuf");
    const block = snappyCompress(body);
    expect(Buffer.from(await decompress("snappy", block, 1 << 20)).equals(Buffer.from(body))).toBe(true);
    // Framing format: stream identifier, then one compressed chunk (type 0, 3-byte length, 4-byte checksum).
    const chunkLen = block.length + 4;
    const framed = Uint8Array.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59, 0x00, chunkLen & 0xff, (chunkLen >> 8) & 0xff, chunkLen >> 16, 0, 0, 0, 0, ...block]);
    expect(Buffer.from(await decompress("x-snappy-framed", framed, 1 << 20)).equals(Buffer.from(body))).toBe(true);
    expect(Buffer.from(await decompress("snappy", framed, 1 << 20)).equals(Buffer.from(body))).toBe(true);
    expect((await rejected(decompress("snappy", snappyCompress(new Uint8Array(1 << 20)), 1000))).problem).toBe("too_large");
    expect((await rejected(decompress("snappy", Uint8Array.from([0x10, 0xff, 0xff]), 1 << 20))).problem).toBe("invalid");
  });

  test("truncated gzip is invalid, unknown encodings are unsupported", async () => {
    const gz = zlib.gzipSync(new Uint8Array(1000).fill(7));
    expect((await rejected(decompress("gzip", gz.subarray(0, gz.length - 8), 1 << 20))).problem).toBe("invalid");
    expect((await rejected(decompress("br", gz, 1 << 20))).problem).toBe("unsupported_encoding");
    expect((await rejected(decompress("", new Uint8Array(10), 5))).problem).toBe("too_large");
  });
});

describe("full success body", () => {
  test("is the encoding of a response with no partial success, in both encodings", () => {
    for (const signal of SIGNALS) {
      for (const encoding of ["protobuf", "json"] as const) {
        expect(fullSuccessBody(encoding)).toEqual(encodeExportResponse(signal, exportResponse(signal), encoding));
      }
    }
  });
});
