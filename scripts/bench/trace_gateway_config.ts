// The trace gateway that scripts/bench/traces.ts measures and scripts/record-bytecode-order.ts
// profiles: OTLP over gRPC and HTTP, batched with Alloy's defaults, forwarded over OTLP/HTTP.

export interface TraceGatewayPorts {
  grpc: number;
  http: number;
  /** Where otelcol.exporter.otlphttp sends. */
  sink: number;
}

export function traceGatewayConfig(ports: TraceGatewayPorts, compression: string): string {
  return `
otelcol.receiver.otlp "in" {
  grpc { endpoint = "127.0.0.1:${ports.grpc}" }
  http { endpoint = "127.0.0.1:${ports.http}" }
  output { traces = [otelcol.processor.batch.b.input] }
}
otelcol.processor.batch "b" {
  output { traces = [otelcol.exporter.otlphttp.out.input] }
}
otelcol.exporter.otlphttp "out" {
  client {
    endpoint    = "http://127.0.0.1:${ports.sink}"
    compression = "${compression}"
  }
}
`;
}
