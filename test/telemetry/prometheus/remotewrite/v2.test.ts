import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, test } from "bun:test";
import { snappyCompress } from "../../../../wasm/snappy.ts";
import { MetricsBatch } from "../../../../src/telemetry/prometheus/batch.ts";
import { Metadata_MetricType, RequestSchema } from "../../../../src/telemetry/prometheus/gen/io/prometheus/write/v2/types_pb.ts";
import { Labels } from "../../../../src/telemetry/prometheus/labels.ts";
import { encodeWriteRequest } from "../../../../src/telemetry/prometheus/remotewrite/encode.ts";
import { decodeRemoteWriteBody, remoteWriteHeaders } from "../../../../src/telemetry/prometheus/remotewrite/http.ts";
import { decodeWriteRequestV2, encodeWriteRequestV2 } from "../../../../src/telemetry/prometheus/remotewrite/v2.ts";

const up = Labels.fromStrings("__name__", "up", "job", "node");
const req = Labels.fromStrings("__name__", "http_requests_total", "job", "node");

function batch(): MetricsBatch {
  const b = new MetricsBatch();
  b.appendSample(up, 1000, 1);
  b.appendSample(req, 1000, 0);
  b.appendSample(up, 2000, -0);
  b.appendExemplar(req, { labels: Labels.fromStrings("trace_id", "abc"), value: 2, timestamp: 999, hasTimestamp: true });
  b.updateMetadata(Labels.fromStrings("__name__", "http_requests"), { type: "counter", help: "Requests.", unit: "" });
  return b;
}

describe("remote write 2.0", () => {
  test("encoding is byte-identical to @bufbuild/protobuf's, with interned symbols", () => {
    const ours = encodeWriteRequestV2(batch());
    // Symbols in order of first use: "", __name__, up, job, node, http_requests_total, trace_id, abc, Requests.
    const ref = toBinary(
      RequestSchema,
      create(RequestSchema, {
        symbols: ["", "__name__", "up", "job", "node", "http_requests_total", "trace_id", "abc", "Requests."],
        timeseries: [
          { labelsRefs: [1, 2, 3, 4], samples: [{ value: 1, timestamp: 1000n }, { value: -0, timestamp: 2000n }], metadata: {} },
          {
            labelsRefs: [1, 5, 3, 4],
            samples: [{ value: 0, timestamp: 1000n }],
            exemplars: [{ labelsRefs: [6, 7], value: 2, timestamp: 999n }],
            metadata: { type: Metadata_MetricType.COUNTER, helpRef: 8 },
          },
        ],
      }),
    );
    expect(Buffer.from(ours).toString("hex")).toBe(Buffer.from(ref).toString("hex"));
  });

  test("decodes back to series, exemplars and per-series metadata", () => {
    const b = batch();
    b.appendStaleMarker(up, 3000);
    const got = decodeWriteRequestV2(encodeWriteRequestV2(b));
    expect(got.length).toBe(4);
    expect(got.series[0]).toEqual(up);
    expect(got.isStale(2)).toBe(true);
    expect(got.exemplars[0]!.exemplar.labels.toObject()).toEqual({ trace_id: "abc" });
    expect(got.metadata).toEqual([{ series: req, metadata: { type: "counter", help: "Requests.", unit: "" } }]);
  });

  test("rejects bad symbol references and 1.0 payloads with clear errors", () => {
    const bad = toBinary(RequestSchema, create(RequestSchema, { symbols: [""], timeseries: [{ labelsRefs: [1, 2] }] }));
    expect(() => decodeWriteRequestV2(bad)).toThrow(/labels_refs references symbol 2, but there are only 1 .*timeseries\[0\]/);
    const odd = toBinary(RequestSchema, create(RequestSchema, { symbols: ["", "a"], timeseries: [{ labelsRefs: [1] }] }));
    expect(() => decodeWriteRequestV2(odd)).toThrow(/odd number of references/);
    const v1 = new MetricsBatch();
    v1.appendSample(up, 1, 1);
    expect(() => decodeWriteRequestV2(encodeWriteRequest(v1))).toThrow(/reserved in remote write 2.0/);
  });

  test("the HTTP decoder picks the message from Content-Type and honours the accepted list", () => {
    const body = snappyCompress(encodeWriteRequestV2(batch()));
    const headers = new Headers(remoteWriteHeaders("test", "io.prometheus.write.v2.Request"));
    expect(headers.get("content-type")).toBe("application/x-protobuf;proto=io.prometheus.write.v2.Request");
    expect(headers.get("x-prometheus-remote-write-version")).toBe("2.0.0");
    expect(() => decodeRemoteWriteBody(body, headers)).toThrow(/unsupported protobuf message "io.prometheus.write.v2.Request"/);
    const got = decodeRemoteWriteBody(body, headers, undefined, ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"]);
    expect(got.message).toBe("io.prometheus.write.v2.Request");
    expect(got.batch.length).toBe(3);
    expect(got.metadata).toEqual([{ metricFamilyName: "http_requests_total", type: "counter", help: "Requests.", unit: "" }]);
  });
});
