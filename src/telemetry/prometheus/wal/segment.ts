// On-disk framing of WAL records inside a segment file:
//
//   magic "WL" (2 bytes) | length (u32 LE) | CRC-32C of length+payload (u32 LE) | payload
//
// The checksum covers the length, so a record is only accepted when its header and
// payload agree. After a bad record the scanner looks for the next offset where a
// valid record starts and reports the damaged range (file, offset, length): a flipped
// byte costs the records it hit, never the rest of the segment. A record cut short at
// the end of a segment is "torn" when a newer segment exists (it will never be
// completed) and "pending" in the segment being written.

import { crc32c } from "./crc32c.ts";

export const MAGIC0 = 0x57; // 'W'
export const MAGIC1 = 0x4c; // 'L'
export const HEADER_SIZE = 10;
/** Records larger than this are treated as corrupt headers. */
export const MAX_RECORD_SIZE = 256 * 1024 * 1024;

export function segmentName(n: number): string {
  return String(n).padStart(8, "0");
}

export function parseSegmentName(name: string): number | undefined {
  return /^\d{8,}$/.test(name) ? Number(name) : undefined;
}

/** Frames payloads into one buffer ready to append to a segment. */
export function frameRecords(payloads: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of payloads) total += HEADER_SIZE + p.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let o = 0;
  for (const p of payloads) {
    out[o] = MAGIC0;
    out[o + 1] = MAGIC1;
    view.setUint32(o + 2, p.length, true);
    out.set(p, o + HEADER_SIZE);
    const crc = crc32c(p, 0, p.length, crc32c(out, o + 2, o + 6));
    view.setUint32(o + 6, crc, true);
    o += HEADER_SIZE + p.length;
  }
  return out;
}

export interface Corruption {
  /** Segment file path. */
  file: string;
  /** Byte offset of the damaged range. */
  offset: number;
  /** Length of the damaged range that was skipped. */
  length: number;
  reason: string;
}

export interface ScanResult {
  /** Payloads of valid records with their offsets. */
  records: { offset: number; payload: Uint8Array }[];
  corruptions: Corruption[];
  /** Offset up to which the data was consumed (start of a pending record, or the end). */
  end: number;
}

function validAt(buf: Uint8Array, view: DataView, o: number): number {
  // Returns the record's total size, 0 if it is cut short, -1 if invalid.
  if (o + HEADER_SIZE > buf.length) return buf[o] === MAGIC0 && (o + 1 >= buf.length || buf[o + 1] === MAGIC1) ? 0 : -1;
  if (buf[o] !== MAGIC0 || buf[o + 1] !== MAGIC1) return -1;
  const len = view.getUint32(o + 2, true);
  if (len > MAX_RECORD_SIZE) return -1;
  if (o + HEADER_SIZE + len > buf.length) return 0;
  const crc = crc32c(buf, o + HEADER_SIZE, o + HEADER_SIZE + len, crc32c(buf, o + 2, o + 6));
  return crc === view.getUint32(o + 6, true) ? HEADER_SIZE + len : -1;
}

/**
 * Scans `buf` (the segment's bytes from `base`) for records. With `final` true the
 * segment is complete and a cut-short record at the end is torn (reported); with
 * `final` false it may still be being written, and scanning stops before it.
 */
export function scanSegment(buf: Uint8Array, file: string, base: number, final: boolean): ScanResult {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: ScanResult["records"] = [];
  const corruptions: Corruption[] = [];
  let o = 0;
  while (o < buf.length) {
    const size = validAt(buf, view, o);
    if (size > 0) {
      records.push({ offset: base + o, payload: buf.subarray(o + HEADER_SIZE, o + size) });
      o += size;
      continue;
    }
    if (size === 0) {
      if (!final) return { records, corruptions, end: base + o };
      corruptions.push({ file, offset: base + o, length: buf.length - o, reason: "torn record at the end of the segment" });
      return { records, corruptions, end: base + buf.length };
    }
    // Corrupt: find the next offset where a complete valid record starts.
    let next = o + 1;
    let pendingAt = -1;
    for (; next < buf.length; next++) {
      if (buf[next] !== MAGIC0) continue;
      const s = validAt(buf, view, next);
      if (s > 0) break;
      if (s === 0 && pendingAt < 0) pendingAt = next;
    }
    if (next >= buf.length && !final && pendingAt >= 0) {
      // The damage may be followed by a record still being written: resume there later.
      corruptions.push({ file, offset: base + o, length: pendingAt - o, reason: "corrupt record (checksum or header mismatch)" });
      return { records, corruptions, end: base + pendingAt };
    }
    corruptions.push({ file, offset: base + o, length: next - o, reason: "corrupt record (checksum or header mismatch)" });
    o = next;
  }
  return { records, corruptions, end: base + o };
}
