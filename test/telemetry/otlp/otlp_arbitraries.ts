// fast-check generators of OTLP export requests covering every field of every message.

import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  AnyValueSchema,
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  KeyValueSchema,
  type AnyValue,
  type ExportRequest,
  type Signal,
  type KeyValue,
} from "../../../src/telemetry/otlp/pdata.ts";

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const i64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const i32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const bytes = (n?: number) => fc.uint8Array(n === undefined ? { maxLength: 20 } : { minLength: n, maxLength: n });
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 80 }));
const double = fc.double({ noNaN: true });

const anyValue: fc.Arbitrary<AnyValue> = fc.letrec<{ v: AnyValue; kv: KeyValue }>((tie) => ({
  v: fc
    .oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constant({}),
      text.map((value) => ({ value: { case: "stringValue" as const, value } })),
      fc.boolean().map((value) => ({ value: { case: "boolValue" as const, value } })),
      i64.map((value) => ({ value: { case: "intValue" as const, value } })),
      double.map((value) => ({ value: { case: "doubleValue" as const, value } })),
      bytes().map((value) => ({ value: { case: "bytesValue" as const, value } })),
      i32.map((value) => ({ value: { case: "stringValueStrindex" as const, value } })),
      fc.array(tie("v"), { maxLength: 3 }).map((values) => ({ value: { case: "arrayValue" as const, value: { values } } })),
      fc.array(tie("kv"), { maxLength: 3 }).map((values) => ({ value: { case: "kvlistValue" as const, value: { values } } })),
    )
    .map((init) => create(AnyValueSchema, init as never)),
  kv: fc
    .record({ key: text, value: fc.option(tie("v"), { nil: undefined }), keyStrindex: i32 })
    .map(({ key, value, keyStrindex }) => create(KeyValueSchema, value === undefined ? { key, keyStrindex } : { key, value, keyStrindex })),
})).v;
const keyValue = fc.record({ key: text, value: anyValue }).map((x) => create(KeyValueSchema, x));
const attrs = fc.array(keyValue, { maxLength: 4 });
const resource = fc.option(fc.record({ attributes: attrs, droppedAttributesCount: u32 }), { nil: undefined });
const scope = fc.option(fc.record({ name: text, version: text, attributes: attrs, droppedAttributesCount: u32 }), { nil: undefined });

