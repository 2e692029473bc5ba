// otelcol.exporter.otlphttp: sends batches to an OTLP/HTTP server (protobuf or JSON),
// through the shared sending queue and retry loop.

import { isDeepStrictEqual } from "node:util";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { ContentEncoding } from "../../../telemetry/otlp/compression.ts";
import { OtlpHttpClient, otlpHttpUrls, type OtlpHttpClientOptions } from "../../../telemetry/otlp/http_client.ts";
import { HttpClient } from "../common/client.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { clientAuthOf } from "../common/handler.ts";
import { consumerType } from "../common/output.ts";
import { clientTls } from "../common/tls.ts";
import { RetryOnFailure, SendingQueue } from "./arguments.ts";
import { QueuedExporter } from "./exporter.ts";

const Arguments = schema.block({
  client: schema.block(HttpClient),
  encoding: schema.attr(schema.enumOf("proto", "json"), { default: "proto" }),
  traces_endpoint: schema.attr(schema.string, { default: "" }),
  metrics_endpoint: schema.attr(schema.string, { default: "" }),
  logs_endpoint: schema.attr(schema.string, { default: "" }),
  retry_on_failure: schema.block(RetryOnFailure, { default: "defaults" }),
  sending_queue: schema.block(SendingQueue, { default: "defaults" }),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
}, {
  validate: (a) => {
    if (["snappy", "lz4"].includes(a.client.compression)) return `compression "${a.client.compression}" is not supported by this exporter: use gzip, zlib, deflate, zstd or none`;
    return undefined;
  },
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(consumerType) });

function clientOptions(a: Args, fetchFn: typeof fetch): OtlpHttpClientOptions {
  const overrides = {
    ...(a.traces_endpoint ? { traces: a.traces_endpoint } : {}),
    ...(a.metrics_endpoint ? { metrics: a.metrics_endpoint } : {}),
    ...(a.logs_endpoint ? { logs: a.logs_endpoint } : {}),
  };
  const c = a.client;
  const tls = clientTls(c.tls);
  return {
    urls: otlpHttpUrls(c.endpoint, overrides),
    encoding: a.encoding === "json" ? "json" : "protobuf",
    compression: c.compression === "" || c.compression === "none" ? "none" : (c.compression as ContentEncoding),
    headers: c.headers,
    timeoutMs: c.timeout,
    fetch: fetchFn,
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  };
}

class OtlpHttpExporter implements ComponentInstance<Args> {
  readonly #exporter: QueuedExporter;
  #client: OtlpHttpClient | undefined;
  #clientKey: unknown;

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>) {
    this.#exporter = new QueuedExporter(ctx, "otlphttp");
    ctx.publish({ input: this.#exporter });
  }

  async update(args: Args): Promise<void> {
    const key = { ...args, client: { ...args.client, auth: undefined }, sending_queue: undefined, retry_on_failure: undefined };
    if (!this.#client || !isDeepStrictEqual(key, this.#clientKey)) {
      this.#client = new OtlpHttpClient(clientOptions(args, this.ctx.fetch));
      this.#clientKey = key;
    }
    const client = this.#client;
    const auth = clientAuthOf(args.client.auth, "client.auth");
    await this.#exporter.configure({
      retry: args.retry_on_failure,
      queue: args.sending_queue,
      send: (batch, signal) => client.export(batch, { signal, ...(auth ? { headers: auth(batch.client?.metadata, args.client.headers) } : {}) }),
    });
  }

  async stop(): Promise<void> {
    await this.#exporter.stop();
  }
}

export default defineComponent({
  name: "otelcol.exporter.otlphttp",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: async (ctx, args) => {
    const e = new OtlpHttpExporter(ctx);
    await e.update(args);
    return e;
  },
});
