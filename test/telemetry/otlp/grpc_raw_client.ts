// A @grpc/grpc-js client that sends pre-encoded OTLP export requests, so tests control the exact bytes.

import * as grpc from "@grpc/grpc-js";
import type { Signal } from "../../../src/telemetry/otlp/pdata.ts";

const PATHS: Record<Signal, string> = {
  traces: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
  metrics: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
  logs: "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
};

export class RawGrpcClient {
  readonly client: grpc.Client;
  constructor(address: string, options: grpc.ChannelOptions = {}, credentials = grpc.credentials.createInsecure()) {
    this.client = new grpc.Client(address, credentials, { "grpc.max_send_message_length": 64 << 20, ...options });
  }

  export(signal: Signal, body: Uint8Array, metadata: Record<string, string> = {}, timeoutMs = 20_000): Promise<Buffer> {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(metadata)) md.set(k, v);
    return new Promise((resolve, reject) =>
      this.client.makeUnaryRequest(
        PATHS[signal],
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        md,
        { deadline: Date.now() + timeoutMs },
        (err, res) => (err ? reject(err) : resolve(res!)),
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}

/** The gRPC status of a failed call (or "OK"). */
export async function grpcOutcome(p: Promise<unknown>): Promise<{ code: number; details: string; metadata?: grpc.Metadata }> {
  try {
    await p;
    return { code: 0, details: "" };
  } catch (err) {
    const e = err as grpc.ServiceError;
    if (typeof e.code !== "number") throw err;
    return { code: e.code, details: e.details, metadata: e.metadata };
  }
}
