import { describe, expect, test } from "bun:test";
import { WIRE_SCHEMA } from "../../../src/telemetry/otlp/gen/wire_schema_data.ts";
import { SIGNALS, SIGNAL_DESCRIPTORS } from "../../../src/telemetry/otlp/pdata.ts";
import { SIGNAL_FACTS } from "../../../src/telemetry/otlp/signal.ts";
import { wireSchemaOf } from "../../../src/telemetry/otlp/wire_schema.ts";

describe("wire schema", () => {
  test("the generated schema is the one the descriptors give (run scripts/gen-proto-otlp.ts after changing a .proto)", () => {
    expect(WIRE_SCHEMA).toEqual(wireSchemaOf(SIGNALS.map((s) => SIGNAL_DESCRIPTORS[s].request)));
  });

  test("covers every message an export request can hold, AnyValue's recursion included", () => {
    const names = Object.keys(WIRE_SCHEMA);
    expect(names).toContain("opentelemetry.proto.common.v1.AnyValue");
    expect(names).toContain("opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets");
    const anyValue = WIRE_SCHEMA["opentelemetry.proto.common.v1.AnyValue"]!;
    expect(anyValue.every((f) => f.oneof === "value")).toBe(true);
    expect(anyValue.find((f) => f.number === 5)).toEqual({ number: 5, kind: "message", message: "opentelemetry.proto.common.v1.ArrayValue", oneof: "value" });
  });
});

describe("signal facts", () => {
  test("name the messages and services the descriptors define", () => {
    for (const s of SIGNALS) {
      const d = SIGNAL_DESCRIPTORS[s];
      expect([SIGNAL_FACTS[s].requestType, SIGNAL_FACTS[s].responseType, SIGNAL_FACTS[s].serviceType]).toEqual([d.request.typeName, d.response.typeName, d.service.typeName]);
    }
  });
});
