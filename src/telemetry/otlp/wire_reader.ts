// Protobuf wire primitives for the OTLP request reader. Anything the reader does not expect
// (an unknown field, another wire type, truncated data) throws Unexpected, and the caller
// falls back to the generic protobuf-es decoder, which handles or reports it properly.

export class Unexpected extends Error {}
const UNEXPECTED = new Unexpected("unexpected protobuf input");

export const EMPTY_BYTES = new Uint8Array(0);
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class WireReader {
  pos = 0;
  readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** An unsigned varint that fits in 32 bits (tags, lengths, uint32, enums). */
  uint32(): number {
    const buf = this.buf;
    let b = buf[this.pos++]!;
    let v = b & 0x7f;
    if (b < 0x80) return v;
    b = buf[this.pos++]!;
    v |= (b & 0x7f) << 7;
    if (b < 0x80) return v;
    b = buf[this.pos++]!;
    v |= (b & 0x7f) << 14;
    if (b < 0x80) return v;
    b = buf[this.pos++]!;
    v |= (b & 0x7f) << 21;
    if (b < 0x80) return v;
    b = buf[this.pos++]!;
    v = (v | ((b & 0x0f) << 28)) >>> 0;
    // Negative int32 values are sign-extended to 10 bytes; the high bytes carry nothing new.
    for (let i = 0; b >= 0x80 && i < 5; i++) b = buf[this.pos++]!;
    if (b >= 0x80 || this.pos > buf.length) throw UNEXPECTED;
    return v;
  }

  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.uint64() !== 0n;
  }

  /** A varint as an unsigned 64-bit bigint. */
  uint64(): bigint {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    for (; shift < 28; shift += 7) {
      b = buf[this.pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return BigInt(lo >>> 0);
    }
    b = buf[this.pos++]!;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (shift = 3; shift <= 31; shift += 7) {
        b = buf[this.pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      if (b! >= 0x80) throw UNEXPECTED;
    }
    if (this.pos > buf.length) throw UNEXPECTED;
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.uint64());
  }

  fixed64(): bigint {
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  sfixed64(): bigint {
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** End offset of a length-delimited field starting here. */
  end(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.buf.length) throw UNEXPECTED;
    return end;
  }

  bytes(): Uint8Array {
    const end = this.end();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  string(): string {
    const end = this.end();
    const start = this.pos;
    this.pos = end;
    return cachedString(this.buf, start, end);
  }

  /** Packed or single repeated fixed64. */
  fixed64List(out: bigint[], wireType: number): void {
    if (wireType === 1) {
      out.push(this.fixed64());
      return;
    }
    const end = this.end();
    while (this.pos < end) out.push(this.fixed64());
    if (this.pos !== end) throw UNEXPECTED;
  }

  doubleList(out: number[], wireType: number): void {
    if (wireType === 1) {
      out.push(this.double());
      return;
    }
    const end = this.end();
    while (this.pos < end) out.push(this.double());
    if (this.pos !== end) throw UNEXPECTED;
  }

  uint64List(out: bigint[], wireType: number): void {
    if (wireType === 0) {
      out.push(this.uint64());
      return;
    }
    const end = this.end();
    while (this.pos < end) out.push(this.uint64());
    if (this.pos !== end) throw UNEXPECTED;
  }

  /** Call after a message's fields: it must end exactly at `end`. */
  done(end: number): void {
    if (this.pos !== end) throw UNEXPECTED;
  }
}

// Attribute keys, service names, span names and most values repeat from record to record:
// a small direct-mapped cache returns the same string without decoding or allocating.
const CACHE_SIZE = 4096;
const CACHEABLE = 32;
const cacheKeys: Array<Uint8Array | undefined> = new Array(CACHE_SIZE);
const cacheValues: string[] = new Array(CACHE_SIZE);

function cachedString(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return "";
  if (n > CACHEABLE) return decodeUtf8(buf.subarray(start, end));
  const slot = (n * 31 + buf[start]! * 7 + buf[end - 1]! * 13 + buf[start + (n >> 1)]! * 17) & (CACHE_SIZE - 1);
  const key = cacheKeys[slot];
  if (key !== undefined && key.length === n) {
    let i = 0;
    while (i < n && key[i] === buf[start + i]) i++;
    if (i === n) return cacheValues[slot]!;
  }
  const s = decodeUtf8(buf.subarray(start, end));
  cacheKeys[slot] = buf.slice(start, end);
  cacheValues[slot] = s;
  return s;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw UNEXPECTED;
  }
}

export function unexpected(): never {
  throw UNEXPECTED;
}
