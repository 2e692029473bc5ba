// One push request in the making: the entries of one tenant grouped by stream,
// in arrival order. Each entry is written in logproto's wire format as it
// arrives (a stream's entries are one growing byte buffer), so sending a batch
// only prefixes every stream with its labels; nothing is encoded twice and no
// per-entry objects are kept. Sizes are counted as Loki's client does (line
// bytes plus structured metadata).
//
//   PushRequest { repeated Stream streams = 1 }
//   Stream      { string labels = 1; repeated Entry entries = 2 }
//   Entry       { Timestamp timestamp = 1; string line = 2; repeated LabelPair structuredMetadata = 3 }
//   Timestamp   { int64 seconds = 1; int32 nanos = 2 }

import type { Entry, LabelSet, TimestampNs } from "../../../telemetry/loki/entry.ts";
import { formatLabels } from "../../../telemetry/loki/labels.ts";

const utf8 = new TextEncoder();
const NS_PER_S = 1_000_000_000n;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Bytes of a length-delimited field: tag + length + body. */
const fieldSize = (len: number) => 1 + varintSize(len) + len;

/** The varint bytes of a non-negative safe integer or a 64-bit two's-complement bigint. */
function varintBytes(v: bigint): number[] {
  const out: number[] = [];
  let u = BigInt.asUintN(64, v);
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}

/**
 * Timestamp message bodies (int64 seconds, non-negative int32 nanos) for a run
 * of nearby times: the seconds field is encoded once per second, so most
 * entries cost one bigint subtraction.
 */
class TimestampEncoder {
  private secStart = 0n;
  private secEnd = -1n;
  /** Tag and varint of the seconds field; empty for second 0 (proto3 omits zero). */
  private secField: number[] = [];

  /** Bytes of the body for `ns`, after which write() writes them. */
  prepare(ns: TimestampNs): number {
    if (!(ns >= this.secStart && ns < this.secEnd)) {
      let seconds = ns / NS_PER_S;
      if (ns % NS_PER_S < 0n) seconds -= 1n;
      this.secStart = seconds * NS_PER_S;
      this.secEnd = this.secStart + NS_PER_S;
      this.secField = seconds === 0n ? [] : [0x08, ...varintBytes(seconds)];
    }
    this.nanos = Number(ns - this.secStart);
    return this.secField.length + (this.nanos === 0 ? 0 : 1 + varintSize(this.nanos));
  }

  private nanos = 0;

  write(w: Bytes): void {
    for (const b of this.secField) w.byte(b);
    if (this.nanos !== 0) {
      w.byte(0x10);
      w.varint(this.nanos);
    }
  }
}

/** A growable byte buffer with the few writes the wire format needs. */
class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(initial = 4096) {
    this.buf = Buffer.allocUnsafe(initial);
  }
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.buf[this.len++] = b;
  }
  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
  }
  raw(b: Uint8Array): void {
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

interface EncodedStream {
  labels: Uint8Array;
  entries: Bytes;
}

export class PushBatch {
  private readonly streams = new Map<string, EncodedStream>();
  bytes = 0;
  entries = 0;
  readonly createdAt = performance.now();
  /** Write-ahead-log offset of the earliest entry in this batch (Infinity without a WAL). */
  walStart = Number.POSITIVE_INFINITY;
  private readonly ts = new TimestampEncoder();

  constructor(readonly tenant: string) {}

  /** Bytes an entry adds to a batch. */
  static sizeOf(e: Entry): number {
    let n = e.line.length;
    for (const p of e.structuredMetadata) n += p.name.length + p.value.length;
    return n;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  hasStream(key: string): boolean {
    return this.streams.has(key);
  }

  add(key: string, labels: LabelSet, e: Entry, size: number): void {
    let s = this.streams.get(key);
    if (s === undefined) {
      s = { labels: utf8.encode(formatLabels(labels)), entries: new Bytes() };
      this.streams.set(key, s);
    }
    const tsLen = this.ts.prepare(e.timestamp);
    const lineLen = Buffer.byteLength(e.line, "utf8");
    let md: Array<[Uint8Array, Uint8Array, number]> | undefined;
    let entryLen = fieldSize(tsLen) + (lineLen > 0 ? fieldSize(lineLen) : 0);
    for (const p of e.structuredMetadata) {
      const n = utf8.encode(p.name);
      const v = utf8.encode(p.value);
      const pairLen = (n.length > 0 ? fieldSize(n.length) : 0) + (v.length > 0 ? fieldSize(v.length) : 0);
      (md ??= []).push([n, v, pairLen]);
      entryLen += fieldSize(pairLen);
    }
    const w = s.entries;
    w.reserve(fieldSize(entryLen));
    w.byte(0x12); // Stream.entries
    w.varint(entryLen);
    w.byte(0x0a); // Entry.timestamp
    w.varint(tsLen);
    this.ts.write(w);
    if (lineLen > 0) {
      w.byte(0x12); // Entry.line
      w.varint(lineLen);
      w.len += utf8.encodeInto(e.line, w.buf.subarray(w.len, w.len + lineLen)).written;
    }
    if (md) {
      for (const [n, v, pairLen] of md) {
        w.byte(0x1a); // Entry.structuredMetadata
        w.varint(pairLen);
        if (n.length > 0) {
          w.byte(0x0a);
          w.varint(n.length);
          w.raw(n);
        }
        if (v.length > 0) {
          w.byte(0x12);
          w.varint(v.length);
          w.raw(v);
        }
      }
    }
    this.bytes += size;
    this.entries++;
  }

  /** The PushRequest message (not yet compressed). */
  encode(): Uint8Array {
    let total = 0;
    for (const s of this.streams.values()) total += fieldSize(fieldSize(s.labels.length) + s.entries.len);
    const out = new Bytes(total);
    for (const s of this.streams.values()) {
      out.byte(0x0a); // PushRequest.streams
      out.varint(fieldSize(s.labels.length) + s.entries.len);
      out.byte(0x0a); // Stream.labels
      out.varint(s.labels.length);
      out.raw(s.labels);
      out.raw(s.entries.buf.subarray(0, s.entries.len));
    }
    return out.buf;
  }
}
