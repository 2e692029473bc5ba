// OTLP/gRPC receiver transport: the three collector services over HTTP/2 (h2c or TLS) on
// node:http2, each call served by grpc_export_call.ts.

import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import type { OtelConsumer } from "./consumer.ts";
import { formatHostPort, parseHostPort } from "./endpoint.ts";
import { serveStream, type ExportCallOptions } from "./grpc_export_call.ts";
import type { Signal } from "./pdata.ts";
import type { ServerAuthenticator } from "./server_auth.ts";
import { applyServerKeepalive, type GrpcServerKeepalive } from "./grpc_keepalive.ts";

export interface OtlpGrpcServerOptions {
  /** `host:port`; port 0 picks a free port. Default `0.0.0.0:4317`. With `transport: "unix"`, a socket path. */
  endpoint?: string;
  /** `tcp` (default) or `unix` (a Unix domain socket at `endpoint`). */
  transport?: "tcp" | "unix";
  /** Largest accepted message, after decompression. Default 4 MiB, as the Collector. */
  maxRecvMsgSize?: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection. */
  maxConcurrentStreams?: number;
  /** Pass request headers to the consumer as client metadata. */
  includeMetadata?: boolean;
  keepalive?: GrpcServerKeepalive;
  /** Serve TLS with these PEM credentials instead of h2c. */
  tls?: GrpcServerTls;
  /** Called once per export request, after the consumer answered (for self-metrics). */
  onExport?: (event: ExportEvent) => void;
  /** The receiver's auth extension; a refusal is UNAUTHENTICATED. */
  auth?: ServerAuthenticator;
  /** Connection-level failures (broken sockets, TLS handshakes), for logging; they never stop the server. */
  onError?: (err: Error) => void;
}

export interface GrpcServerTls {
  cert: string | Uint8Array;
  key: string | Uint8Array;
  /** CA for client certificates; when set, clients must present one. */
  clientCa?: string | Uint8Array;
  minVersion?: "TLSv1.2" | "TLSv1.3";
  maxVersion?: "TLSv1.2" | "TLSv1.3";
}

export interface ExportEvent {
  signal: Signal;
  transport: "grpc" | "http";
  /** Items in the request (0 when it could not be decoded). */
  items: number;
  /** The failure returned to the client, if any. */
  error?: unknown;
}

export interface OtlpServerHandle {
  /** `host:port` actually bound. */
  readonly address: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish briefly, then closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_MAX_RECV = 4 * 1024 * 1024;

export async function startOtlpGrpcServer(opts: OtlpGrpcServerOptions, consumer: OtelConsumer): Promise<OtlpServerHandle> {
  const unix = opts.transport === "unix";
  if (unix && !opts.endpoint) throw new Error(`transport "unix" needs an endpoint: the socket path`);
  const { host, port } = unix ? { host: "", port: 0 } : parseHostPort(opts.endpoint ?? "0.0.0.0:4317");
  const maxRecv = opts.maxRecvMsgSize ?? DEFAULT_MAX_RECV;

  const call: ExportCallOptions = {
    consumer,
    maxRecvMsgSize: maxRecv,
    includeMetadata: opts.includeMetadata === true,
    auth: opts.auth,
    encodings: zlib.zstdDecompress === undefined ? ["gzip"] : ["gzip", "zstd"],
    onExport: opts.onExport,
  };

  const settings: http2.Settings = { initialWindowSize: streamWindowFor(maxRecv) };
  if (opts.maxConcurrentStreams !== undefined) settings.maxConcurrentStreams = opts.maxConcurrentStreams;
  const serverOptions: http2.SecureServerOptions = { settings };
  const server = opts.tls
    ? http2.createSecureServer({
        ...serverOptions,
        cert: toPem(opts.tls.cert),
        key: toPem(opts.tls.key),
        ...(opts.tls.clientCa ? { ca: toPem(opts.tls.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
        ...(opts.tls.minVersion ? { minVersion: opts.tls.minVersion } : {}),
        ...(opts.tls.maxVersion ? { maxVersion: opts.tls.maxVersion } : {}),
        allowHTTP1: false,
      })
    : http2.createServer(serverOptions);
  server.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => serveStream(stream, headers, call));

  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    widenReceiveWindow(session);
    session.on("close", () => sessions.delete(session));
    // A broken connection must not take the server down.
    session.on("error", (err: Error) => {
      opts.onError?.(err);
      session.destroy();
    });
    if (opts.keepalive) applyServerKeepalive(session, opts.keepalive);
  });
  server.on("sessionError", (err: Error) => opts.onError?.(err));
  server.on("tlsClientError", (err: Error) => opts.onError?.(err));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const onListening = () => {
      server.off("error", reject);
      resolve();
    };
    if (unix) server.listen(opts.endpoint!, onListening);
    else server.listen(port, host === "" ? undefined : host, onListening);
  });
  server.on("error", (err: Error) => opts.onError?.(err));
  const bound = server.address();
  const info = typeof bound === "object" && bound !== null ? (bound as AddressInfo) : undefined;
  return {
    address: info ? formatHostPort(info.address, info.port) : String(opts.endpoint),
    port: info?.port ?? 0,
    close: () => closeServer(server, sessions),
  };
}

/**
 * Flow-control windows, working around two Bun HTTP/2 defects:
 * - Bun's HTTP/2 client starves a stream whose DATA waits for the connection window while
 *   other streams keep coming: with ~10+ concurrent requests over 64 KiB in total, one
 *   request can stall until the others stop. A 16 MiB connection window (what grpc-go's BDP
 *   estimator grows to) keeps clients from blocking on it.
 * - Once the connection window is widened, Bun's server stops sending stream-level
 *   WINDOW_UPDATEs, so a request body larger than the stream window hangs. Every stream
 *   therefore starts with a window that holds the largest acceptable message, so no
 *   stream-level update is ever needed; anything larger is refused from its length prefix.
 */
const CONNECTION_WINDOW = 16 * 1024 * 1024;
const MAX_WINDOW = 2 ** 31 - 1;
function streamWindowFor(maxRecv: number): number {
  // gRPC's 5-byte message prefix, plus slack for a message split oddly across frames.
  return Math.min(MAX_WINDOW, maxRecv + 64 * 1024);
}
function widenReceiveWindow(session: http2.ServerHttp2Session): void {
  try {
    session.setLocalWindowSize(CONNECTION_WINDOW);
  } catch {
    // Not supported by every runtime; the default window still works, only slower.
  }
}

function toPem(v: string | Uint8Array): string | Buffer {
  return typeof v === "string" ? v : Buffer.from(v);
}

async function closeServer(server: http2.Http2Server | http2.Http2SecureServer, sessions: Set<http2.ServerHttp2Session>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // GOAWAY lets clients finish in-flight streams; whatever is left after a grace period is cut.
  for (const s of sessions) s.close();
  const grace = setTimeout(() => {
    for (const s of sessions) s.destroy();
  }, 2000);
  await closed;
  clearTimeout(grace);
}
