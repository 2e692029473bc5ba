// The `client` blocks of otelcol.exporter.otlp (gRPC) and otelcol.exporter.otlphttp (HTTP).

import * as schema from "../../../syntax/schema/index.ts";
import { byteSize } from "../../common/byte_size.ts";
import { handlerType } from "./handler.ts";
import { TlsClient } from "./tls.ts";

const GrpcKeepalive = schema.block({
  ping_wait: schema.attr(schema.duration, { default: 0 }),
  ping_response_timeout: schema.attr(schema.duration, { default: 0 }),
  ping_without_stream: schema.attr(schema.bool, { default: false }),
});

const compression = schema.enumWith(
  ["gzip", "zlib", "deflate", "snappy", "zstd", "lz4", "none", ""] as const,
  (got) => `unsupported compression type "${got}"`,
);

export const GrpcClient = schema.block({
  endpoint: schema.attr(schema.string),
  compression: schema.attr(compression, { default: "gzip" }),
  tls: schema.block(TlsClient, { default: "defaults" }),
  keepalive: schema.block(GrpcKeepalive, { optional: true }),
  read_buffer_size: schema.attr(byteSize, { default: 0 }),
  write_buffer_size: schema.attr(byteSize, { default: "512KiB" }),
  wait_for_ready: schema.attr(schema.bool, { default: false }),
  headers: schema.attr(schema.map(schema.string), { default: {} }),
  balancer_name: schema.attr(schema.enumOf("round_robin", "pick_first"), { default: "round_robin" }),
  authority: schema.attr(schema.string, { default: "" }),
  auth: schema.attr(handlerType, { optional: true }),
}, {
  validate: (c) => (c.compression === "gzip" || c.compression === "zstd" || c.compression === "none" || c.compression === ""
    ? undefined
    : `unsupported compression type "${c.compression}" for gRPC: use gzip, zstd or none`),
});
export type GrpcClientArgs = schema.Infer<typeof GrpcClient>;

const CompressionParams = schema.block({ level: schema.attr(schema.int) });
const Cookies = schema.block({ enabled: schema.attr(schema.bool, { default: false }) });

export const HttpClient = schema.block({
  endpoint: schema.attr(schema.string),
  compression: schema.attr(compression, { default: "gzip" }),
  compression_params: schema.block(CompressionParams, { optional: true }),
  cookies: schema.block(Cookies, { optional: true }),
  tls: schema.block(TlsClient, { default: "defaults" }),
  read_buffer_size: schema.attr(byteSize, { default: 0 }),
  write_buffer_size: schema.attr(byteSize, { default: "512KiB" }),
  timeout: schema.attr(schema.duration, { default: "30s" }),
  headers: schema.attr(schema.map(schema.string), { default: {} }),
  max_idle_conns: schema.attr(schema.int, { default: 100 }),
  max_idle_conns_per_host: schema.attr(schema.int, { default: 0 }),
  max_conns_per_host: schema.attr(schema.int, { default: 0 }),
  idle_conn_timeout: schema.attr(schema.duration, { default: "90s" }),
  disable_keep_alives: schema.attr(schema.bool, { default: false }),
  http2_read_idle_timeout: schema.attr(schema.duration, { default: "0s" }),
  http2_ping_timeout: schema.attr(schema.duration, { default: "15s" }),
  force_attempt_http2: schema.attr(schema.bool, { default: true }),
  proxy_url: schema.attr(schema.string, { default: "" }),
  auth: schema.attr(handlerType, { optional: true }),
});
export type HttpClientArgs = schema.Infer<typeof HttpClient>;
