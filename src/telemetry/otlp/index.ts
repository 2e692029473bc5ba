// The OTLP library's public surface for otelcol components.

export * from "./pdata.ts";
export * from "./batch.ts";
export * from "./consumer.ts";
export * from "./fanout.ts";
export * from "./count.ts";
