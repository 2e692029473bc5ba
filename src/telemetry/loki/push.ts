// Loki's protobuf push body (logproto.PushRequest), optionally snappy-framed
// as loki.write sends it and /loki/api/v1/push accepts it.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { LabelPair, Stream, StreamEntry, TimestampNs } from "./entry.ts";
import { PushRequestSchema, type PushRequest } from "./gen/push_pb.ts";
import { formatLabels, LabelParseError, parseLabels } from "./labels.ts";
import { snappy as projectSnappy } from "./snappy.ts";

/** Block-format snappy, as the wasm loader provides it (wasm/: snappyCompress / snappyDecompress). */
export interface SnappyCodec {
  compress(data: Uint8Array): Uint8Array;
  /** Refuses blocks that declare more than maxDecodedLength bytes, before allocating them. */
  decompress(data: Uint8Array, maxDecodedLength?: number): Uint8Array;
}

/** Largest decoded push body accepted by default (loki.source.api's max_send_message_size default). */
export const DEFAULT_MAX_PUSH_BYTES = 100 * 1024 * 1024;

export class PushDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushDecodeError";
  }
}

const NS_PER_S = 1_000_000_000n;


const utf8 = new TextEncoder();

/** Bytes a varint takes. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Length-delimited field size: tag byte + length varint + body. */
const ldSize = (len: number) => 1 + varintSize(len) + len;

class Writer {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }
  varint64(n: bigint): void {
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }
  bytes(tag: number, b: Uint8Array): void {
    this.buf[this.pos++] = tag;
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  header(tag: number, len: number): void {
    this.buf[this.pos++] = tag;
    this.varint(len);
  }
}

function varint64Size(n: bigint): number {
  let v = BigInt.asUintN(64, n);
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

function splitTimestamp(ns: TimestampNs): [bigint, number] {
  let seconds = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) {
    nanos += NS_PER_S;
    seconds -= 1n;
  }
  return [seconds, Number(nanos)];
}

/**
 * Encodes streams as a logproto.PushRequest (labels rendered with
 * formatLabels). Written directly in the wire format for speed; the
 * generated schema (gen/push_pb.ts) decodes it and tests compare the two.
 */
export function encodePushRequest(streams: readonly Stream[]): Uint8Array {
  // Pass 1: encode strings once and compute every nested size.
  interface EntryPlan { seconds: bigint; nanos: number; tsSize: number; line: Uint8Array; md: [Uint8Array, Uint8Array, number][]; size: number }
  interface StreamPlan { labels: Uint8Array; entries: EntryPlan[]; size: number }
  const plans: StreamPlan[] = [];
  let total = 0;
  for (const s of streams) {
    const labels = utf8.encode(formatLabels(s.labels));
    let size = ldSize(labels.length);
    const entries: EntryPlan[] = [];
    for (const e of s.entries) {
      const [seconds, nanos] = splitTimestamp(e.timestamp);
      const tsSize = (seconds !== 0n ? 1 + varint64Size(seconds) : 0) + (nanos !== 0 ? 1 + varintSize(nanos) : 0);
      const line = utf8.encode(e.line);
      let esize = ldSize(tsSize) + (line.length > 0 ? ldSize(line.length) : 0);
      const md: [Uint8Array, Uint8Array, number][] = [];
      for (const p of e.structuredMetadata) {
        const n = utf8.encode(p.name);
        const v = utf8.encode(p.value);
        const psize = (n.length ? ldSize(n.length) : 0) + (v.length ? ldSize(v.length) : 0);
        md.push([n, v, psize]);
        esize += ldSize(psize);
      }
      entries.push({ seconds, nanos, tsSize, line, md, size: esize });
      size += ldSize(esize);
    }
    plans.push({ labels, entries, size });
    total += ldSize(size);
  }
  // Pass 2: write.
  const w = new Writer(new Uint8Array(total));
  for (const p of plans) {
    w.header(0x0a, p.size); // streams = 1
    w.bytes(0x0a, p.labels); // labels = 1
    for (const e of p.entries) {
      w.header(0x12, e.size); // entries = 2
      w.header(0x0a, e.tsSize); // timestamp = 1
      if (e.seconds !== 0n) {
        w.buf[w.pos++] = 0x08;
        w.varint64(e.seconds);
      }
      if (e.nanos !== 0) {
        w.buf[w.pos++] = 0x10;
        w.varint(e.nanos);
      }
      if (e.line.length > 0) w.bytes(0x12, e.line); // line = 2
      for (const [n, v, psize] of e.md) {
        w.header(0x1a, psize); // structuredMetadata = 3
        if (n.length) w.bytes(0x0a, n);
        if (v.length) w.bytes(0x12, v);
      }
    }
  }
  return w.buf;
}

/** The same encoding through the generated schema (slower; the reference the fast encoder is tested against). */
export function encodePushRequestWithSchema(streams: readonly Stream[]): Uint8Array {
  const msg = create(PushRequestSchema, {
    streams: streams.map((s) => ({
      labels: formatLabels(s.labels),
      entries: s.entries.map((e) => {
        const [seconds, nanos] = splitTimestamp(e.timestamp);
        return {
          timestamp: { seconds, nanos },
          line: e.line,
          structuredMetadata: e.structuredMetadata.map((p) => ({ name: p.name, value: p.value })),
        };
      }),
    })),
  });
  return toBinary(PushRequestSchema, msg);
}

