// One OTLP/gRPC Export call on a node:http2 stream: the unary gRPC protocol (a single
// length-prefixed message each way, status in trailers) handled directly, so the request
// bytes go straight to the wire scan and on to exporters without a generic RPC layer
// decoding them first.

import type http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { encodedBatch, freeBuffer, isWholeBuffer, type ClientInfo } from "./batch.ts";
import { decompress } from "./compression.ts";
import { concatBytes } from "../concat_bytes.ts";
import { consumeBatch, type OtelConsumer } from "./consumer.ts";
import { encodeExportResponse } from "./codec.ts";
import { formatHostPort } from "./endpoint.ts";
import { grpcErrorTrailers } from "./grpc_trailers.ts";
import { exportResponse } from "./response.ts";
import { authenticate, type ServerAuthenticator } from "./server_auth.ts";
import { SIGNALS, SIGNAL_FACTS, type Signal } from "./signal.ts";
import { grpcErrorFor } from "./status.ts";

export interface ExportCallOptions {
  consumer: OtelConsumer;
  maxRecvMsgSize: number;
  includeMetadata: boolean;
  auth: ServerAuthenticator | undefined;
  /** grpc-encoding values accepted besides identity. */
  encodings: readonly string[];
  onExport: ((event: { signal: Signal; transport: "grpc"; items: number; error?: unknown }) => void) | undefined;
}

/** `/opentelemetry.proto.collector.trace.v1.TraceService/Export` → traces, and so on. */
const EXPORT_PATHS = new Map<string, Signal>(SIGNALS.map((s) => [`/${SIGNAL_FACTS[s].serviceType}/Export`, s]));

const GRPC_CONTENT_TYPE = /^application\/grpc(\+proto)?(;.*)?$/i;
const PREFIX = 5;
/** An uncompressed empty message: the whole answer to a fully successful export. */
const EMPTY_MESSAGE = Buffer.alloc(PREFIX);

/** Serves one stream of the OTLP gRPC server: an Export call, or the error a gRPC client expects. */
export function serveStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, opts: ExportCallOptions): void {
  // A stream the client resets must not take the server down.
  stream.on("error", () => {});
  if (headers[":method"] !== "POST") {
    respondPlain(stream, 405);
    return;
  }
  const contentType = String(headers["content-type"] ?? "");
  if (!contentType.toLowerCase().startsWith("application/grpc")) {
    respondPlain(stream, 415);
    return;
  }
  const signal = EXPORT_PATHS.get(String(headers[":path"] ?? ""));
  if (signal === undefined) {
    drainAndFail(stream, new ConnectError(`unknown method ${String(headers[":path"])}`, Code.Unimplemented), opts);
    return;
  }
  if (!GRPC_CONTENT_TYPE.test(contentType)) {
    drainAndFail(stream, new ConnectError(`content type ${contentType} is not supported; use application/grpc+proto`, Code.Internal), opts);
    return;
  }
  const encoding = String(headers["grpc-encoding"] ?? "identity").toLowerCase();
  if (encoding !== "identity" && !opts.encodings.includes(encoding)) {
    drainAndFail(stream, new ConnectError(`unknown compression "${encoding}": supported encodings are ${opts.encodings.join(", ")}`, Code.Unimplemented), opts);
    return;
  }
  void exportCall(stream, headers, signal, encoding, opts);
}

async function exportCall(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, signal: Signal, encoding: string, opts: ExportCallOptions): Promise<void> {
  let items = 0;
  try {
    // Authentication comes before the body is read, as the Collector's auth interceptor.
    await authenticate(opts.auth, () => metadataOf(headers));
    const { message, owned } = await readMessage(stream, encoding, opts.maxRecvMsgSize);
    if (!isWellFramed(message)) throw new ConnectError(`cannot parse ${SIGNAL_FACTS[signal].requestType}: invalid protobuf framing`, Code.Internal);
    const batch = encodedBatch(signal, message, clientInfo(stream, headers, opts.includeMetadata));
    if (owned) batch.ownBytes();
    items = batch.itemCount();
    const result = await consumeBatch(opts.consumer, batch);
    opts.onExport?.({ signal, transport: "grpc", items });
    respond(stream, opts, result ? encodeExportResponse(signal, exportResponse(signal, result), "protobuf") : new Uint8Array(0), undefined);
  } catch (err) {
    // A body not read yet (a refused authentication) is dropped so the stream can end.
    stream.resume();
    const status = grpcErrorFor(err);
    opts.onExport?.({ signal, transport: "grpc", items, error: status });
    respond(stream, opts, undefined, status);
  }
}

