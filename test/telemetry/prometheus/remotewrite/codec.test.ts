import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, test } from "bun:test";
import { snappyCompress } from "../../../../wasm/snappy.ts";
import { MetricsBatch } from "../../../../src/telemetry/prometheus/batch.ts";
import { WriteRequestSchema } from "../../../../src/telemetry/prometheus/gen/prometheus/remote_pb.ts";
import {
  Histogram_ResetHint,
  MetricMetadata_MetricType,
  type TimeSeries,
  TimeSeriesSchema,
} from "../../../../src/telemetry/prometheus/gen/prometheus/types_pb.ts";
import type { NativeHistogram } from "../../../../src/telemetry/prometheus/histogram.ts";
import { Labels } from "../../../../src/telemetry/prometheus/labels.ts";
import { decodeWriteRequest } from "../../../../src/telemetry/prometheus/remotewrite/decode.ts";
import { encodeWriteRequest, familyMetadata } from "../../../../src/telemetry/prometheus/remotewrite/encode.ts";
import { decodeRemoteWriteBody, remoteWriteHeaders } from "../../../../src/telemetry/prometheus/remotewrite/http.ts";

const up = Labels.fromStrings("__name__", "up", "job", "node", "instance", "host:9100");
const lat = Labels.fromStrings("__name__", "req_seconds", "path", "/ünï");
const intHist: NativeHistogram = {
  kind: "int",
  counterResetHint: 2,
  schema: 3,
  zeroThreshold: 1e-128,
  zeroCount: 4,
  count: 19,
  sum: 12.5,
  positiveSpans: [{ offset: -2, length: 2 }, { offset: 1, length: 1 }],
  negativeSpans: [{ offset: 0, length: 1 }],
  positiveBuckets: [5, -1, 3],
  negativeBuckets: [2],
  customValues: [],
};
const floatHist: NativeHistogram = {
  kind: "float",
  counterResetHint: 3,
  schema: -53,
  zeroThreshold: 0,
  zeroCount: 0,
  count: 7.5,
  sum: -3,
  positiveSpans: [{ offset: 0, length: 3 }],
  negativeSpans: [],
  positiveBuckets: [1, 2.5, 4],
  negativeBuckets: [],
  customValues: [0.1, 1, 10],
};

function sampleBatch(): MetricsBatch {
  const b = new MetricsBatch(2);
  b.appendSample(up, 1_700_000_000_000, 1);
  b.appendSample(lat, 1_700_000_000_000, 0);
  b.appendSample(up, 1_700_000_015_000, -0);
  b.appendSample(lat, 0, -12.75);
  b.appendSample(up, -5, Infinity);
  b.appendExemplar(lat, { labels: Labels.fromStrings("trace_id", "abc"), value: 0.3, timestamp: 1_700_000_000_001, hasTimestamp: true });
  b.appendExemplar(lat, { labels: Labels.EMPTY, value: 0, timestamp: 0, hasTimestamp: false });
  const h = Labels.fromStrings("__name__", "native");
  b.appendHistogram(h, 1_700_000_000_000, intHist);
  b.appendHistogram(h, 1_700_000_060_000, floatHist);
  b.updateMetadata(up, { type: "gauge", help: "Up.", unit: "" });
  b.updateMetadata(lat, { type: "histogram", help: "", unit: "seconds" });
  return b;
}

function labelsMsg(l: Labels) {
  return [...l].map(([name, value]) => ({ name, value }));
}

function histMsg(h: NativeHistogram, timestamp: bigint) {
  const isInt = h.kind === "int";
  return {
    count: isInt ? { case: "countInt" as const, value: BigInt(h.count) } : { case: "countFloat" as const, value: h.count },
    sum: h.sum,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: isInt ? { case: "zeroCountInt" as const, value: BigInt(h.zeroCount) } : { case: "zeroCountFloat" as const, value: h.zeroCount },
    negativeSpans: h.negativeSpans,
    negativeDeltas: isInt ? h.negativeBuckets.map(BigInt) : [],
    negativeCounts: isInt ? [] : h.negativeBuckets,
    positiveSpans: h.positiveSpans,
    positiveDeltas: isInt ? h.positiveBuckets.map(BigInt) : [],
    positiveCounts: isInt ? [] : h.positiveBuckets,
    resetHint: h.counterResetHint as Histogram_ResetHint,
    timestamp,
    customValues: h.customValues,
  };
}

