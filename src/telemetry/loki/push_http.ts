// Reading a push request body the way Loki's /loki/api/v1/push handler does:
// Content-Encoding "", "snappy", "gzip" or "deflate"; Content-Type
// application/json for the JSON form, anything else (or none) for
// snappy-compressed protobuf.

import { inflateSync, gunzipSync } from "node:zlib";
import type { Stream } from "./entry.ts";
import { decodeSnappyPush, DEFAULT_MAX_PUSH_BYTES, PushDecodeError } from "./push.ts";
import { decodeJsonPush } from "./push_json.ts";

export interface PushBodyOptions {
  /** Largest decompressed body accepted, in bytes. */
  maxDecodedBytes?: number;
}

/** Decodes a push body; throws PushDecodeError with a message fit for a 400 response. */
export function decodePushBody(
  body: Uint8Array,
  contentType: string | null | undefined,
  contentEncoding: string | null | undefined,
  opts: PushBodyOptions = {},
): Stream[] {
  const max = opts.maxDecodedBytes ?? DEFAULT_MAX_PUSH_BYTES;
  let raw = body;
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  try {
    switch (encoding) {
      case "":
      case "snappy":
        break;
      case "gzip":
        raw = gunzipSync(body, { maxOutputLength: max });
        break;
      case "deflate":
        raw = inflateSync(body, { maxOutputLength: max });
        break;
      default:
        throw new PushDecodeError(`Content-Encoding "${contentEncoding}" not supported`);
    }
  } catch (err) {
    if (err instanceof PushDecodeError) throw err;
    throw new PushDecodeError(`invalid ${encoding} body: ${(err as Error).message}`);
  }
  const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json") {
    if (raw.length > max) throw new PushDecodeError(`push body of ${raw.length} bytes exceeds the limit of ${max} bytes`);
    return decodeJsonPush(raw);
  }
  return decodeSnappyPush(raw, undefined, max);
}
