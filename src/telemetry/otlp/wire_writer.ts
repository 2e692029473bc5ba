// Protobuf wire primitives for the OTLP request writer: one growing buffer; a nested message
// reserves one length byte and, when it turns out longer than 127 bytes, is moved up to make
// room for the longer length (most attributes and values fit in one byte).

export class CannotWrite extends Error {}
const CANNOT = new CannotWrite("message needs the generic encoder");

const utf8 = new TextEncoder();

export class WireWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.pos);
  }

  /** A tag or any value below 2^32. */
  uint32(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  /** int32 and enums: negative values take ten bytes, as sign-extended 64-bit varints. */
  int32(v: number): void {
    if (v >= 0) this.uint32(v);
    else this.varint64(v >>> 0, 0xffffffff);
  }

  sint32(v: number): void {
    this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** A varint from its low and high 32-bit halves. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    while (hi > 0 || lo > 0x7f) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[this.pos++] = lo;
  }

  uint64(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    if (u < 0x80000000n) return this.uint32(Number(u));
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  fixed64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, v), true);
    this.pos += 8;
  }

  sfixed64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, BigInt.asIntN(64, v), true);
    this.pos += 8;
  }

  fixed32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bytes(v: Uint8Array): void {
    this.uint32(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  string(s: string): void {
    const n = s.length;
    this.ensure(n * 3 + 5);
    if (n < 128) {
      // Short ASCII strings are copied by hand; anything else goes through TextEncoder.
      const buf = this.buf;
      const start = this.pos;
      buf[start] = n;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[start + 1 + i] = c;
      }
      if (i === n) {
        this.pos = start + 1 + n;
        return;
      }
    }
    const start = this.begin();
    this.ensure(n * 3);
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.pos));
    this.pos += written;
    this.endAt(start);
  }

  /** Reserves a one-byte length for a nested message and returns where it starts. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the message begun at `start`, moving its bytes if the length needs more room. */
  endAt(start: number): void {
    const len = this.pos - start - 1;
    if (len < 0x80) {
      this.buf[start] = len;
      return;
    }
    const extra = (len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5) - 1;
    this.ensure(extra);
    const buf = this.buf;
    buf.copyWithin(start + 1 + extra, start + 1, this.pos);
    let v = len;
    let p = start;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.pos += extra;
  }

  /** Packed repeated fixed64 (field tag already written). */
  packedFixed64(values: readonly bigint[]): void {
    this.uint32(values.length * 8);
    for (const v of values) this.fixed64(v);
  }

  packedDouble(values: readonly number[]): void {
    this.uint32(values.length * 8);
    for (const v of values) this.double(v);
  }

  packedUint64(values: readonly bigint[]): void {
    const start = this.begin();
    for (const v of values) this.uint64(v);
    this.endAt(start);
  }
}

/** Throws to hand the whole message to the generic encoder (unknown fields, unusual content). */
export function cannotWrite(): never {
  throw CANNOT;
}

/** Proto3 implicit presence for doubles: only +0 is the default (protobuf-es writes -0). */
export function isDefaultDouble(v: number): boolean {
  return Object.is(v, 0);
}
