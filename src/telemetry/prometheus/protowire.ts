// Minimal protobuf wire-format writer and reader for the hot paths (remote write
// encode/decode, protobuf exposition parsing). Numbers stay JS numbers: 64-bit
// integers are exact up to 2^53, which covers millisecond timestamps and counts.
// Doubles are copied as raw bytes where bit patterns matter (staleness markers).

export class ProtoDecodeError extends Error {
  override name = "ProtoDecodeError";
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** Growable output buffer, reused across messages by its owner. */
export class ProtoWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initialSize = 64 * 1024) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.pos = 0;
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

  /** A copy of the written bytes. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Unsigned varint of a non-negative integer < 2^53. */
  uvarint(v: number): void {
    if (this.pos + 10 > this.buf.length) this.ensure(10);
    this.pos = writeUvarint(this.buf, this.pos, v);
  }

  /** int64 varint (two's complement for negatives, always 10 bytes then). */
  int64(v: number): void {
    if (v >= 0) return this.uvarint(v);
    this.ensure(10);
    let x = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }

  /** sint32/sint64 zigzag varint. */
  sint(v: number): void {
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Copies 8 raw bytes (a float64 with its exact bit pattern). */
  rawDouble(src: Uint8Array, offset: number): void {
    this.ensure(8);
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < 8; i++) b[p + i] = src[offset + i]!;
    this.pos = p + 8;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  tag(field: number, wireType: number): void {
    this.uvarint(field * 8 + wireType);
  }

  /** A length-delimited string field. */
  stringField(field: number, s: string): void {
    this.tag(field, 2);
    // Reserve the length varint for the worst case, then move the bytes if it was shorter.
    const max = s.length * 3;
    const lenBytes = max < 0x80 ? 1 : max < 0x4000 ? 2 : max < 0x200000 ? 3 : 5;
    this.ensure(lenBytes + max);
    const start = this.pos + lenBytes;
    const { written } = utf8Encoder.encodeInto(s, this.buf.subarray(start));
    const actual = uvarintSize(written);
    if (actual !== lenBytes) this.buf.copyWithin(this.pos + actual, start, start + written);
    this.uvarint(written);
    this.pos += written;
  }
}

/**
 * Writes an unsigned varint (< 2^53) at `pos`, returning the new position. Uses 32-bit
 * arithmetic on the low and high words instead of float division per byte.
 */
export function writeUvarint(b: Uint8Array, pos: number, v: number): number {
  if (v < 0x80) {
    b[pos] = v;
    return pos + 1;
  }
  let lo = v >>> 0;
  let hi = (v - lo) / 4294967296;
  while (hi > 0) {
    b[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 0x7f) {
    b[pos++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  b[pos++] = lo;
  return pos;
}

export function uvarintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v < 0x800000000) return 5;
  if (v < 0x40000000000) return 6;
  if (v < 0x2000000000000) return 7;
  if (v < 0x100000000000000) return 8;
  if (v < 0x8000000000000000) return 9;
  return 10;
}

export function utf8Encode(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Reader over one message's bytes; every read is bounds-checked. */
export class ProtoReader {
  pos: number;
  readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    public end = buf.length,
    /** Path for error messages, e.g. `timeseries[3]`. */
    public where = "message",
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(what: string): never {
    throw new ProtoDecodeError(`${what} at byte ${this.pos} in ${this.where}`);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail("truncated varint");
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    this.fail("varint longer than 10 bytes");
  }

  /** int64 varint; negative values decoded through two's complement. */
  int64(): number {
    const start = this.pos;
    const v = this.uvarint();
    if (v < 2 ** 63) return v;
    // Re-read exactly as a 64-bit two's complement value.
    let x = 0n;
    let shift = 0n;
    for (let p = start; p < this.pos; p++) {
      x |= BigInt(this.buf[p]! & 0x7f) << shift;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, x));
  }

  sint(): number {
    const v = this.uvarint();
    // Zigzag: even → v/2, odd → -(v+1)/2.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail("truncated double");
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Offset of an 8-byte double, skipped, for callers that copy raw bits. */
  doubleOffset(): number {
    if (this.pos + 8 > this.end) this.fail("truncated double");
    const p = this.pos;
    this.pos += 8;
    return p;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) this.fail("truncated fixed32");
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Length of a length-delimited field; leaves pos at its first byte. */
  length(): number {
    const n = this.uvarint();
    if (this.pos + n > this.end) this.fail(`length ${n} runs past the end of the message`);
    return n;
  }

  string(): string {
    const n = this.length();
    try {
      const s = utf8Decoder.decode(this.buf.subarray(this.pos, this.pos + n));
      this.pos += n;
      return s;
    } catch {
      this.fail("invalid UTF-8 in string field");
    }
  }

  /** Reads a tag; returns field number * 8 + wire type. */
  tag(): number {
    const t = this.uvarint();
    if (t >>> 3 === 0) this.fail("invalid field number 0");
    return t;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uvarint();
        return;
      case 1:
        if (this.pos + 8 > this.end) this.fail("truncated fixed64");
        this.pos += 8;
        return;
      case 2:
        this.pos += this.length();
        return;
      case 5:
        if (this.pos + 4 > this.end) this.fail("truncated fixed32");
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
  }

  /** Reads packed or unpacked repeated values into `out`, with `read` for one element. */
  repeated(wireType: number, out: number[], read: () => number): void {
    if (wireType === 2) {
      const n = this.length();
      const end = this.pos + n;
      const saved = this.end;
      this.end = end;
      while (this.pos < end) out.push(read());
      this.end = saved;
    } else {
      out.push(read());
    }
  }

  /** Runs `fn` on a nested message's bytes, restoring bounds afterwards. */
  nested<T>(where: string, fn: (r: ProtoReader) => T): T {
    const n = this.length();
    const sub = new ProtoReader(this.buf, this.pos, this.pos + n, `${this.where}.${where}`);
    const v = fn(sub);
    this.pos += n;
    return v;
  }
}