describe("remote write encoding", () => {
  test("is byte-identical to @bufbuild/protobuf's encoding of the same WriteRequest", () => {
    const batch = sampleBatch();
    const ours = encodeWriteRequest(batch, familyMetadata(batch));
    const series: TimeSeries[] = [
      create(TimeSeriesSchema, {
        labels: labelsMsg(up),
        samples: [
          { value: 1, timestamp: 1_700_000_000_000n },
          { value: -0, timestamp: 1_700_000_015_000n },
          { value: Infinity, timestamp: -5n },
        ],
      }),
      create(TimeSeriesSchema, {
        labels: labelsMsg(lat),
        samples: [
          { value: 0, timestamp: 1_700_000_000_000n },
          { value: -12.75, timestamp: 0n },
        ],
        exemplars: [
          { labels: [{ name: "trace_id", value: "abc" }], value: 0.3, timestamp: 1_700_000_000_001n },
          { labels: [], value: 0, timestamp: 0n },
        ],
      }),
      create(TimeSeriesSchema, {
        labels: [{ name: "__name__", value: "native" }],
        histograms: [histMsg(intHist, 1_700_000_000_000n), histMsg(floatHist, 1_700_000_060_000n)],
      }),
    ];
    const ref = toBinary(
      WriteRequestSchema,
      create(WriteRequestSchema, {
        timeseries: series,
        metadata: [
          { type: MetricMetadata_MetricType.GAUGE, metricFamilyName: "up", help: "Up.", unit: "" },
          { type: MetricMetadata_MetricType.HISTOGRAM, metricFamilyName: "req_seconds", help: "", unit: "seconds" },
        ],
      }),
    );
    expect(Buffer.from(ours).toString("hex")).toBe(Buffer.from(ref).toString("hex"));
    // And @bufbuild reads it back.
    const back = fromBinary(WriteRequestSchema, ours);
    expect(back.timeseries.length).toBe(3);
    expect(back.timeseries[2]!.histograms[0]!.positiveDeltas).toEqual([5n, -1n, 3n]);
  });

  test("groups interleaved samples per series and writes long and short labels byte-identically to @bufbuild/protobuf", () => {
    const long = Labels.fromStrings("__name__", "long", "v", "x".repeat(200));
    const short = Labels.fromStrings("__name__", "short", "a", "1");
    const b = new MetricsBatch();
    b.appendSample(short, 1000, 1);
    b.appendSample(long, 1000, 2);
    b.appendSample(short, 2000, 3);
    b.appendSample(lat, 2000, 4);
    b.appendSample(long, 3000, 5);
    const ref = toBinary(
      WriteRequestSchema,
      create(WriteRequestSchema, {
        timeseries: [
          { labels: labelsMsg(short), samples: [{ value: 1, timestamp: 1000n }, { value: 3, timestamp: 2000n }] },
          { labels: labelsMsg(long), samples: [{ value: 2, timestamp: 1000n }, { value: 5, timestamp: 3000n }] },
          { labels: labelsMsg(lat), samples: [{ value: 4, timestamp: 2000n }] },
        ].map((t) => create(TimeSeriesSchema, t)),
      }),
    );
    // Twice: the second request reuses what the first cached per series.
    for (let i = 0; i < 2; i++) expect(Buffer.from(encodeWriteRequest(b)).toString("hex")).toBe(Buffer.from(ref).toString("hex"));
  });

  test("decodes what it encodes, keeping staleness markers", () => {
    const batch = sampleBatch();
    batch.appendStaleMarker(up, 1_700_000_030_000);
    const { batch: got, metadata } = decodeWriteRequest(encodeWriteRequest(batch, familyMetadata(batch)));
    expect(got.length).toBe(6);
    const ups: [number, number, boolean][] = [];
    got.forEachSample((s, t, v, stale) => {
      if (s.equals(up)) ups.push([t, v, stale]);
    });
    expect(ups.map((u) => u[0])).toEqual([1_700_000_000_000, 1_700_000_015_000, -5, 1_700_000_030_000]);
    expect(Object.is(ups[1]![1], -0)).toBe(true);
    expect(ups[3]![2]).toBe(true);
    expect(got.exemplars.length).toBe(2);
    expect(got.exemplars[0]!.exemplar.labels.get("trace_id")).toBe("abc");
    expect(got.histograms.map((h) => h.histogram)).toEqual([intHist, floatHist]);
    expect(metadata).toEqual([
      { metricFamilyName: "up", type: "gauge", help: "Up.", unit: "" },
      { metricFamilyName: "req_seconds", type: "histogram", help: "", unit: "seconds" },
    ]);
  });

  test("histogram staleness markers survive a round trip", () => {
    const b = new MetricsBatch();
    b.appendHistogramStaleMarker(Labels.fromStrings("__name__", "h"), 10, floatHist);
    const got = decodeWriteRequest(encodeWriteRequest(b)).batch;
    expect(got.histograms[0]!.stale).toBe(true);
  });

  test("rejects garbage with an error that says where", () => {
    const good = encodeWriteRequest(sampleBatch());
    expect(() => decodeWriteRequest(good.subarray(0, good.length - 3))).toThrow(/malformed remote write request: .* at byte \d+ in WriteRequest/);
    expect(() => decodeWriteRequest(new Uint8Array([0x0a, 0x05, 0x0a]))).toThrow(/length 5 runs past the end/);
    expect(() => decodeWriteRequest(new Uint8Array([0x0b]))).toThrow(/wire type 3/);
    expect(() => decodeWriteRequest(new TextEncoder().encode("hello, this is not protobuf"))).toThrow(/malformed remote write request/);
    const dup = toBinary(
      WriteRequestSchema,
      create(WriteRequestSchema, { timeseries: [{ labels: [{ name: "a", value: "1" }, { name: "a", value: "2" }] }] }),
    );
    expect(() => decodeWriteRequest(dup)).toThrow(/duplicate label name "a" .*timeseries\[0\]/);
  });

  test("HTTP framing: headers, content checks and snappy", () => {
    expect(remoteWriteHeaders("Alloy/v1")).toEqual({
      "Content-Encoding": "snappy",
      "Content-Type": "application/x-protobuf",
      "User-Agent": "Alloy/v1",
      "X-Prometheus-Remote-Write-Version": "0.1.0",
    });
    const body = snappyCompress(encodeWriteRequest(sampleBatch()));
    const h = (o: Record<string, string>) => new Headers(o);
    expect(decodeRemoteWriteBody(body, h({ "content-type": "application/x-protobuf", "content-encoding": "snappy" })).batch.length).toBe(5);
    expect(() => decodeRemoteWriteBody(body, h({ "content-type": "application/json" }))).toThrow(/unsupported Content-Type/);
    expect(() => decodeRemoteWriteBody(body, h({ "content-type": "application/x-protobuf;proto=io.prometheus.write.v2.Request" }))).toThrow(
      /unsupported protobuf message/,
    );
    let status = 0;
    try {
      decodeRemoteWriteBody(body.subarray(0, 10), h({}));
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(400);
  });
});
