// Small OTLP requests for tests, built with the generated schemas.

import { create } from "@bufbuild/protobuf";
import {
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  type ExportLogsServiceRequest,
  type ExportMetricsServiceRequest,
  type ExportTraceServiceRequest,
  Span_SpanKind,
  SeverityNumber,
  AggregationTemporality,
} from "../../../src/telemetry/otlp/pdata.ts";

function attrs(i: number) {
  return [
    { key: "http.method", value: { value: { case: "stringValue" as const, value: "GET" } } },
    { key: "index", value: { value: { case: "intValue" as const, value: BigInt(i) } } },
    { key: "ratio", value: { value: { case: "doubleValue" as const, value: i / 3 } } },
    { key: "ok", value: { value: { case: "boolValue" as const, value: i % 2 === 0 } } },
    { key: "blob", value: { value: { case: "bytesValue" as const, value: new Uint8Array([1, 2, 255]) } } },
    {
      key: "list",
      value: {
        value: {
          case: "arrayValue" as const,
          value: { values: [{ value: { case: "stringValue" as const, value: "a" } }] },
        },
      },
    },
  ];
}

function id(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return out;
}

export function tracesRequest(spans = 3, resources = 1): ExportTraceServiceRequest {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: Array.from({ length: resources }, (_, r) => ({
      resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue" as const, value: `svc-${r}` } } }] },
      schemaUrl: "https://opentelemetry.io/schemas/1.21.0",
      scopeSpans: [
        {
          scope: { name: "test-scope", version: "1.0.0" },
          spans: Array.from({ length: spans }, (_, i) => ({
            traceId: id(16, i),
            spanId: id(8, i + 100),
            parentSpanId: i > 0 ? id(8, 99) : new Uint8Array(),
            name: `span-${i}`,
            kind: Span_SpanKind.SERVER,
            startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
            endTimeUnixNano: 1_700_000_000_100_000_000n + BigInt(i),
            attributes: attrs(i),
            events: [{ name: "ev", timeUnixNano: 1_700_000_000_050_000_000n, attributes: attrs(0) }],
            links: [{ traceId: id(16, 7), spanId: id(8, 8) }],
            status: { code: 2, message: "boom" },
          })),
        },
      ],
    })),
  });
}

export function metricsRequest(points = 2): ExportMetricsServiceRequest {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "svc" } } }] },
        scopeMetrics: [
          {
            scope: { name: "m" },
            metrics: [
              {
                name: "requests",
                unit: "1",
                data: {
                  case: "sum",
                  value: {
                    aggregationTemporality: AggregationTemporality.CUMULATIVE,
                    isMonotonic: true,
                    dataPoints: Array.from({ length: points }, (_, i) => ({
                      attributes: attrs(i),
                      timeUnixNano: 1_700_000_000_000_000_000n,
                      value: { case: "asInt" as const, value: BigInt(i) },
                      exemplars: [{ traceId: id(16, 1), spanId: id(8, 2), value: { case: "asDouble" as const, value: 1.5 } }],
                    })),
                  },
                },
              },
              {
                name: "latency",
                data: {
                  case: "histogram",
                  value: {
                    aggregationTemporality: AggregationTemporality.DELTA,
                    dataPoints: [{ count: 3n, sum: 4.5, bucketCounts: [1n, 2n], explicitBounds: [1] }],
                  },
                },
              },
              { name: "temp", data: { case: "gauge", value: { dataPoints: [{ value: { case: "asDouble", value: 21.5 } }] } } },
            ],
          },
        ],
      },
    ],
  });
}

export function logsRequest(records = 2): ExportLogsServiceRequest {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [
      {
        resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "svc" } } }] },
        scopeLogs: [
          {
            scope: { name: "l" },
            logRecords: Array.from({ length: records }, (_, i) => ({
              timeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
              severityNumber: SeverityNumber.WARN,
              severityText: "WARN",
              body: { value: { case: "stringValue" as const, value: `line ${i}` } },
              attributes: attrs(i),
              traceId: id(16, 3),
              spanId: id(8, 4),
              flags: 1,
            })),
          },
        ],
      },
    ],
  });
}

/** Polls `cond` until it is true or the deadline passes. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
