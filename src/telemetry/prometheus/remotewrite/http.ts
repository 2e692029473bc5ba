// HTTP framing of remote write 1.0: headers a sender sets, and the checks a
// receiver applies before decoding (Content-Encoding snappy, protobuf body).

import { snappyCompress, snappyDecompress } from "../../../../wasm/snappy.ts";
import type { MetricsBatch } from "../batch.ts";
import { ProtoWriter } from "../protowire.ts";
import { decodeWriteRequest, type DecodedWriteRequest } from "./decode.ts";
import { familyMetadata, writeWriteRequest, type MetricFamilyMetadata } from "./encode.ts";
import { decodeWriteRequestV2, encodeWriteRequestV2, REMOTE_WRITE_V2_CONTENT_TYPE, REMOTE_WRITE_V2_MESSAGE, REMOTE_WRITE_V2_VERSION } from "./v2.ts";

export type RemoteWriteMessage = "prometheus.WriteRequest" | "io.prometheus.write.v2.Request";

export const REMOTE_WRITE_VERSION = "0.1.0";
export const REMOTE_WRITE_CONTENT_TYPE = "application/x-protobuf";

/** Headers Prometheus's remote write client sends (1.0 unless `message` asks for 2.0). */
export function remoteWriteHeaders(userAgent: string, message: RemoteWriteMessage = "prometheus.WriteRequest"): Record<string, string> {
  const v2 = message === REMOTE_WRITE_V2_MESSAGE;
  return {
    "Content-Encoding": "snappy",
    "Content-Type": v2 ? REMOTE_WRITE_V2_CONTENT_TYPE : REMOTE_WRITE_CONTENT_TYPE,
    "User-Agent": userAgent,
    "X-Prometheus-Remote-Write-Version": v2 ? REMOTE_WRITE_V2_VERSION : REMOTE_WRITE_VERSION,
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

/** Builds snappy-compressed remote write 2.0 bodies. */
export class RemoteWriteV2Encoder {
  #writer = new ProtoWriter(256 * 1024);

  encode(batch: MetricsBatch): { body: Uint8Array; uncompressedBytes: number } {
    const raw = encodeWriteRequestV2(batch, this.#writer);
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
 * Validates headers and decodes a remote write request body as Prometheus's
 * receiver does: the body is snappy-compressed protobuf; the Content-Type must be
 * application/x-protobuf, and its `proto` parameter (default prometheus.WriteRequest)
 * one of `accepted`, else 415. Errors carry the HTTP status to answer with. 2.0
 * requests come back as a batch whose metadata entries are per series.
 */
export function decodeRemoteWriteBody(
  body: Uint8Array,
  headers: { get(name: string): string | null },
  maxDecodedBytes?: number,
  accepted: readonly RemoteWriteMessage[] = ["prometheus.WriteRequest"],
): DecodedWriteRequest & { message: RemoteWriteMessage } {
  let message: RemoteWriteMessage = "prometheus.WriteRequest";
  const ct = headers.get("content-type");
  if (ct !== null && ct !== "") {
    const [mt, ...params] = ct.split(";").map((s) => s.trim());
    if (mt!.toLowerCase() !== REMOTE_WRITE_CONTENT_TYPE) {
      throw new RemoteWriteRequestError(`unsupported Content-Type ${JSON.stringify(ct)}, expected ${REMOTE_WRITE_CONTENT_TYPE}`, 415);
    }
    for (const p of params) {
      const [k, v] = p.split("=").map((s) => s.trim());
      if (k !== "proto") continue;
      if (v !== "prometheus.WriteRequest" && v !== REMOTE_WRITE_V2_MESSAGE) {
        throw new RemoteWriteRequestError(`unsupported protobuf message ${JSON.stringify(v)}, expected one of ${accepted.join(", ")}`, 415);
      }
      message = v;
    }
    if (!accepted.includes(message)) {
      throw new RemoteWriteRequestError(`unsupported protobuf message ${JSON.stringify(message)}, expected one of ${accepted.join(", ")}`, 415);
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
    if (message === REMOTE_WRITE_V2_MESSAGE) {
      const batch = decodeWriteRequestV2(raw);
      return { batch, metadata: familyMetadata(batch), message };
    }
    return { ...decodeWriteRequest(raw), message };
  } catch (e) {
    throw new RemoteWriteRequestError(e instanceof Error ? e.message : String(e), 400);
  }
}
