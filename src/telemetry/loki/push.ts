// Loki's protobuf push body (logproto.PushRequest), optionally snappy-framed
// as loki.write sends it and /loki/api/v1/push accepts it.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import type { LabelPair, Stream, StreamEntry, TimestampNs } from "./entry.ts";
import { EntryAdapterSchema, PushRequestSchema, StreamAdapterSchema, type PushRequest } from "./gen/push_pb.ts";
import { formatLabels, LabelParseError, parseLabels } from "./labels.ts";
import { snappy as projectSnappy } from "./snappy.ts";

/** Block-format snappy, as the wasm loader provides it (wasm/: snappyCompress / snappyDecompress). */
export interface SnappyCodec {
  compress(data: Uint8Array): Uint8Array;
  decompress(data: Uint8Array): Uint8Array;
}

export class PushDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushDecodeError";
  }
}

const NS_PER_S = 1_000_000_000n;

function toProtoTimestamp(ns: TimestampNs) {
  let seconds = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) {
    nanos += NS_PER_S;
    seconds -= 1n;
  }
  return create(TimestampSchema, { seconds, nanos: Number(nanos) });
}

/** Encodes streams as a logproto.PushRequest (labels rendered with formatLabels). */
export function encodePushRequest(streams: readonly Stream[]): Uint8Array {
  const msg = create(PushRequestSchema, {
    streams: streams.map((s) =>
      create(StreamAdapterSchema, {
        labels: formatLabels(s.labels),
        entries: s.entries.map((e) =>
          create(EntryAdapterSchema, {
            timestamp: toProtoTimestamp(e.timestamp),
            line: e.line,
            structuredMetadata: e.structuredMetadata.map((p) => ({ name: p.name, value: p.value })),
          }),
        ),
      }),
    ),
  });
  return toBinary(PushRequestSchema, msg);
}

/** Decodes a logproto.PushRequest; label text is parsed, so a bad stream fails with its index. */
export function decodePushRequest(body: Uint8Array): Stream[] {
  let msg: PushRequest;
  try {
    msg = fromBinary(PushRequestSchema, body);
  } catch (err) {
    throw new PushDecodeError(`invalid push request protobuf: ${(err as Error).message}`);
  }
  return msg.streams.map((s, i) => {
    let labels;
    try {
      labels = parseLabels(s.labels);
    } catch (err) {
      const detail = err instanceof LabelParseError ? err.message : String(err);
      throw new PushDecodeError(`stream ${i}: error parsing labels '${s.labels}': ${detail}`);
    }
    const entries: StreamEntry[] = s.entries.map((e) => {
      const ts = e.timestamp;
      const timestamp = ts ? ts.seconds * NS_PER_S + BigInt(ts.nanos) : 0n;
      const structuredMetadata: LabelPair[] = e.structuredMetadata.map((p) => ({ name: p.name, value: p.value }));
      return { timestamp, line: e.line, structuredMetadata };
    });
    return { labels, entries };
  });
}

/** Encodes and snappy-compresses a push body (Content-Type application/x-protobuf). */
export function encodeSnappyPush(streams: readonly Stream[], snappy: SnappyCodec = projectSnappy): Uint8Array {
  return snappy.compress(encodePushRequest(streams));
}

/** Decompresses and decodes a snappy push body; broken snappy is reported as such. */
export function decodeSnappyPush(body: Uint8Array, snappy: SnappyCodec = projectSnappy): Stream[] {
  let raw: Uint8Array;
  try {
    raw = snappy.decompress(body);
  } catch (err) {
    throw new PushDecodeError(`invalid snappy-compressed push body: ${err instanceof Error ? err.message : String(err)}`);
  }
  return decodePushRequest(raw);
}
