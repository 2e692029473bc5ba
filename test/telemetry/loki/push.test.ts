import { describe, expect, test } from "bun:test";
import type { Stream } from "../../../src/telemetry/loki/entry.ts";
import { decodeJsonPush, encodeJsonPush } from "../../../src/telemetry/loki/push_json.ts";
import {
  decodePushRequest,
  decodePushRequestWithSchema,
  decodeSnappyPush,
  encodePushRequest,
  encodePushRequestWithSchema,
  encodeSnappyPush,
} from "../../../src/telemetry/loki/push.ts";
import { snappy as projectSnappy } from "../../../src/telemetry/loki/snappy.ts";

const streams: Stream[] = [
  {
    labels: { job: "varlogs", level: "info" },
    entries: [
      { timestamp: 1700000000123456789n, line: "hello", structuredMetadata: [{ name: "trace_id", value: "abc" }] },
      { timestamp: -1500000000n, line: "before epoch", structuredMetadata: [] },
    ],
  },
  { labels: { job: 'q"uote' }, entries: [{ timestamp: 0n, line: "", structuredMetadata: [] }] },
];

describe("protobuf push", () => {
  test("round-trips streams with nanosecond timestamps and metadata", () => {
    expect(decodePushRequest(encodePushRequest(streams))).toEqual(streams);
  });
  test("the direct encoder writes exactly what the generated schema writes", () => {
    const big: Stream[] = [
      ...streams,
      {
        labels: { a: "é€😀", "weird name": "x\u0000y" },
        entries: [
          { timestamp: 2n ** 62n, line: "x".repeat(300), structuredMetadata: [{ name: "", value: "v" }, { name: "n", value: "" }] },
          { timestamp: -(2n ** 62n) + 7n, line: "ünïcödé", structuredMetadata: [] },
        ],
      },
      { labels: {}, entries: [] },
    ];
    expect(encodePushRequest(big)).toEqual(encodePushRequestWithSchema(big));
    expect(decodePushRequest(encodePushRequest(big))).toEqual(decodePushRequestWithSchema(encodePushRequest(big)));
    expect(decodePushRequest(encodePushRequest(big))[3]!.entries.length).toBe(0);
    expect(decodePushRequest(encodePushRequest(big))[2]!.labels).toEqual({ a: "é€😀", "weird name": "x\u0000y" });
  });
  test("unknown fields are skipped and wrong wire types refused", () => {
    const withUnknown = new Uint8Array([0x2a, 0x01, 0x00, ...encodePushRequest(streams), 0x10, 0x05]);
    expect(decodePushRequest(withUnknown)).toEqual(streams);
    expect(() => decodePushRequest(new Uint8Array([0x08, 0x01]))).toThrow("PushRequest.streams has wire type 0, expected 2");
  });
  test("garbage bytes are rejected with a clear error", () => {
    expect(() => decodePushRequest(new Uint8Array([0x0a, 0xff, 0xff, 0xff]))).toThrow("invalid push request protobuf");
  });
  test("unparsable stream labels name the stream", () => {
    const bad = encodePushRequest([{ labels: {}, entries: [] }]);
    // Replace the labels "{}" with "{a}" by re-encoding a raw StreamAdapter.
    const raw = new Uint8Array([0x0a, 0x05, 0x0a, 0x03, ...new TextEncoder().encode("{a}")]);
    expect(bad.length).toBeGreaterThan(0);
    expect(() => decodePushRequest(raw)).toThrow("stream 0: error parsing labels '{a}'");
  });
});

