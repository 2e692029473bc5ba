// OTLP/HTTP receiver transport on Bun.serve: POST of protobuf or JSON export requests,
// optionally compressed, answered in the request's encoding (OTLP spec, "OTLP/HTTP").

import { create } from "@bufbuild/protobuf";
import type { Server } from "bun";
import type { ClientInfo } from "./batch.ts";
import { CONTENT_TYPE, decodeExportRequest, encodeExportResponse, encodingOfContentType, type OtlpEncoding } from "./codec.ts";
import { SUPPORTED_ENCODINGS, decompress } from "./compression.ts";
import { concatBytes } from "../concat_bytes.ts";
import { consumeBatch, errorMessage, findConsumerError, type OtelConsumer } from "./consumer.ts";
import { CorsPolicy, type CorsOptions } from "./cors.ts";
import { formatHostPort, parseHostPort } from "./endpoint.ts";
import type { ExportEvent } from "./grpc_server.ts";
import { encodedBatch, freeBuffer, isWholeBuffer, newBatch } from "./batch.ts";
import { encodeOtlpProtobuf } from "./otlp_protobuf.ts";
import { PayloadError } from "./payload_error.ts";
import { exportResponse, fullSuccessBody } from "./response.ts";
import { otlpJson, pdata } from "./schemas.ts";
import { SIGNALS, SIGNAL_FACTS, type Signal } from "./signal.ts";
import { grpcCodeForHttpStatus, httpStatusFor } from "./status.ts";
import { authenticate, headerMap, type ServerAuthenticator } from "./server_auth.ts";

export interface OtlpHttpServerOptions {
  /** `host:port`; port 0 picks a free port. Default `0.0.0.0:4318`. */
  endpoint?: string;
  /** Paths per signal; defaults `/v1/traces`, `/v1/metrics`, `/v1/logs`. */
  paths?: Partial<Record<Signal, string>>;
  /** Largest body accepted, before and after decompression. Default 20 MiB. */
  maxRequestBodySize?: number;
  /** Content-Encodings accepted (`""` is uncompressed). Default: all this library supports. */
  compressionAlgorithms?: readonly string[];
  includeMetadata?: boolean;
  cors?: CorsOptions;
  /** Seconds an idle keep-alive connection stays open (Bun caps this at 255). */
  idleTimeoutSeconds?: number;
  tls?: { cert: string; key: string; clientCa?: string };
  onExport?: (event: ExportEvent) => void;
  /** The receiver's auth extension; a refusal is 401. */
  auth?: ServerAuthenticator;
}

