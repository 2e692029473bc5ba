// otelcol.receiver.otlp: OTLP over gRPC and HTTP into the `output` block's consumers.
// A listener restarts only when its own block changed; new outputs apply at once.

import { isDeepStrictEqual } from "node:util";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { OtelConsumer } from "../../../telemetry/otlp/consumer.ts";
import { startOtlpGrpcServer, type OtlpServerHandle } from "../../../telemetry/otlp/grpc_server.ts";
import { startOtlpHttpServer, type OtlpHttpServerHandle } from "../../../telemetry/otlp/http_server.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { observed } from "../common/live_debugging.ts";
import { Output, outputConsumer } from "../common/output.ts";
import { GrpcServer, grpcServerOptions, HttpServer, httpServerOptions } from "../common/server.ts";
import { ReceiverMetrics } from "./metrics.ts";

const Arguments = schema.block({
  grpc: schema.block(GrpcServer, { optional: true }),
  http: schema.block(HttpServer, { optional: true }),
  output: schema.block(Output),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
}, {
  validate: (a) => (a.grpc === undefined && a.http === undefined ? "at least one of the grpc or http blocks must be set" : undefined),
});
type Args = schema.Infer<typeof Arguments>;

class OtlpReceiver implements ComponentInstance<Args> {
  #next: OtelConsumer;
  readonly #consumer: OtelConsumer;
  readonly #metrics: ReceiverMetrics;
  #grpc: { args: unknown; handle: OtlpServerHandle } | undefined;
  #http: { args: unknown; handle: OtlpHttpServerHandle } | undefined;

  constructor(private readonly ctx: ComponentContext<Record<string, never>>, args: Args) {
    this.#metrics = new ReceiverMetrics(ctx.registry, "otlp");
    this.#next = observed(ctx.liveDebugging, outputConsumer(args.output));
    // The servers keep this consumer; it always forwards to the current output.
    this.#consumer = {
      consumeTraces: (b) => this.#next.consumeTraces!(b),
      consumeMetrics: (b) => this.#next.consumeMetrics!(b),
      consumeLogs: (b) => this.#next.consumeLogs!(b),
    };
  }

  async update(args: Args): Promise<void> {
    this.#next = observed(this.ctx.liveDebugging, outputConsumer(args.output));
    const onExport = (e: Parameters<ReceiverMetrics["record"]>[0]) => this.#metrics.record(e);

    if (!isDeepStrictEqual(this.#grpc?.args, args.grpc) || this.#grpc?.args !== undefined && args.grpc?.auth !== (this.#grpc.args as Args["grpc"])?.auth) {
      await this.#grpc?.handle.close();
      this.#grpc = undefined;
      if (args.grpc) {
        const handle = await startOtlpGrpcServer({ ...grpcServerOptions(args.grpc), onExport }, this.#consumer);
        this.ctx.logger.info("Starting GRPC server", { endpoint: handle.address });
        this.#grpc = { args: args.grpc, handle };
      }
    }
    if (!isDeepStrictEqual(this.#http?.args, args.http) || this.#http?.args !== undefined && args.http?.auth !== (this.#http.args as Args["http"])?.auth) {
      await this.#http?.handle.close();
      this.#http = undefined;
      if (args.http) {
        const handle = await startOtlpHttpServer({ ...httpServerOptions(args.http), onExport }, this.#consumer);
        this.ctx.logger.info("Starting HTTP server", { endpoint: handle.address });
        this.#http = { args: args.http, handle };
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.#grpc?.handle.close(), this.#http?.handle.close()]);
    this.#grpc = undefined;
    this.#http = undefined;
  }
}

export default defineComponent({
  name: "otelcol.receiver.otlp",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  build: async (ctx, args) => {
    const r = new OtlpReceiver(ctx, args);
    try {
      await r.update(args);
    } catch (err) {
      await r.stop();
      throw err;
    }
    return r;
  },
});
