// Content-Encoding / grpc-encoding codecs with the decompressed size capped while
// inflating, so a small "zip bomb" cannot make the process allocate gigabytes.

import zlib from "node:zlib";
import { promisify } from "node:util";
import { PayloadError } from "./payload_error.ts";

// Snappy is WebAssembly: compiling it makes the process touch about 7 MiB of the runtime's
// WebAssembly compiler, so it is loaded on the first snappy body rather than at startup.
const snappy = () => import("./snappy_body.ts");

/** Encodings this library can read; `""`/`identity` mean uncompressed. */
export const SUPPORTED_ENCODINGS = ["gzip", "deflate", "zlib", "zstd", "snappy", "x-snappy-framed"] as const;
export type ContentEncoding = (typeof SUPPORTED_ENCODINGS)[number];

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const zstdCompress = zlib.zstdCompress === undefined ? undefined : promisify(zlib.zstdCompress);
const zstdDecompress = zlib.zstdDecompress === undefined ? undefined : promisify(zlib.zstdDecompress);

export function isIdentityEncoding(encoding: string | null | undefined): boolean {
  const e = (encoding ?? "").trim().toLowerCase();
  return e === "" || e === "identity";
}

export function normalizeEncoding(encoding: string): ContentEncoding | undefined {
  const e = encoding.trim().toLowerCase();
  return (SUPPORTED_ENCODINGS as readonly string[]).includes(e) ? (e as ContentEncoding) : undefined;
}

/**
 * Decompresses `body` (Content-Encoding `encoding`) to at most `maxBytes`.
 * Throws PayloadError: `too_large` past the limit, `invalid` for corrupt or truncated data,
 * `unsupported_encoding` for an encoding not in `allowed`.
 */
export async function decompress(
  encoding: string,
  body: Uint8Array,
  maxBytes: number,
  allowed: readonly string[] = SUPPORTED_ENCODINGS,
): Promise<Uint8Array> {
  if (isIdentityEncoding(encoding)) {
    if (body.byteLength > maxBytes) throw tooLarge(body.byteLength, maxBytes);
    return body;
  }
  const enc = normalizeEncoding(encoding);
  if (enc === undefined || !allowed.includes(enc)) {
    throw new PayloadError("unsupported_encoding", `unsupported Content-Encoding "${encoding}"; accepted: ${allowed.filter((a) => a !== "").join(", ")}`);
  }
  if (enc === "snappy") return (await snappy()).snappyBlockDecode(body, maxBytes);
  if (enc === "x-snappy-framed") return (await snappy()).snappyFramedDecode(body, maxBytes);
  // One byte past the limit is enough to know the payload is too large.
  const opts = { maxOutputLength: Math.max(1, maxBytes + 1) };
  let out: Uint8Array;
  try {
    switch (enc) {
      case "gzip":
        out = await gunzip(body, opts);
        break;
      case "deflate":
      case "zlib":
        out = await inflate(body, opts);
        break;
      case "zstd":
        if (zstdDecompress === undefined) throw new PayloadError("unsupported_encoding", "zstd is not available in this runtime");
        out = await zstdDecompress(body, opts);
        break;
    }
  } catch (err) {
    if (err instanceof PayloadError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(undefined, maxBytes);
    throw new PayloadError("invalid", `cannot decompress ${enc} body: ${(err as Error).message}`);
  }
  if (out.byteLength > maxBytes) throw tooLarge(out.byteLength, maxBytes);
  return out;
}

export async function compressGzip(body: Uint8Array): Promise<Uint8Array> {
  return gzip(body);
}

/** Compresses a body for Content-Encoding `encoding` (gzip, deflate/zlib, zstd or snappy block). */
export async function compressBody(encoding: ContentEncoding, body: Uint8Array): Promise<Uint8Array> {
  switch (encoding) {
    case "snappy":
      return (await snappy()).snappyBlockEncode(body);
    case "x-snappy-framed":
      throw new Error("sending x-snappy-framed bodies is not supported; use snappy");
    case "gzip":
      return gzip(body);
    case "deflate":
    case "zlib":
      return deflate(body);
    case "zstd":
      if (zstdCompress === undefined) throw new Error("zstd is not available in this runtime");
      return zstdCompress(body);
  }
}

function tooLarge(size: number | undefined, maxBytes: number): PayloadError {
  const what = size === undefined ? "decompressed body exceeds" : `body of ${size} bytes exceeds`;
  return new PayloadError("too_large", `${what} the limit of ${maxBytes} bytes`);
}