/**
 * The request's single message, decompressed, and whether it sits in a buffer made here for
 * it alone (see AnyBatch.ownBytes): one arriving in a single chunk is in the stream's buffer.
 * Its size is checked from the length prefix, so an oversize message is refused without being read.
 */
function readMessage(stream: http2.ServerHttp2Stream, encoding: string, max: number): Promise<{ message: Uint8Array; owned: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let expected = -1;
    const fail = (err: ConnectError) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      // The rest of the body is not needed; it is read and dropped so the stream can close.
      stream.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (expected < 0 && size >= PREFIX) {
        const head = chunks.length === 1 ? chunk : Buffer.concat(chunks);
        expected = head.readUInt32BE(1);
        if (expected > max) fail(new ConnectError(`message size ${expected} is larger than configured readMaxBytes ${max}`, Code.ResourceExhausted));
      }
      if (expected >= 0 && size > PREFIX + expected) fail(new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented));
    };
    const onEnd = () => {
      stream.off("data", onData);
      if (size === 0) return reject(new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented));
      const body = chunks.length === 1 ? chunks[0]! : concatBytes(chunks, size);
      if (size < PREFIX || size !== PREFIX + expected) return reject(new ConnectError(`protocol error: promised ${expected} bytes, received ${Math.max(0, size - PREFIX)}`, Code.InvalidArgument));
      const flags = body[0]!;
      const message = body.subarray(PREFIX);
      if ((flags & 1) === 0) return resolve({ message, owned: chunks.length > 1 });
      if (encoding === "identity") return reject(new ConnectError("protocol error: received compressed message without grpc-encoding", Code.Internal));
      decompress(encoding, message, max).then((inflated) => {
        // The compressed copy is not needed any more.
        if (chunks.length > 1) freeBuffer(body);
        resolve({ message: inflated, owned: isWholeBuffer(inflated) });
      }, reject);
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
  });
}

/**
 * Whether the top level of `bytes` is a sequence of protobuf fields. grpc-go fails such
 * messages in its codec (INTERNAL); a well-framed message with bad content is INVALID_ARGUMENT.
 */
function isWellFramed(bytes: Uint8Array): boolean {
  let pos = 0;
  const end = bytes.length;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= end) return -1;
      const b = bytes[pos++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return -1;
  };
  while (pos < end) {
    const tag = varint();
    if (tag < 8) return false;
    switch (tag % 8) {
      case 0:
        if (varint() < 0) return false;
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = varint();
        if (len < 0) return false;
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        return false;
    }
    if (pos > end) return false;
  }
  return true;
}

function respond(stream: http2.ServerHttp2Stream, opts: ExportCallOptions, message: Uint8Array | undefined, error: ConnectError | undefined): void {
  if (stream.destroyed || stream.closed) return;
  const trailers: http2.OutgoingHttpHeaders = error ? grpcErrorTrailers(error) : { "grpc-status": "0" };
  try {
    if (!stream.headersSent) {
      stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-accept-encoding": opts.encodings.join(",") }, { waitForTrailers: true });
    }
    stream.once("wantTrailers", () => stream.sendTrailers(trailers));
    if (message === undefined) {
      stream.end();
      return;
    }
    if (message.length === 0) {
      stream.end(EMPTY_MESSAGE);
      return;
    }
    const frame = Buffer.allocUnsafe(PREFIX + message.length);
    frame[0] = 0;
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, PREFIX);
    stream.end(frame);
  } catch {
    // The client went away while the call was answered.
  }
}

/** Answers before reading the body; the body is still read (and dropped) so the stream can end cleanly. */
function drainAndFail(stream: http2.ServerHttp2Stream, error: ConnectError, opts: ExportCallOptions): void {
  stream.resume();
  respond(stream, opts, undefined, error);
}

function respondPlain(stream: http2.ServerHttp2Stream, status: number): void {
  stream.resume();
  try {
    stream.respond({ ":status": status }, { endStream: true });
  } catch {
    // The client went away.
  }
}

/** Request headers as gRPC metadata: lower-case names, pseudo-headers left out. */
function metadataOf(headers: http2.IncomingHttpHeaders): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [key, value] of Object.entries(headers)) {
    if (key.startsWith(":") || value === undefined) continue;
    const k = key.toLowerCase();
    const values = Array.isArray(value) ? value : [String(value)];
    const list = m.get(k);
    if (list) list.push(...values);
    else m.set(k, [...values]);
  }
  return m;
}

function clientInfo(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, includeMetadata: boolean): ClientInfo {
  const socket = stream.session?.socket;
  const address = socket?.remoteAddress ? formatHostPort(socket.remoteAddress, socket.remotePort ?? 0) : undefined;
  if (!includeMetadata) return address ? { address } : {};
  const metadata = metadataOf(headers);
  return address ? { address, metadata } : { metadata };
}
