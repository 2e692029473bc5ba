import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { create } from "@bufbuild/protobuf";
import { grpcErrorTrailers } from "../../../src/telemetry/otlp/grpc_trailers.ts";
import { RetryInfoSchema } from "../../../src/telemetry/otlp/pdata.ts";
import { grpcErrorFor } from "../../../src/telemetry/otlp/status.ts";
import { ConsumerError } from "../../../src/telemetry/otlp/consumer.ts";

function connects(error: ConnectError): Record<string, string> {
  const out: Record<string, string> = {};
  setTrailerStatus(new Headers(), error).forEach((v, k) => (out[k] = v));
  return out;
}

describe("gRPC error trailers", () => {
  const errors: Array<[string, ConnectError]> = [
    ["plain", new ConnectError("bad request", Code.InvalidArgument)],
    ["non-ASCII and reserved characters", new ConnectError("données refusées: 100% ✗ / ?&=", Code.Unavailable)],
    ["empty message", new ConnectError("", Code.Internal)],
    ["metadata", new ConnectError("denied", Code.PermissionDenied, { "x-extra": "1" })],
    ["RetryInfo detail", new ConnectError("try later", Code.Unavailable, undefined, [{ desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: { seconds: 3n, nanos: 500 } }) }])],
    ["raw detail", Object.assign(new ConnectError("raw", Code.Aborted), { details: [{ type: "example.Detail", value: new Uint8Array([8, 1]) }] })],
    ["a throttled consumer error", grpcErrorFor(new ConsumerError("queue is full", false, { throttled: true, retryAfterSeconds: 2 }))],
  ];
  for (const [name, error] of errors) {
    test(`are what Connect writes: ${name}`, () => {
      expect(grpcErrorTrailers(error)).toEqual(connects(error));
    });
  }
});
