// The OTLP library's public surface for otelcol components.

export * from "./pdata.ts";
export * from "./batch.ts";
export * from "./consumer.ts";
export * from "./fanout.ts";
export * from "./count.ts";
export * from "./batching.ts";
export * from "./codec.ts";
export * from "./compression.ts";
export * from "./payload_error.ts";
export * from "./response.ts";
export { decodeOtlpJson, encodeOtlpJson } from "./otlp_json.ts";
export { decodeOtlpProtobuf, encodeOtlpProtobuf } from "./otlp_protobuf.ts";
export * from "./status.ts";
export * from "./server_auth.ts";
export * from "./endpoint.ts";
export * from "./cors.ts";
export { startOtlpGrpcServer, type OtlpGrpcServerOptions, type OtlpServerHandle, type ExportEvent, type GrpcServerTls } from "./grpc_server.ts";
export type { GrpcServerKeepalive } from "./grpc_keepalive.ts";
export { startOtlpHttpServer, type OtlpHttpServerOptions, type OtlpHttpServerHandle } from "./http_server.ts";
export * from "./export_error.ts";
export { OtlpGrpcClient, classifyGrpcError, type OtlpGrpcClientOptions, type ExportCallOptions, type ClientTls } from "./grpc_client.ts";
export { OtlpHttpClient, otlpHttpUrls, classifyHttpFailure, parseRetryAfter, type OtlpHttpClientOptions } from "./http_client.ts";
