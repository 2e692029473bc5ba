// The trace gateway that scripts/bench/traces.ts measures and scripts/record-bytecode-order.ts
// profiles: OTLP over gRPC and HTTP, batched with Alloy's defaults, forwarded over OTLP/HTTP,
// and the requests both send it.

import { create, toBinary } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema, Span_SpanKind } from "../../src/telemetry/otlp/pdata.ts";

export const SPANS_PER_REQUEST = 100;

/** An export request of SPANS_PER_REQUEST server spans with random ids; `seed` varies the resource. */
export function traceRequest(seed: number): Uint8Array<ArrayBuffer> {
  const str = (v: string) => ({ value: { case: "stringValue" as const, value: v } });
  return toBinary(ExportTraceServiceRequestSchema, create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: str("bench") }, { key: "host.name", value: str(`host-${seed}`) }] },
      scopeSpans: [{
        scope: { name: "bench", version: "1.0.0" },
        spans: Array.from({ length: SPANS_PER_REQUEST }, (_, i) => ({
          traceId: crypto.getRandomValues(new Uint8Array(16)),
          spanId: crypto.getRandomValues(new Uint8Array(8)),
          name: `GET /api/items/${i % 20}`,
          kind: Span_SpanKind.SERVER,
          startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i * 1000),
          endTimeUnixNano: 1_700_000_000_000_500_000n + BigInt(i * 1000),
          attributes: [
            { key: "http.method", value: str("GET") },
            { key: "http.route", value: str(`/api/items/${i % 20}`) },
            { key: "http.status_code", value: { value: { case: "intValue" as const, value: 200n } } },
          ],
        })),
      }],
    }],
  }));
}

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
