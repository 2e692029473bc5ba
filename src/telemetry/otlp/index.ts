// The OTLP library's public surface for otelcol components.

export * from "./pdata.ts";
export * from "./batch.ts";
export * from "./consumer.ts";
export * from "./fanout.ts";
export * from "./count.ts";
export * from "./codec.ts";
export * from "./compression.ts";
export * from "./payload_error.ts";
export * from "./response.ts";
export { decodeOtlpJson, encodeOtlpJson } from "./otlp_json.ts";
export { decodeOtlpProtobuf, encodeOtlpProtobuf } from "./otlp_protobuf.ts";