describe("snappy push", () => {
  test("round-trips through the project's snappy codec", () => {
    const body = encodeSnappyPush(streams, projectSnappy);
    expect(decodeSnappyPush(body, projectSnappy)).toEqual(streams);
  });
  test("a snappy block declaring more than the limit is refused before decoding", () => {
    const body = encodeSnappyPush(streams);
    expect(() => decodeSnappyPush(body, projectSnappy, 10)).toThrow("exceeds the limit of 10 bytes");
  });
  test("broken snappy is rejected as snappy", () => {
    const body = encodeSnappyPush(streams, projectSnappy);
    const broken = body.slice(0, body.length - 5);
    expect(() => decodeSnappyPush(broken, projectSnappy)).toThrow("invalid snappy-compressed push body");
    expect(() => decodeSnappyPush(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), projectSnappy)).toThrow(
      "invalid snappy-compressed push body",
    );
  });
  test("reads and writes the raw snappy block format", () => {
    // varint length 5, one literal tag ((5-1)<<2), then the bytes: the format Loki and Prometheus use.
    const hello = new Uint8Array([0x05, 0x10, ...new TextEncoder().encode("hello")]);
    expect(new TextDecoder().decode(projectSnappy.decompress(hello))).toBe("hello");
    const big = new TextEncoder().encode("abc".repeat(1000));
    const packed = projectSnappy.compress(big);
    expect(packed.length).toBeLessThan(200);
    expect(packed.slice(0, 2)).toEqual(new Uint8Array([0xb8, 0x17])); // varint 3000
    expect(projectSnappy.decompress(packed)).toEqual(big);
  });
});

describe("JSON push", () => {
  test("decodes Loki's documented example", () => {
    const body = `{"streams":[{"stream":{"label":"value"},"values":[["1570818238000000000","fizzbuzz"],
      ["1570818238000000001","with meta",{"trace_id":"0242ac120002","user_id":"superUser123"}]]}]}`;
    expect(decodeJsonPush(body)).toEqual([
      {
        labels: { label: "value" },
        entries: [
          { timestamp: 1570818238000000000n, line: "fizzbuzz", structuredMetadata: [] },
          {
            timestamp: 1570818238000000001n,
            line: "with meta",
            structuredMetadata: [
              { name: "trace_id", value: "0242ac120002" },
              { name: "user_id", value: "superUser123" },
            ],
          },
        ],
      },
    ]);
  });
  test("encode then decode round-trips", () => {
    expect(decodeJsonPush(encodeJsonPush(streams))).toEqual(streams);
  });
  const bad: [string, string][] = [
    ["{not json", "invalid JSON push body"],
    ["[]", 'expected an object with a "streams" array'],
    ['{"streams":{}}', "streams: expected an array"],
    ['{"streams":[{"stream":{"a":1}}]}', "streams[0].stream.a: expected a string"],
    ['{"streams":[{"stream":{},"values":[[1570818238000000000,"x"]]}]}', "streams[0].values[0][0]: timestamp must be a string"],
    ['{"streams":[{"stream":{},"values":[["12x","x"]]}]}', "timestamp must be a string of unix epoch nanoseconds"],
    ['{"streams":[{"stream":{},"values":[["1",2]]}]}', "streams[0].values[0][1]: log line must be a string"],
    ['{"streams":[{"stream":{},"values":[["1"]]}]}', "streams[0].values[0]: expected"],
    ['{"streams":[{"stream":{},"values":[["1","x",{"k":[]}]]}]}', "streams[0].values[0][2].k: expected a string"],
  ];
  for (const [input, msg] of bad) test(`rejects ${input}`, () => expect(() => decodeJsonPush(input)).toThrow(msg));
});

import { gzipSync, deflateSync } from "node:zlib";
import { decodePushBody } from "../../../src/telemetry/loki/push_http.ts";

describe("push bodies as Loki's handler reads them", () => {
  const json = new TextEncoder().encode(encodeJsonPush(streams));
  test("JSON, plain and gzip or deflate encoded", () => {
    expect(decodePushBody(json, "application/json; charset=utf-8", null)).toEqual(streams);
    expect(decodePushBody(gzipSync(json), "application/json", "gzip")).toEqual(streams);
    expect(decodePushBody(deflateSync(json), "application/json", "deflate")).toEqual(streams);
  });
  test("protobuf with or without a content type", () => {
    const body = encodeSnappyPush(streams);
    expect(decodePushBody(body, "application/x-protobuf", "")).toEqual(streams);
    expect(decodePushBody(body, undefined, "snappy")).toEqual(streams);
  });
  test("unsupported or broken encodings are refused clearly", () => {
    expect(() => decodePushBody(json, "application/json", "br")).toThrow('Content-Encoding "br" not supported');
    expect(() => decodePushBody(json, "application/json", "gzip")).toThrow("invalid gzip body");
    expect(() => decodePushBody(json, "application/x-protobuf", null)).toThrow("invalid snappy-compressed push body");
  });
});
