// OTLP/gRPC client for exporters: connect-node's gRPC transport over HTTP/2, sending a
// batch's original bytes when it still has them.

import { fromBinary, type DescMethodUnary, type DescMessage } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { compressionGzip, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { AnyBatch } from "./batch.ts";
import type { Compression } from "@connectrpc/connect/protocol";
import { ExportError, type ExportResult } from "./export_error.ts";
import { compressionZstd } from "./grpc_compression.ts";
import { RetryInfoSchema } from "./gen/google/rpc/error_details_pb.ts";
import { SIGNAL_DESCRIPTORS, SIGNALS, type ExportResponse, type Signal } from "./pdata.ts";
import { partialSuccessOf } from "./response.ts";
import { isRetryableGrpcCode } from "./status.ts";

export interface ClientTls {
  /** PEM CA bundle to trust instead of the system roots. */
  ca?: string;
  /** PEM client certificate and key for mutual TLS. */
  cert?: string;
  key?: string;
  serverName?: string;
  insecureSkipVerify?: boolean;
  minVersion?: "TLSv1.2" | "TLSv1.3";
  maxVersion?: "TLSv1.2" | "TLSv1.3";
}

export interface OtlpGrpcClientOptions {
  /** `host:port` (TLS unless `insecure`), or `http://host:port` / `https://host:port`. */
  endpoint: string;
  /** Plain-text HTTP/2 (h2c) instead of TLS. */
  insecure?: boolean;
  tls?: ClientTls;
  /** Default `gzip`, as otelcol.exporter.otlp; `zstd` where the runtime has it. */
  compression?: "gzip" | "zstd" | "none";
  headers?: Record<string, string>;
  /** Per-request deadline. Default 5 s. */
  timeoutMs?: number;
  keepalive?: { pingIntervalMs?: number; pingTimeoutMs?: number; pingWithoutStream?: boolean };
}

export interface ExportCallOptions {
  signal?: AbortSignal;
  /** Extra headers for this call (e.g. from an auth extension). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

type RawExport = DescMethodUnary<typeof EmptySchema, DescMessage>;

export class OtlpGrpcClient {
  readonly #transport: Transport;
  readonly #sessions: Http2SessionManager;
  readonly #methods: Record<Signal, RawExport>;
  readonly #opts: OtlpGrpcClientOptions;

  constructor(opts: OtlpGrpcClientOptions) {
    this.#opts = opts;
    const baseUrl = grpcBaseUrl(opts.endpoint, opts.insecure === true);
    const tls = opts.tls ?? {};
    const nodeOptions = {
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      ...(tls.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
      ...(tls.minVersion ? { minVersion: tls.minVersion } : {}),
      ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
    };
    const ka = opts.keepalive ?? {};
    this.#sessions = new Http2SessionManager(
      baseUrl,
      {
        ...(ka.pingIntervalMs ? { pingIntervalMs: ka.pingIntervalMs } : {}),
        ...(ka.pingTimeoutMs ? { pingTimeoutMs: ka.pingTimeoutMs } : {}),
        ...(ka.pingWithoutStream ? { pingIdleConnection: true } : {}),
      },
      nodeOptions,
    );
    this.#transport = createGrpcTransport({
      baseUrl,
      sessionManager: this.#sessions,
      ...sendCompression(opts.compression ?? "gzip"),
      acceptCompression: compressionZstd ? [compressionGzip, compressionZstd] : [compressionGzip],
      compressMinBytes: 0,
    });
    this.#methods = Object.fromEntries(
      SIGNALS.map((s) => {
        const original = SIGNAL_DESCRIPTORS[s].service.methods.find((m) => m.localName === "export")!;
        // Same RPC path, but the request is written from unknown fields: see exportBytes.
        return [s, { ...original, input: EmptySchema } as unknown as RawExport];
      }),
    ) as Record<Signal, RawExport>;
  }

  /** Sends a batch: its original bytes when unchanged, else its request freshly encoded. */
  export(batch: AnyBatch, call?: ExportCallOptions): Promise<ExportResult> {
    return this.exportBytes(batch.signal, batch.toBinary(), call);
  }

  /**
   * Sends an already-encoded export request. Parsing the bytes as google.protobuf.Empty keeps
   * every top-level field as an unknown field, which the transport writes back unchanged.
   */
  async exportBytes(signal: Signal, body: Uint8Array, call: ExportCallOptions = {}): Promise<ExportResult> {
    const input = fromBinary(EmptySchema, body);
    const headers = { ...this.#opts.headers, ...call.headers };
    try {
      const res = await this.#transport.unary(
        this.#methods[signal],
        call.signal,
        call.timeoutMs ?? this.#opts.timeoutMs ?? 5000,
        headers,
        input,
      );
      const partial = partialSuccessOf(res.message as ExportResponse);
      return partial ?? { rejected: 0, message: "" };
    } catch (err) {
      throw classifyGrpcError(err, this.#opts.endpoint);
    }
  }

  close(): void {
    this.#sessions.abort();
  }
}

function sendCompression(c: "gzip" | "zstd" | "none"): { sendCompression?: Compression } {
  if (c === "none") return {};
  if (c === "zstd") {
    if (!compressionZstd) throw new Error("zstd compression is not available in this runtime");
    return { sendCompression: compressionZstd };
  }
  return { sendCompression: compressionGzip };
}

function grpcBaseUrl(endpoint: string, insecure: boolean): string {
  if (/^https?:\/\//i.test(endpoint)) return endpoint.replace(/\/+$/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    throw new Error(`invalid gRPC endpoint "${endpoint}": want host:port, http://host:port or https://host:port`);
  }
  return `${insecure ? "http" : "https"}://${endpoint}`;
}

/** OTLP/gRPC failure rules: the spec's retryable codes, RESOURCE_EXHAUSTED only with RetryInfo. */
export function classifyGrpcError(err: unknown, endpoint: string): ExportError {
  const ce = ConnectError.from(err);
  let retryAfterSeconds: number | undefined;
  for (const d of ce.findDetails(RetryInfoSchema)) {
    const delay = d.retryDelay;
    if (delay) retryAfterSeconds = Number(delay.seconds) + delay.nanos / 1e9;
  }
  let retryable = isRetryableGrpcCode(ce.code);
  if (ce.code === Code.ResourceExhausted) retryable = retryAfterSeconds !== undefined;
  const message = `OTLP/gRPC export to ${endpoint} failed: ${Code[ce.code]}: ${ce.rawMessage}`;
  return new ExportError(message, !retryable, {
    grpcCode: ce.code,
    throttled: ce.code === Code.ResourceExhausted,
    cause: err,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