/**
 * Decodes a logproto.PushRequest; label text is parsed, so a bad stream
 * fails with its index. Reads the wire format directly (BinaryReader) and
 * skips unknown fields, as a generated decoder would.
 */
export function decodePushRequest(body: Uint8Array): Stream[] {
  const streams: Stream[] = [];
  try {
    const r = new BinaryReader(body);
    while (r.pos < r.len) {
      const [no, wt] = r.tag();
      if (no === 1) {
        expectWire(wt, WireType.LengthDelimited, "PushRequest.streams");
        streams.push(readStream(r.bytes(), streams.length));
      } else r.skip(wt, no);
    }
  } catch (err) {
    if (err instanceof PushDecodeError) throw err;
    throw new PushDecodeError(`invalid push request protobuf: ${(err as Error).message}`);
  }
  return streams;
}

function expectWire(got: WireType, want: WireType, field: string): void {
  if (got !== want) throw new PushDecodeError(`invalid push request protobuf: ${field} has wire type ${got}, expected ${want}`);
}

function readStream(buf: Uint8Array, index: number): Stream {
  const r = new BinaryReader(buf);
  let labelText = "";
  const entries: StreamEntry[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, "StreamAdapter.labels");
      labelText = r.string();
    } else if (no === 2) {
      expectWire(wt, WireType.LengthDelimited, "StreamAdapter.entries");
      entries.push(readEntry(r.bytes()));
    } else r.skip(wt, no);
  }
  let labels;
  try {
    labels = parseLabels(labelText);
  } catch (err) {
    const detail = err instanceof LabelParseError ? err.message : String(err);
    throw new PushDecodeError(`stream ${index}: error parsing labels '${labelText}': ${detail}`);
  }
  return { labels, entries };
}

function readEntry(buf: Uint8Array): StreamEntry {
  const r = new BinaryReader(buf);
  let timestamp = 0n;
  let line = "";
  const structuredMetadata: LabelPair[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, "EntryAdapter.timestamp");
      timestamp = readTimestamp(r.bytes());
    } else if (no === 2) {
      expectWire(wt, WireType.LengthDelimited, "EntryAdapter.line");
      line = r.string();
    } else if (no === 3) {
      expectWire(wt, WireType.LengthDelimited, "EntryAdapter.structuredMetadata");
      structuredMetadata.push(readPair(r.bytes()));
    } else r.skip(wt, no);
  }
  return { timestamp, line, structuredMetadata };
}

function readTimestamp(buf: Uint8Array): TimestampNs {
  const r = new BinaryReader(buf);
  let seconds = 0n;
  let nanos = 0;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) {
      expectWire(wt, WireType.Varint, "Timestamp.seconds");
      seconds = BigInt(r.int64());
    } else if (no === 2) {
      expectWire(wt, WireType.Varint, "Timestamp.nanos");
      nanos = r.int32();
    } else r.skip(wt, no);
  }
  return seconds * NS_PER_S + BigInt(nanos);
}

function readPair(buf: Uint8Array): LabelPair {
  const r = new BinaryReader(buf);
  let name = "";
  let value = "";
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) {
      expectWire(wt, WireType.LengthDelimited, "LabelPairAdapter.name");
      name = r.string();
    } else if (no === 2) {
      expectWire(wt, WireType.LengthDelimited, "LabelPairAdapter.value");
      value = r.string();
    } else r.skip(wt, no);
  }
  return { name, value };
}

/** The same decoding through the generated schema (the reference the direct decoder is tested against). */
export function decodePushRequestWithSchema(body: Uint8Array): Stream[] {
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
    const entries: StreamEntry[] = s.entries.map((e) => ({
      timestamp: e.timestamp ? e.timestamp.seconds * NS_PER_S + BigInt(e.timestamp.nanos) : 0n,
      line: e.line,
      structuredMetadata: e.structuredMetadata.map((p) => ({ name: p.name, value: p.value })),
    }));
    return { labels, entries };
  });
}

/** Encodes and snappy-compresses a push body (Content-Type application/x-protobuf). */
export function encodeSnappyPush(streams: readonly Stream[], snappy: SnappyCodec = projectSnappy): Uint8Array {
  return snappy.compress(encodePushRequest(streams));
}

/** Decompresses and decodes a snappy push body; broken or oversized snappy is reported as such. */
export function decodeSnappyPush(body: Uint8Array, snappy: SnappyCodec = projectSnappy, maxDecodedBytes = DEFAULT_MAX_PUSH_BYTES): Stream[] {
  let raw: Uint8Array;
  try {
    raw = snappy.decompress(body, maxDecodedBytes);
  } catch (err) {
    throw new PushDecodeError(`invalid snappy-compressed push body: ${err instanceof Error ? err.message : String(err)}`);
  }
  return decodePushRequest(raw);
}
