// Requests shaped like what instrumented services send, for the OTLP benchmarks.

import { create } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest } from "../../src/telemetry/otlp/pdata.ts";

const str = (key: string, value: string) => ({ key, value: { value: { case: "stringValue" as const, value } } });
const int = (key: string, value: number) => ({ key, value: { value: { case: "intValue" as const, value: BigInt(value) } } });

/** `spans` HTTP-server-like spans under one resource and scope (~200 bytes each). */
export function typicalTraces(spans: number, seed = 0): ExportTraceServiceRequest {
  const id = (n: number, s: number) => Uint8Array.from({ length: n }, (_, i) => (s * 131 + i * 17 + seed) & 0xff);
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", "checkout"), str("service.version", "1.4.2"), str("host.name", "node-17"), str("telemetry.sdk.language", "go")] },
        scopeSpans: [
          {
            scope: { name: "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", version: "0.49.0" },
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId: id(16, i),
              spanId: id(8, i + 7),
              parentSpanId: id(8, i + 3),
              name: "GET /api/cart/{id}",
              kind: 2,
              startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i * 1000),
              endTimeUnixNano: 1_700_000_000_002_000_000n + BigInt(i * 1000),
              attributes: [
                str("http.request.method", "GET"),
                str("url.path", `/api/cart/${i}`),
                int("http.response.status_code", 200),
                str("server.address", "cart.internal"),
                int("server.port", 8080),
              ],
              status: { code: 1 },
            })),
          },
        ],
      },
    ],
  });
}
