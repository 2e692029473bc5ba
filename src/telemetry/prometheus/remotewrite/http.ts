// HTTP framing of remote write 1.0: headers a sender sets, and the checks a
// receiver applies before decoding (Content-Encoding snappy, protobuf body).

import { snappyCompress, snappyDecompress } from "../../../../wasm/snappy.ts";
import type { MetricsBatch } from "../batch.ts";
import { ProtoWriter } from "../protowire.ts";
import { decodeWriteRequest, type DecodedWriteRequest } from "./decode.ts";
import { writeWriteRequest, type MetricFamilyMetadata } from "./encode.ts";

export const REMOTE_WRITE_VERSION = "0.1.0";
export const REMOTE_WRITE_CONTENT_TYPE = "application/x-protobuf";

/** Headers Prometheus's remote write 1.0 client sends. */
export function remoteWriteHeaders(userAgent: string): Record<string, string> {
  return {
    "Content-Encoding": "snappy",
    "Content-Type": REMOTE_WRITE_CONTENT_TYPE,
    "User-Agent": userAgent,
    "X-Prometheus-Remote-Write-Version": REMOTE_WRITE_VERSION,
  };
}

/**
 * Builds snappy-compressed WriteRequest bodies, reusing one protobuf buffer across
 * requests (one encoder per queue shard).
 */
export class RemoteWriteEncoder {
  #writer = new ProtoWriter(256 * 1024);

  /** The compressed body and the uncompressed size (for the sent-bytes metrics). */
  encode(batch: MetricsBatch, metadata: readonly MetricFamilyMetadata[] = []): { body: Uint8Array; uncompressedBytes: number } {
    writeWriteRequest(this.#writer, batch, metadata);
    const raw = this.#writer.buf.subarray(0, this.#writer.pos);
    return { body: snappyCompress(raw), uncompressedBytes: raw.length };
  }
}

export class RemoteWriteRequestError extends Error {
  override name = "RemoteWriteRequestError";
  constructor(
    message: string,
    /** HTTP status a receiver should answer with. */
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Validates headers and decodes a remote write 1.0 request body as Prometheus's
 * receiver does: the body is snappy-compressed protobuf; a Content-Type other than
 * application/x-protobuf (with optional `proto=prometheus.WriteRequest`) is refused
 * with 415. Errors carry the HTTP status to answer with.
 */
export function decodeRemoteWriteBody(
  body: Uint8Array,
  headers: { get(name: string): string | null },
  maxDecodedBytes?: number,
): DecodedWriteRequest {
  const ct = headers.get("content-type");
  if (ct !== null && ct !== "") {
    const [mt, ...params] = ct.split(";").map((s) => s.trim());
    if (mt!.toLowerCase() !== REMOTE_WRITE_CONTENT_TYPE) {
      throw new RemoteWriteRequestError(`unsupported Content-Type ${JSON.stringify(ct)}, expected ${REMOTE_WRITE_CONTENT_TYPE}`, 415);
    }
    for (const p of params) {
      const [k, v] = p.split("=").map((s) => s.trim());
      if (k === "proto" && v !== "prometheus.WriteRequest") {
        throw new RemoteWriteRequestError(`unsupported protobuf message ${JSON.stringify(v)}, expected prometheus.WriteRequest`, 415);
      }
    }
  }
  const enc = headers.get("content-encoding");
  if (enc !== null && enc !== "" && enc.toLowerCase() !== "snappy") {
    throw new RemoteWriteRequestError(`unsupported Content-Encoding ${JSON.stringify(enc)}, expected snappy`, 415);
  }
  let raw: Uint8Array;
  try {
    raw = snappyDecompress(body, maxDecodedBytes);
  } catch (e) {
    throw new RemoteWriteRequestError(e instanceof Error ? e.message : String(e), 400);
  }
  try {
    return decodeWriteRequest(raw);
  } catch (e) {
    throw new RemoteWriteRequestError(e instanceof Error ? e.message : String(e), 400);
  }
}
