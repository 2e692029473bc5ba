// The `grpc` and `http` server blocks of otelcol receivers (the Collector's
// configgrpc.ServerConfig and confighttp.ServerConfig as Alloy exposes them).

import * as schema from "../../../syntax/schema/index.ts";
import type { OtlpGrpcServerOptions } from "../../../telemetry/otlp/grpc_server.ts";
import type { OtlpHttpServerOptions } from "../../../telemetry/otlp/http_server.ts";
import { byteSize } from "../../common/byte_size.ts";
import { handlerType, serverAuthOf } from "./handler.ts";
import { serverTls, TlsServer } from "./tls.ts";

const EnforcementPolicy = schema.block({
  min_time: schema.attr(schema.duration, { default: "5m" }),
  permit_without_stream: schema.attr(schema.bool, { default: false }),
});

// "infinity" is Alloy's zero; durations are milliseconds, so 0 means unset here.
const ServerParameters = schema.block({
  max_connection_idle: schema.attr(schema.duration, { default: 0 }),
  max_connection_age: schema.attr(schema.duration, { default: 0 }),
  max_connection_age_grace: schema.attr(schema.duration, { default: 0 }),
  time: schema.attr(schema.duration, { default: "2h" }),
  timeout: schema.attr(schema.duration, { default: "20s" }),
});

const Keepalive = schema.block({
  server_parameters: schema.block(ServerParameters, { optional: true }),
  enforcement_policy: schema.block(EnforcementPolicy, { optional: true }),
});

export const GrpcServer = schema.block({
  endpoint: schema.attr(schema.string, { default: "0.0.0.0:4317" }),
  transport: schema.attr(schema.enumOf("tcp", "unix"), { default: "tcp" }),
  tls: schema.block(TlsServer, { optional: true }),
  max_recv_msg_size: schema.attr(byteSize, { default: "4MiB" }),
  max_concurrent_streams: schema.attr(schema.uint, { default: 0 }),
  read_buffer_size: schema.attr(byteSize, { default: "512KiB" }),
  write_buffer_size: schema.attr(byteSize, { default: 0 }),
  include_metadata: schema.attr(schema.bool, { default: false }),
  auth: schema.attr(handlerType, { optional: true }),
  keepalive: schema.block(Keepalive, { optional: true }),
});
export type GrpcServerArgs = schema.Infer<typeof GrpcServer>;

const Cors = schema.block({
  allowed_origins: schema.attr(schema.list(schema.string), { default: [] }),
  allowed_headers: schema.attr(schema.list(schema.string), { default: ["X-Requested-With"] }),
  exposed_headers: schema.attr(schema.list(schema.string), { default: [] }),
  max_age: schema.attr(schema.int, { default: 0 }),
});

export const HttpServer = schema.block({
  endpoint: schema.attr(schema.string, { default: "0.0.0.0:4318" }),
  tls: schema.block(TlsServer, { optional: true }),
  cors: schema.block(Cors, { optional: true }),
  max_request_body_size: schema.attr(byteSize, { default: "20MiB" }),
  include_metadata: schema.attr(schema.bool, { default: false }),
  compression_algorithms: schema.attr(schema.list(schema.string), { default: ["", "gzip", "zstd", "zlib", "snappy", "deflate", "lz4"] }),
  read_timeout: schema.attr(schema.duration, { default: 0 }),
  read_header_timeout: schema.attr(schema.duration, { default: "1m" }),
  write_timeout: schema.attr(schema.duration, { default: "30s" }),
  idle_timeout: schema.attr(schema.duration, { default: "1m" }),
  keep_alives_enabled: schema.attr(schema.bool, { default: true }),
  auth: schema.attr(handlerType, { optional: true }),
  traces_url_path: schema.attr(schema.string, { default: "/v1/traces" }),
  metrics_url_path: schema.attr(schema.string, { default: "/v1/metrics" }),
  logs_url_path: schema.attr(schema.string, { default: "/v1/logs" }),
});
export type HttpServerArgs = schema.Infer<typeof HttpServer>;

export function grpcServerOptions(g: GrpcServerArgs): OtlpGrpcServerOptions {
  const opts: OtlpGrpcServerOptions = {
    endpoint: g.endpoint,
    transport: g.transport,
    maxRecvMsgSize: g.max_recv_msg_size,
    includeMetadata: g.include_metadata,
  };
  if (g.max_concurrent_streams > 0) opts.maxConcurrentStreams = g.max_concurrent_streams;
  const tls = serverTls(g.tls);
  if (tls) opts.tls = tls;
  const auth = serverAuthOf(g.auth, "grpc.auth");
  if (auth) opts.auth = auth;
  const sp = g.keepalive?.server_parameters;
  // The enforcement policy is accepted; node:http2 has no hook to enforce it.
  if (sp) {
    opts.keepalive = {
      ...(sp.max_connection_idle ? { maxConnectionIdleMs: sp.max_connection_idle } : {}),
      ...(sp.max_connection_age ? { maxConnectionAgeMs: sp.max_connection_age } : {}),
      ...(sp.max_connection_age_grace ? { maxConnectionAgeGraceMs: sp.max_connection_age_grace } : {}),
      timeMs: sp.time,
      timeoutMs: sp.timeout,
    };
  }
  return opts;
}

export function httpServerOptions(h: HttpServerArgs): OtlpHttpServerOptions {
  const opts: OtlpHttpServerOptions = {
    endpoint: h.endpoint,
    paths: { traces: h.traces_url_path, metrics: h.metrics_url_path, logs: h.logs_url_path },
    maxRequestBodySize: h.max_request_body_size,
    includeMetadata: h.include_metadata,
    compressionAlgorithms: h.compression_algorithms,
    idleTimeoutSeconds: h.idle_timeout / 1000,
  };
  const tls = serverTls(h.tls);
  if (tls) {
    opts.tls = { cert: String(tls.cert), key: String(tls.key), ...(tls.clientCa ? { clientCa: String(tls.clientCa) } : {}) };
  }
  if (h.cors && h.cors.allowed_origins.length > 0) {
    opts.cors = {
      allowedOrigins: h.cors.allowed_origins,
      allowedHeaders: h.cors.allowed_headers,
      exposedHeaders: h.cors.exposed_headers,
      ...(h.cors.max_age > 0 ? { maxAge: h.cors.max_age } : {}),
    };
  }
  const auth = serverAuthOf(h.auth, "http.auth");
  if (auth) opts.auth = auth;
  return opts;
}