export interface OtlpHttpServerHandle {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 20 * 1024 * 1024;

export async function startOtlpHttpServer(opts: OtlpHttpServerOptions, consumer: OtelConsumer): Promise<OtlpHttpServerHandle> {
  const { host, port } = parseHostPort(opts.endpoint ?? "0.0.0.0:4318");
  const routes = new Map<string, Signal>();
  for (const signal of SIGNALS) routes.set(opts.paths?.[signal] ?? SIGNAL_FACTS[signal].httpPath, signal);
  const cors = opts.cors && opts.cors.allowedOrigins.length > 0 ? new CorsPolicy(opts.cors) : undefined;
  const ctx: RequestContext = {
    consumer,
    maxBody: opts.maxRequestBodySize ?? DEFAULT_MAX_BODY,
    encodings: opts.compressionAlgorithms ?? ["", ...SUPPORTED_ENCODINGS],
    includeMetadata: opts.includeMetadata === true,
    onExport: opts.onExport,
    auth: opts.auth,
  };

  const server: Server<undefined> = Bun.serve({
    hostname: host === "" ? "0.0.0.0" : host,
    port,
    // Bodies are read and limited by handleExport so that oversize requests get an OTLP error body.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: Math.min(255, Math.max(0, Math.round(opts.idleTimeoutSeconds ?? 60))),
    ...(opts.tls ? { tls: { cert: opts.tls.cert, key: opts.tls.key, ...(opts.tls.clientCa ? { ca: opts.tls.clientCa, requestCert: true } : {}) } } : {}),
    fetch: async (req, srv) => {
      // The raw path matches on the hot path; a normalized one (dot segments, escapes) otherwise.
      const signal = routes.get(pathOf(req.url)) ?? routes.get(new URL(req.url).pathname);
      if (signal === undefined) return textResponse(404, "404 page not found");
      if (cors && req.method === "OPTIONS" && req.headers.has("access-control-request-method")) return cors.preflight(req);
      const peer = srv.requestIP(req);
      const res = req.method === "POST"
        ? await handleExport(req, signal, ctx, peer ? formatHostPort(peer.address, peer.port) : undefined)
        : textResponse(405, "405 method not allowed, supported: [POST]", { Allow: "POST" });
      return cors ? cors.decorate(req, res) : res;
    },
    error: (err) => textResponse(500, `internal error: ${errorMessage(err)}`),
  });

  const boundPort = server.port ?? port;
  return {
    address: formatHostPort(host === "" ? "0.0.0.0" : host, boundPort),
    port: boundPort,
    close: async () => {
      // In-flight requests get two seconds to finish before their connections are cut.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
      await Promise.race([server.stop(false), grace]);
      clearTimeout(timer);
      await server.stop(true);
    },
  };
}

interface RequestContext {
  consumer: OtelConsumer;
  maxBody: number;
  encodings: readonly string[];
  includeMetadata: boolean;
  onExport: ((event: ExportEvent) => void) | undefined;
  auth: ServerAuthenticator | undefined;
}

async function handleExport(req: Request, signal: Signal, ctx: RequestContext, address: string | undefined): Promise<Response> {
  const encoding = encodingOfContentType(req.headers.get("content-type"));
  try {
    // Authentication comes first, as the Collector's auth middleware wraps the whole handler.
    await authenticate(ctx.auth, () => headerMap((cb) => req.headers.forEach(cb)));
  } catch (err) {
    ctx.onExport?.({ signal, transport: "http", items: 0, error: err });
    return encoding === undefined ? textResponse(401, errorMessage(err)) : errorResponse(err, encoding);
  }
  if (encoding === undefined) {
    ctx.onExport?.({ signal, transport: "http", items: 0, error: new PayloadError("unsupported_media_type", "unsupported content type") });
    return textResponse(415, `415 unsupported media type, supported: [${CONTENT_TYPE.json}, ${CONTENT_TYPE.protobuf}]`);
  }
  let items = 0;
  try {
    const raw = await readBody(req, ctx.maxBody);
    const contentEncoding = req.headers.get("content-encoding") ?? "";
    const body = await decompress(contentEncoding, raw, ctx.maxBody, ctx.encodings);
    const client: ClientInfo = {
      ...(address ? { address } : {}),
      ...(ctx.includeMetadata ? { metadata: headerMap((cb) => req.headers.forEach(cb)) } : {}),
    };
    // The compressed body is not needed any more.
    if (body !== raw && isWholeBuffer(raw)) freeBuffer(raw);
    // Only protobuf bodies are kept: they are exactly what an exporter would send. A body
    // read into a buffer of its own is handed on with it (see AnyBatch.ownBytes).
    const batch = encoding === "protobuf" ? encodedBatch(signal, body, client) : newBatch(signal, decodeExportRequest(signal, body, encoding), { client });
    if (isWholeBuffer(body)) batch.ownBytes();
    items = batch.itemCount();
    const result = await consumeBatch(ctx.consumer, batch);
    ctx.onExport?.({ signal, transport: "http", items });
    const answer = result ? encodeExportResponse(signal, exportResponse(signal, result), encoding) : fullSuccessBody(encoding);
    return new Response(answer, {
      status: 200,
      headers: { "Content-Type": CONTENT_TYPE[encoding] },
    });
  } catch (err) {
    ctx.onExport?.({ signal, transport: "http", items, error: err });
    return errorResponse(err, encoding);
  }
}

/** The path of an absolute request URL, without query or fragment. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x3f || c === 0x23) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}

/** Reads the body, refusing (413) as soon as it passes `max` bytes. */
async function readBody(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > max) throw new PayloadError("too_large", `request body of ${declared} bytes exceeds the limit of ${max} bytes`);
  if (req.body === null) return new Uint8Array(0);
  // A declared length within the limit is read in one piece; Bun stops at the declared length.
  if (declared >= 0) return req.bytes();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new PayloadError("too_large", `request body exceeds the limit of ${max} bytes`);
    }
    chunks.push(value);
  }
  // Copied even when it came in one chunk, so the body is ours alone to hand on (see ownBytes).
  return concatBytes(chunks, size);
}

/** A google.rpc.Status body in the request's encoding, with Retry-After when the consumer gave a hint. */
function errorResponse(err: unknown, encoding: OtlpEncoding): Response {
  const status = httpStatusFor(err);
  const message = errorMessage(err);
  const { RpcStatusSchema } = pdata();
  const rpcStatus = create(RpcStatusSchema, { code: grpcCodeForHttpStatus(status), message });
  const body = encoding === "json" ? otlpJson().encodeOtlpJson(RpcStatusSchema, rpcStatus) : encodeOtlpProtobuf(RpcStatusSchema, rpcStatus);
  const headers: Record<string, string> = { "Content-Type": CONTENT_TYPE[encoding] };
  const retryAfter = findConsumerError(err)?.retryAfterSeconds;
  if ((status === 429 || status === 503) && retryAfter !== undefined) headers["Retry-After"] = String(Math.ceil(retryAfter));
  return new Response(body, { status, headers });
}

function textResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...extra } });
}
