// otelcol.exporter.otlp: sends batches to an OTLP/gRPC server, through the shared
// sending queue and retry loop.

import { isDeepStrictEqual } from "node:util";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { OtlpGrpcClient, type OtlpGrpcClientOptions } from "../../../telemetry/otlp/index.ts";
import { GrpcClient, type GrpcClientArgs } from "../common/client.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { clientAuthOf } from "../common/handler.ts";
import { consumerType } from "../common/output.ts";
import { clientTls } from "../common/tls.ts";
import { RetryOnFailure, SendingQueue } from "./arguments.ts";
import { QueuedExporter } from "./exporter.ts";

const Arguments = schema.block({
  timeout: schema.attr(schema.duration, { default: "5s" }),
  client: schema.block(GrpcClient),
  retry_on_failure: schema.block(RetryOnFailure, { default: "defaults" }),
  sending_queue: schema.block(SendingQueue, { default: "defaults" }),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(consumerType) });

function clientOptions(c: GrpcClientArgs, timeoutMs: number): OtlpGrpcClientOptions {
  const opts: OtlpGrpcClientOptions = {
    endpoint: c.endpoint,
    insecure: c.tls.insecure,
    tls: clientTls(c.tls),
    compression: c.compression === "" ? "none" : (c.compression as "gzip" | "zstd" | "none"),
    headers: { ...c.headers },
    timeoutMs,
  };
  if (c.keepalive) {
    opts.keepalive = {
      ...(c.keepalive.ping_wait > 0 ? { pingIntervalMs: c.keepalive.ping_wait } : {}),
      ...(c.keepalive.ping_response_timeout > 0 ? { pingTimeoutMs: c.keepalive.ping_response_timeout } : {}),
      pingWithoutStream: c.keepalive.ping_without_stream,
    };
  }
  return opts;
}

class OtlpExporter implements ComponentInstance<Args> {
  readonly #exporter: QueuedExporter;
  #client: OtlpGrpcClient | undefined;
  #clientArgs: unknown;

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>) {
    this.#exporter = new QueuedExporter(ctx, "otlp");
    ctx.publish({ input: this.#exporter });
  }

  async update(args: Args): Promise<void> {
    const key = { client: { ...args.client, auth: undefined }, timeout: args.timeout };
    if (!this.#client || !isDeepStrictEqual(key, this.#clientArgs)) {
      this.#client?.close();
      this.#client = new OtlpGrpcClient(clientOptions(args.client, args.timeout));
      this.#clientArgs = key;
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
    this.#client?.close();
  }
}

export default defineComponent({
  name: "otelcol.exporter.otlp",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: async (ctx, args) => {
    const e = new OtlpExporter(ctx);
    await e.update(args);
    return e;
  },
});
