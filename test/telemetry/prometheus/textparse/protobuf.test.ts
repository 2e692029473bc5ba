import { create } from "@bufbuild/protobuf";
import { sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import { describe, expect, test } from "bun:test";
import { MetricFamilySchema, MetricType, type MetricFamily } from "../../../../src/telemetry/prometheus/gen/io/prometheus/client/metrics_pb.ts";
import { ProtobufParser } from "../../../../src/telemetry/prometheus/textparse/protobuf.ts";
import { drain } from "./helpers.ts";

function body(...families: MetricFamily[]): Uint8Array {
  const parts = families.map((f) => sizeDelimitedEncode(MetricFamilySchema, f));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const counter = create(MetricFamilySchema, {
  name: "http_requests_total",
  help: "Requests.",
  type: MetricType.COUNTER,
  metric: [
    {
      label: [{ name: "code", value: "200" }],
      counter: {
        value: 42,
        exemplar: { label: [{ name: "trace_id", value: "t1" }], value: 1, timestamp: { seconds: 1625851153n, nanos: 146848499 } },
        createdTimestamp: { seconds: 1625851000n, nanos: 500_000_000 },
      },
      timestampMs: 1234568n,
    },
  ],
});

const summary = create(MetricFamilySchema, {
  name: "rpc_seconds",
  help: "",
  unit: "seconds",
  type: MetricType.SUMMARY,
  metric: [{ summary: { sampleCount: 9n, sampleSum: 1.5, quantile: [{ quantile: 0.5, value: 0.1 }, { quantile: 1, value: 0.9 }] } }],
});

const classic = create(MetricFamilySchema, {
  name: "latency",
  type: MetricType.HISTOGRAM,
  metric: [
    {
      histogram: {
        sampleCount: 10n,
        sampleSum: 3,
        bucket: [
          { cumulativeCount: 2n, upperBound: 0.1, exemplar: { label: [{ name: "id", value: "x" }], value: 0.05 } },
          { cumulativeCount: 7n, upperBound: 1 },
        ],
      },
    },
  ],
});

const native = create(MetricFamilySchema, {
  name: "native",
  type: MetricType.GAUGE_HISTOGRAM,
  metric: [
    {
      histogram: {
        sampleCount: 5n,
        sampleSum: 2.5,
        schema: 3,
        zeroThreshold: 1e-128,
        zeroCount: 1n,
        positiveSpan: [{ offset: -1, length: 2 }],
        positiveDelta: [2n, 0n],
        bucket: [{ cumulativeCount: 5n, upperBound: 1 }],
        exemplars: [
          { label: [{ name: "id", value: "a" }], value: 0.3, timestamp: { seconds: 10n, nanos: 0 } },
          { label: [{ name: "id", value: "b" }], value: 0.4 },
        ],
      },
    },
  ],
});

describe("protobuf exposition format", () => {
  test("emits the entries a text exposition would have", () => {
    const got = drain(new ProtobufParser(body(counter, create(MetricFamilySchema, { name: "empty" }), summary, classic)), { ct: true });
    expect(got).toEqual([
      { kind: "help", m: "http_requests_total", help: "Requests." },
      { kind: "type", m: "http_requests_total", type: "counter" },
      {
        kind: "series",
        m: "http_requests_total\xffcode\xff200",
        v: 42,
        t: 1234568,
        labels: { __name__: "http_requests_total", code: "200" },
        exemplars: [{ labels: { trace_id: "t1" }, value: 1, ts: 1625851153146 }],
        ct: 1625851000500,
      },
      { kind: "help", m: "rpc_seconds", help: "" },
      { kind: "unit", m: "rpc_seconds", unit: "seconds" },
      { kind: "type", m: "rpc_seconds", type: "summary" },
      { kind: "series", m: "rpc_seconds_count", v: 9, labels: { __name__: "rpc_seconds_count" } },
      { kind: "series", m: "rpc_seconds_sum", v: 1.5, labels: { __name__: "rpc_seconds_sum" } },
      { kind: "series", m: "rpc_seconds\xffquantile\xff0.5", v: 0.1, labels: { __name__: "rpc_seconds", quantile: "0.5" } },
      { kind: "series", m: "rpc_seconds\xffquantile\xff1.0", v: 0.9, labels: { __name__: "rpc_seconds", quantile: "1.0" } },
      { kind: "help", m: "latency", help: "" },
      { kind: "type", m: "latency", type: "histogram" },
      { kind: "series", m: "latency_count", v: 10, labels: { __name__: "latency_count" } },
      { kind: "series", m: "latency_sum", v: 3, labels: { __name__: "latency_sum" } },
      {
        kind: "series",
        m: "latency_bucket\xffle\xff0.1",
        v: 2,
        labels: { __name__: "latency_bucket", le: "0.1" },
        exemplars: [{ labels: { id: "x" }, value: 0.05 }],
      },
      { kind: "series", m: "latency_bucket\xffle\xff1.0", v: 7, labels: { __name__: "latency_bucket", le: "1.0" } },
      { kind: "series", m: "latency_bucket\xffle\xff+Inf", v: 10, labels: { __name__: "latency_bucket", le: "+Inf" } },
      { kind: "eof" },
    ]);
  });

  test("adds __type__ and __unit__ from the family when asked", () => {
    const p = new ProtobufParser(body(summary), { typeAndUnitLabels: true });
    const got = drain(p).filter((e) => e.kind === "series");
    expect(got[2]!.labels).toEqual({ __name__: "rpc_seconds", __type__: "summary", __unit__: "seconds", quantile: "0.5" });
  });

  test("native histograms, with timestamped exemplars only, and classic series on request", () => {
    const p = new ProtobufParser(body(native), { keepClassicHistograms: true });
    const got = drain(p);
    expect(got.map((g) => g.kind)).toEqual(["help", "type", "histogram", "series", "series", "series", "series", "eof"]);
    expect(got[2]!.exemplars).toEqual([{ labels: { id: "a" }, value: 0.3, ts: 10000 }]);
    const p2 = new ProtobufParser(body(native));
    p2.next();
    p2.next();
    expect(p2.next()).toBe("histogram");
    expect(p2.histogram()).toEqual({
      kind: "int",
      counterResetHint: 3,
      schema: 3,
      zeroThreshold: 1e-128,
      sum: 2.5,
      positiveSpans: [{ offset: -1, length: 2 }],
      negativeSpans: [],
      customValues: [],
      count: 5,
      zeroCount: 1,
      positiveBuckets: [2, 0],
      negativeBuckets: [],
    });
    expect(drain(new ProtobufParser(body(native), { ignoreNativeHistograms: true })).map((g) => g.kind)).toEqual([
      "help", "type", "series", "series", "series", "series", "eof",
    ]);
  });

  test("reports malformed input as an error value naming the family", () => {
    const good = body(counter, summary);
    const p = new ProtobufParser(good.subarray(0, good.length - 4));
    const got = drain(p);
    expect(got[got.length - 1]!.kind).toBe("invalid");
    expect(p.error!.line).toBe(2);
    expect(p.error!.message).toMatch(/MetricFamily #2/);
    const bad = create(MetricFamilySchema, { name: "h", type: MetricType.HISTOGRAM, metric: [{ histogram: { schema: 1, positiveSpan: [{ offset: 0, length: 3 }], positiveDelta: [1n] } }] });
    const p2 = new ProtobufParser(body(bad));
    drain(p2);
    expect(p2.error!.message).toBe('histogram "h": positive side: spans require 3 buckets, have 1');
    expect(drain(new ProtobufParser(new Uint8Array([0x05, 0x0a, 0x10]))).at(-1)!.kind).toBe("invalid");
  });
});
