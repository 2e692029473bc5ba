// One push request in the making: the entries of one tenant grouped by stream,
// in arrival order. Each entry is written in logproto's wire format as it
// arrives, into one byte buffer for the whole batch, where every stream writes
// into slabs of its own (growing from 256 bytes to 8 KiB, and a stream whose
// slab is the last in the buffer just extends it); sending a batch copies each
// stream's slabs after its labels, a few copies per stream even when streams
// interleave entry by entry. Nothing is encoded twice and no per-entry objects are kept. The
// buffers come from and go back to a pool, so that a steady flow of batches
// reuses the same memory. Sizes are counted as Loki's client does (line bytes
// plus structured metadata).
//
//   PushRequest { repeated Stream streams = 1 }
//   Stream      { string labels = 1; repeated Entry entries = 2 }
//   Entry       { Timestamp timestamp = 1; string line = 2; repeated LabelPair structuredMetadata = 3 }
//   Timestamp   { int64 seconds = 1; int32 nanos = 2 }

import type { Entry, TimestampNs } from "../../../telemetry/loki/entry.ts";

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

  private last: TimestampNs | undefined;
  private lastLen = 0;

  /** Bytes of the body for `ns`, after which write() writes them. */
  prepare(ns: TimestampNs): number {
    // Entries read together often share one time.
    if (ns === this.last) return this.lastLen;
    this.last = ns;
    if (!(ns >= this.secStart && ns < this.secEnd)) {
      let seconds = ns / NS_PER_S;
      if (ns % NS_PER_S < 0n) seconds -= 1n;
      this.secStart = seconds * NS_PER_S;
      this.secEnd = this.secStart + NS_PER_S;
      this.secField = seconds === 0n ? [] : [0x08, ...varintBytes(seconds)];
    }
    this.nanos = Number(ns - this.secStart);
    this.lastLen = this.secField.length + (this.nanos === 0 ? 0 : 1 + varintSize(this.nanos));
    return this.lastLen;
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

/** Buffer.prototype.utf8Write where the runtime has it: UTF-8 into a buffer without a view per string. */
type Utf8Writer = (buf: Buffer, s: string, offset: number, length: number) => number;
const utf8Write: Utf8Writer =
  typeof (Buffer.prototype as { utf8Write?: unknown }).utf8Write === "function"
    ? (buf, s, offset, length) => (buf as Buffer & { utf8Write(s: string, offset: number, length: number): number }).utf8Write(s, offset, length)
    : (buf, s, offset, length) => buf.write(s, offset, length, "utf8");

/**
 * Batch buffers handed back once a batch is encoded, for the next batches: a
 * steady flow of batches then writes into the same few buffers instead of
 * growing fresh ones (whose pages the kernel has to fault in every time).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  /** Keeps the `keep` largest buffers given back, none larger than `maxBytes`. */
  constructor(
    private readonly keep = 3,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The smallest free buffer of at least `min` bytes, else a new one (contents undefined). */
  take(min: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const len = this.free[i]!.length;
      if (len >= min && (best < 0 || len < this.free[best]!.length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    return Buffer.allocUnsafe(Math.max(min, 64 * 1024));
  }

  /** The largest free buffer (where a batch grows best), else a new small one. */
  takeLargest(): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (best < 0 || this.free[i]!.length > this.free[best]!.length) best = i;
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    return Buffer.allocUnsafe(64 * 1024);
  }

  give(b: Buffer): void {
    if (b.length > this.maxBytes) return;
    this.free.push(b);
    if (this.free.length > this.keep) {
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) if (this.free[i]!.length < this.free[smallest]!.length) smallest = i;
      this.free.splice(smallest, 1);
    }
  }
}

/** A growable byte buffer with the few writes the wire format needs. */
class Bytes {
  len = 0;
  constructor(
    public buf: Buffer,
    private readonly pool: BufferPool | undefined,
  ) {}
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = Math.max(this.buf.length * 2, 4096);
    while (cap < this.len + n) cap *= 2;
    const next = this.pool ? this.pool.take(cap) : Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.pool?.give(this.buf);
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

const FIRST_SLAB = 256;
const MAX_SLAB = 8 * 1024;

interface EncodedStream {
  labels: Uint8Array;
  /** Its slabs in the batch buffer, as start, end of what is written, start, end, …; it writes at the last end. */
  slabs: number[];
  /** Where its last slab ends. */
  limit: number;
  /** Size of its next slab. */
  nextSlab: number;
  /** Bytes of its entries. */
  len: number;
}

export class PushBatch {
  private readonly streams = new Map<string, EncodedStream>();
  bytes = 0;
  entries = 0;
  readonly createdAt = performance.now();
  /** Write-ahead-log offset of the earliest entry in this batch (Infinity without a WAL). */
  walStart = Number.POSITIVE_INFINITY;
  private readonly ts = new TimestampEncoder();
  private readonly w: Bytes;
  private lastKey: string | undefined;
  private lastStream: EncodedStream | undefined;

  /** With a pool, the batch's buffer is taken from it and given back by encodeCompressed. */
  constructor(
    readonly tenant: string,
    private readonly pool?: BufferPool,
  ) {
    this.w = new Bytes(pool ? pool.takeLargest() : Buffer.allocUnsafe(4096), pool);
  }

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

  /** Adds an entry to the stream `key`: the label text it is sent with (formatLabels). */
  add(key: string, e: Entry, size: number): void {
    let s = key === this.lastKey ? this.lastStream : this.streams.get(key);
    if (s === undefined) {
      s = { labels: utf8.encode(key), slabs: [], limit: 0, nextSlab: FIRST_SLAB, len: 0 };
      this.streams.set(key, s);
    }
    this.lastKey = key;
    this.lastStream = s;
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
    const w = this.w;
    const start = this.room(s, fieldSize(entryLen));
    const end = w.len;
    w.len = start;
    w.byte(0x12); // Stream.entries
    w.varint(entryLen);
    w.byte(0x0a); // Entry.timestamp
    w.varint(tsLen);
    this.ts.write(w);
    if (lineLen > 0) {
      w.byte(0x12); // Entry.line
      w.varint(lineLen);
      w.len += utf8Write(w.buf, e.line, w.len, lineLen);
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
    s.slabs[s.slabs.length - 1] = w.len;
    s.len += w.len - start;
    w.len = end;
    this.bytes += size;
    this.entries++;
  }

  /** Where the stream writes its next `n` bytes: in its slab, its slab extended, or a new slab. */
  private room(s: EncodedStream, n: number): number {
    const w = this.w;
    const slabs = s.slabs;
    const at = slabs.length > 0 ? slabs[slabs.length - 1]! : -1;
    if (at >= 0 && at + n <= s.limit) return at;
    const grow = Math.max(n, s.nextSlab);
    s.nextSlab = Math.min(s.nextSlab * 2, MAX_SLAB);
    w.reserve(grow);
    if (at >= 0 && s.limit === w.len) {
      w.len += grow;
      s.limit = w.len;
      return at;
    }
    const start = w.len;
    w.len += grow;
    s.limit = w.len;
    slabs.push(start, start);
    return start;
  }

  private encodedLength(): number {
    let total = 0;
    for (const s of this.streams.values()) total += fieldSize(fieldSize(s.labels.length) + s.len);
    return total;
  }

  private encodeInto(out: Bytes): void {
    const src = this.w.buf;
    for (const s of this.streams.values()) {
      out.byte(0x0a); // PushRequest.streams
      out.varint(fieldSize(s.labels.length) + s.len);
      out.byte(0x0a); // Stream.labels
      out.varint(s.labels.length);
      out.raw(s.labels);
      const r = s.slabs;
      for (let i = 0; i < r.length; i += 2) if (r[i + 1]! > r[i]!) out.len += src.copy(out.buf, out.len, r[i]!, r[i + 1]!);
    }
  }

  /** The PushRequest message (not yet compressed), in a buffer of its own. */
  encode(): Uint8Array {
    const total = this.encodedLength();
    const out = new Bytes(Buffer.alloc(total), undefined);
    this.encodeInto(out);
    return new Uint8Array(out.buf.buffer, out.buf.byteOffset, total);
  }

  /**
   * The PushRequest message compressed by `compress`, which must not keep its
   * input. The batch's buffers go back to the pool: the batch is done with.
   */
  encodeCompressed(compress: (raw: Uint8Array) => Uint8Array): Uint8Array {
    const total = this.encodedLength();
    const pool = this.pool;
    const out = new Bytes(pool ? pool.take(total) : Buffer.allocUnsafe(total), undefined);
    this.encodeInto(out);
    const body = compress(out.buf.subarray(0, total));
    if (pool) {
      pool.give(out.buf);
      pool.give(this.w.buf);
    }
    this.streams.clear();
    return body;
  }
}
