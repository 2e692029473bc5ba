// OTLP/HTTP client for exporters: fetch with protobuf or JSON bodies, optional gzip,
// and responses classified as the OTLP spec says (retry 429/502/503/504, honour Retry-After).

import { fromBinary } from "@bufbuild/protobuf";
import type { AnyBatch } from "./batch.ts";
import { CONTENT_TYPE, decodeExportResponse, encodeExportRequest, encodingOfContentType, type OtlpEncoding } from "./codec.ts";
import { compressBody, type ContentEncoding } from "./compression.ts";
import { ExportError, type ExportResult } from "./export_error.ts";
import type { ExportRequest, Signal } from "./pdata.ts";
import { partialSuccessOf } from "./response.ts";
import { otlpJson, pdata } from "./schemas.ts";
import { isRetryableHttpStatus } from "./status.ts";
import type { ExportCallOptions } from "./grpc_client.ts";

export interface OtlpHttpClientOptions {
  /** Full URL per signal, e.g. `http://collector:4318/v1/traces`. */
  urls: Partial<Record<Signal, string>>;
  /** Default `protobuf`. */
  encoding?: OtlpEncoding;
  /** Default `gzip`, as otelcol.exporter.otlphttp. */
  compression?: ContentEncoding | "none";
  headers?: Record<string, string>;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** fetch to use (the runtime's, which also reaches in-memory addresses). Default global fetch. */
  fetch?: typeof fetch;
  /** TLS settings passed to Bun's fetch. */
  tls?: { ca?: string; cert?: string; key?: string; serverName?: string; insecureSkipVerify?: boolean };
}

/** Builds per-signal URLs from a base endpoint the way otelcol.exporter.otlphttp does. */
export function otlpHttpUrls(endpoint: string, overrides: Partial<Record<Signal, string>> = {}): Record<Signal, string> {
  const base = endpoint.replace(/\/+$/, "");
  return {
    traces: overrides.traces ?? `${base}/v1/traces`,
    metrics: overrides.metrics ?? `${base}/v1/metrics`,
    logs: overrides.logs ?? `${base}/v1/logs`,
  };
}

export class OtlpHttpClient {
  readonly #opts: OtlpHttpClientOptions;
  readonly #fetch: typeof fetch;

  constructor(opts: OtlpHttpClientOptions) {
    this.#opts = opts;
    this.#fetch = opts.fetch ?? fetch;
  }

  get encoding(): OtlpEncoding {
    return this.#opts.encoding ?? "protobuf";
  }

  /** Sends a batch; protobuf reuses the batch's original bytes when it still has them. */
  export(batch: AnyBatch, call?: ExportCallOptions): Promise<ExportResult> {
    const body = this.encoding === "protobuf" ? batch.toBinary() : encodeExportRequest(batch.signal, batch.request as ExportRequest, "json");
    return this.exportBytes(batch.signal, body, call);
  }

  /** Sends an export request already encoded in this client's encoding. */
  async exportBytes(signal: Signal, encoded: Uint8Array, call: ExportCallOptions = {}): Promise<ExportResult> {
    const url = this.#opts.urls[signal];
    if (!url) throw new ExportError(`no OTLP/HTTP URL configured for ${signal}`, true);
    const headers: Record<string, string> = {
      ...this.#opts.headers,
      ...call.headers,
      "Content-Type": CONTENT_TYPE[this.encoding],
    };
    let body: Uint8Array = encoded;
    const compression = this.#opts.compression ?? "gzip";
    if (compression !== "none") {
      body = await compressBody(compression, encoded);
      headers["Content-Encoding"] = compression === "zlib" ? "deflate" : compression;
    }
    const timeout = AbortSignal.timeout(call.timeoutMs ?? this.#opts.timeoutMs ?? 30_000);
    const signalOpt = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method: "POST",
        headers,
        body: body as Uint8Array<ArrayBuffer>,
        signal: signalOpt,
        ...(this.#opts.tls ? { tls: bunTls(this.#opts.tls) } : {}),
      } as RequestInit);
    } catch (err) {
      // Network errors and timeouts are worth retrying.
      throw new ExportError(`OTLP/HTTP export to ${url} failed: ${(err as Error).message}`, false, { cause: err });
    }
    const bytes = new Uint8Array(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
    if (res.ok) return parseSuccess(signal, bytes, res.headers.get("content-type"), this.encoding);
    throw classifyHttpFailure(url, res.status, res.headers, bytes);
  }
}

function bunTls(t: NonNullable<OtlpHttpClientOptions["tls"]>): Record<string, unknown> {
  return {
    ...(t.ca ? { ca: t.ca } : {}),
    ...(t.cert ? { cert: t.cert } : {}),
    ...(t.key ? { key: t.key } : {}),
    ...(t.serverName ? { serverName: t.serverName } : {}),
    ...(t.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
  };
}

function parseSuccess(signal: Signal, body: Uint8Array, contentType: string | null, sent: OtlpEncoding): ExportResult {
  if (body.byteLength === 0) return { rejected: 0, message: "" };
  try {
    const encoding = encodingOfContentType(contentType) ?? sent;
    const partial = partialSuccessOf(decodeExportResponse(signal, body, encoding));
    return partial ?? { rejected: 0, message: "" };
  } catch {
    // A 2xx is a success even when the body is not a valid response (the spec allows empty bodies).
    return { rejected: 0, message: "" };
  }
}

/** OTLP/HTTP failure rules: 429/502/503/504 are retryable (honouring Retry-After); the rest are permanent. */
export function classifyHttpFailure(url: string, status: number, headers: Headers, body: Uint8Array): ExportError {
  const retryable = isRetryableHttpStatus(status);
  const retryAfterSeconds = parseRetryAfter(headers.get("retry-after"));
  const detail = statusMessage(body, headers.get("content-type"));
  const message = `OTLP/HTTP export to ${url} failed: HTTP ${status}${detail ? `: ${detail}` : ""}`;
  return new ExportError(message, !retryable, {
    httpStatus: status,
    throttled: status === 429,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

/** Retry-After as seconds: either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}

function statusMessage(body: Uint8Array, contentType: string | null): string {
  if (body.byteLength === 0) return "";
  const encoding = encodingOfContentType(contentType);
  try {
    if (encoding === "protobuf") return fromBinary(pdata().RpcStatusSchema, body).message;
    if (encoding === "json") return otlpJson().decodeOtlpJson(pdata().RpcStatusSchema, body).message;
  } catch {
    // fall through to the raw text
  }
  const text = new TextDecoder().decode(body.subarray(0, 512)).trim();
  return text;
}