const span = fc.record({
  traceId: bytes(16),
  spanId: bytes(8),
  traceState: text,
  parentSpanId: fc.oneof(bytes(0), bytes(8)),
  flags: u32,
  name: text,
  kind: fc.integer({ min: 0, max: 5 }),
  startTimeUnixNano: u64,
  endTimeUnixNano: u64,
  attributes: attrs,
  droppedAttributesCount: u32,
  events: fc.array(fc.record({ timeUnixNano: u64, name: text, attributes: attrs, droppedAttributesCount: u32 }), { maxLength: 2 }),
  droppedEventsCount: u32,
  links: fc.array(fc.record({ traceId: bytes(16), spanId: bytes(8), traceState: text, attributes: attrs, droppedAttributesCount: u32, flags: u32 }), { maxLength: 2 }),
  droppedLinksCount: u32,
  status: fc.option(fc.record({ message: text, code: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
});
export const traces = fc
  .array(fc.record({ resource, schemaUrl: text, scopeSpans: fc.array(fc.record({ scope, schemaUrl: text, spans: fc.array(span, { maxLength: 3 }) }), { maxLength: 2 }) }), { maxLength: 2 })
  .map((resourceSpans) => create(ExportTraceServiceRequestSchema, { resourceSpans } as never));

const logRecord = fc.record({
  timeUnixNano: u64,
  observedTimeUnixNano: u64,
  severityNumber: fc.integer({ min: 0, max: 24 }),
  severityText: text,
  body: fc.option(anyValue, { nil: undefined }),
  attributes: attrs,
  droppedAttributesCount: u32,
  flags: u32,
  traceId: bytes(16),
  spanId: bytes(8),
  eventName: text,
});
export const logs = fc
  .array(fc.record({ resource, schemaUrl: text, scopeLogs: fc.array(fc.record({ scope, schemaUrl: text, logRecords: fc.array(logRecord, { maxLength: 3 }) }), { maxLength: 2 }) }), { maxLength: 2 })
  .map((resourceLogs) => create(ExportLogsServiceRequestSchema, { resourceLogs } as never));

const exemplar = fc.record({
  filteredAttributes: attrs,
  timeUnixNano: u64,
  value: fc.oneof(fc.constant({}), double.map((value) => ({ case: "asDouble" as const, value })), i64.map((value) => ({ case: "asInt" as const, value }))),
  spanId: bytes(8),
  traceId: bytes(16),
});
const pointBase = { attributes: attrs, startTimeUnixNano: u64, timeUnixNano: u64, flags: u32 };
const numberPoint = fc.record({
  ...pointBase,
  value: fc.oneof(fc.constant({}), double.map((value) => ({ case: "asDouble" as const, value })), i64.map((value) => ({ case: "asInt" as const, value }))),
  exemplars: fc.array(exemplar, { maxLength: 2 }),
});
const optDouble = fc.option(double, { nil: undefined });
const histPoint = fc.record(
  { ...pointBase, count: u64, sum: optDouble, bucketCounts: fc.array(u64, { maxLength: 4 }), explicitBounds: fc.array(double, { maxLength: 3 }), exemplars: fc.array(exemplar, { maxLength: 1 }), min: optDouble, max: optDouble },
  { requiredKeys: ["attributes", "startTimeUnixNano", "timeUnixNano", "flags", "count", "bucketCounts", "explicitBounds", "exemplars"] },
);
const buckets = fc.option(fc.record({ offset: i32, bucketCounts: fc.array(u64, { maxLength: 4 }) }), { nil: undefined });
const expPoint = fc.record(
  { ...pointBase, count: u64, sum: optDouble, scale: i32, zeroCount: u64, positive: buckets, negative: buckets, exemplars: fc.array(exemplar, { maxLength: 1 }), min: optDouble, max: optDouble, zeroThreshold: double },
  { requiredKeys: ["attributes", "startTimeUnixNano", "timeUnixNano", "flags", "count", "scale", "zeroCount", "exemplars", "zeroThreshold"] },
);
const summaryPoint = fc.record({ ...pointBase, count: u64, sum: double, quantileValues: fc.array(fc.record({ quantile: double, value: double }), { maxLength: 3 }) });
const temporality = fc.integer({ min: 0, max: 2 });
const metricData = fc.oneof(
  fc.constant({}),
  fc.array(numberPoint, { maxLength: 2 }).map((dataPoints) => ({ case: "gauge" as const, value: { dataPoints } })),
  fc.record({ dataPoints: fc.array(numberPoint, { maxLength: 2 }), aggregationTemporality: temporality, isMonotonic: fc.boolean() }).map((value) => ({ case: "sum" as const, value })),
  fc.record({ dataPoints: fc.array(histPoint, { maxLength: 2 }), aggregationTemporality: temporality }).map((value) => ({ case: "histogram" as const, value })),
  fc.record({ dataPoints: fc.array(expPoint, { maxLength: 2 }), aggregationTemporality: temporality }).map((value) => ({ case: "exponentialHistogram" as const, value })),
  fc.array(summaryPoint, { maxLength: 2 }).map((dataPoints) => ({ case: "summary" as const, value: { dataPoints } })),
);
const metric = fc.record({ name: text, description: text, unit: text, data: metricData, metadata: attrs });
export const metrics = fc
  .array(fc.record({ resource, schemaUrl: text, scopeMetrics: fc.array(fc.record({ scope, schemaUrl: text, metrics: fc.array(metric, { maxLength: 3 }) }), { maxLength: 2 }) }), { maxLength: 2 })
  .map((resourceMetrics) => create(ExportMetricsServiceRequestSchema, { resourceMetrics } as never));

/** Each signal's export request generator. */
export const requests: Record<Signal, fc.Arbitrary<ExportRequest>> = {
  traces: traces as fc.Arbitrary<ExportRequest>,
  metrics: metrics as fc.Arbitrary<ExportRequest>,
  logs: logs as fc.Arbitrary<ExportRequest>,
};
