// Snappy Content-Encodings as the Collector reads them: `snappy` is the block format (a
// body starting with the framing format's stream identifier is read as framed, as the
// Collector also does), `x-snappy-framed` the framing format.

import { snappyCompress, snappyDecodedLength, snappyDecompress } from "../../../wasm/snappy.ts";
import { concatBytes } from "../concat_bytes.ts";
import { PayloadError } from "./payload_error.ts";

// The framing format's stream identifier chunk: type 0xff, length 6, "sNaPpY".
const STREAM_IDENTIFIER = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59];

function isFramed(body: Uint8Array): boolean {
  return body.length >= STREAM_IDENTIFIER.length && STREAM_IDENTIFIER.every((b, i) => body[i] === b);
}

export function snappyBlockDecode(body: Uint8Array, maxBytes: number): Uint8Array {
  if (isFramed(body)) return snappyFramedDecode(body, maxBytes);
  let size: number;
  try {
    size = snappyDecodedLength(body);
  } catch (err) {
    throw new PayloadError("invalid", `cannot decompress snappy body: ${(err as Error).message}`);
  }
  if (size > maxBytes) throw new PayloadError("too_large", `decompressed body of ${size} bytes exceeds the limit of ${maxBytes} bytes`);
  try {
    return snappyDecompress(body, maxBytes);
  } catch (err) {
    throw new PayloadError("invalid", `cannot decompress snappy body: ${(err as Error).message}`);
  }
}

/** Reads the snappy framing format (checksums are not verified; each block is still validated). */
export function snappyFramedDecode(body: Uint8Array, maxBytes: number): Uint8Array {
  const out: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  const fail = (why: string): never => {
    throw new PayloadError("invalid", `cannot decompress x-snappy-framed body: ${why}`);
  };
  while (pos < body.length) {
    if (pos + 4 > body.length) fail("truncated chunk header");
    const type = body[pos]!;
    const len = body[pos + 1]! | (body[pos + 2]! << 8) | (body[pos + 3]! << 16);
    const start = pos + 4;
    const end = start + len;
    if (end > body.length) fail("truncated chunk");
    let data: Uint8Array | undefined;
    if (type === 0x00 || type === 0x01) {
      if (len < 4) fail("chunk shorter than its checksum");
      const payload = body.subarray(start + 4, end);
      data = type === 0x01 ? payload : snappyBlockDecode(payload, maxBytes - total);
    } else if (type !== 0xff && type < 0x80) {
      fail(`reserved chunk type 0x${type.toString(16)}`);
    }
    if (data) {
      total += data.length;
      if (total > maxBytes) throw new PayloadError("too_large", `decompressed body exceeds the limit of ${maxBytes} bytes`);
      out.push(data);
    }
    pos = end;
  }
  return concatBytes(out, total);
}

export function snappyBlockEncode(body: Uint8Array): Uint8Array {
  return snappyCompress(body);
}
