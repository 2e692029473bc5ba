// Test peers for otelcol components: an OTLP/HTTP server that records what it receives
// (and can be told to fail), and request builders.

import { create } from "@bufbuild/protobuf";
import {
  decodeExportRequest,
  decompress,
  encodingOfContentType,
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  type ExportLogsServiceRequest,
  type ExportMetricsServiceRequest,
  type ExportRequest,
  type ExportTraceServiceRequest,
  type Signal,
  Span_SpanKind,
  SeverityNumber,
  AggregationTemporality,
} from "../../../src/telemetry/otlp/index.ts";

export interface Received {
  signal: Signal;
  headers: Headers;
  request: ExportRequest;
}

export class OtlpSink {
  readonly received: Received[] = [];
  /** Answer with this status instead of accepting (while set). */
  failWith: number | undefined;
  /** Keep only per-prefix span counts (for soaks), not the requests. */
  countOnly = false;
  readonly spansByPrefix = new Map<string, number>();
  /** Hold requests until released. */
  hold = false;
  readonly #held: Array<() => void> = [];
  readonly server: ReturnType<typeof Bun.serve>;

  constructor() {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        const path = new URL(req.url).pathname;
        const signal = ({ "/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs" } as const)[path];
        if (!signal) return new Response("not found", { status: 404 });
        // Decided on arrival: a request cut off by its sender while the body was read must not
        // be recorded after the test has stopped failing.
        const fail = this.failWith;
        const raw = new Uint8Array(await req.arrayBuffer());
        if (this.hold) await new Promise<void>((r) => this.#held.push(r));
        const failNow = fail ?? this.failWith;
        if (failNow !== undefined) return new Response("failing", { status: failNow });
        const body = await decompress(req.headers.get("content-encoding") ?? "", raw, 64 << 20);
        const encoding = encodingOfContentType(req.headers.get("content-type")) ?? "protobuf";
        const request = decodeExportRequest(signal, body, encoding);
        if (this.countOnly && signal === "traces") {
          for (const rs of (request as ExportTraceServiceRequest).resourceSpans) {
            for (const ss of rs.scopeSpans) for (const sp of ss.spans) this.spansByPrefix.set(prefixOf(sp.name), (this.spansByPrefix.get(prefixOf(sp.name)) ?? 0) + 1);
          }
          return new Response(new Uint8Array(0), { status: 200, headers: { "Content-Type": "application/x-protobuf" } });
        }
        this.received.push({ signal, headers: req.headers, request });
        return new Response(new Uint8Array(0), { status: 200, headers: { "Content-Type": "application/x-protobuf" } });
      },
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  release(): void {
    this.hold = false;
    for (const r of this.#held.splice(0)) r();
  }

  spans(): number {
    return this.received.filter((r) => r.signal === "traces").reduce((n, r) => n + (r.request as ExportTraceServiceRequest).resourceSpans.reduce((a, rs) => a + rs.scopeSpans.reduce((b, ss) => b + ss.spans.length, 0), 0), 0);
  }

  spanNames(): string[] {
    return this.received
      .filter((r) => r.signal === "traces")
      .flatMap((r) => (r.request as ExportTraceServiceRequest).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))));
  }

  stop(): void {
    this.release();
    this.server.stop(true);
  }
}

/** A span name's part before its first "-". */
function prefixOf(name: string): string {
  const i = name.indexOf("-");
  return i < 0 ? name : name.slice(0, i);
}

const str = (v: string) => ({ value: { case: "stringValue" as const, value: v } });

export function traces(n: number, prefix = "span", service = "svc"): ExportTraceServiceRequest {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: str(service) }] },
      scopeSpans: [{
        scope: { name: "test-scope", version: "1.0" },
        spans: Array.from({ length: n }, (_, i) => ({
          traceId: new Uint8Array(16).fill((i % 250) + 1),
          spanId: new Uint8Array(8).fill((i % 250) + 1),
          name: `${prefix}-${i}`,
          kind: Span_SpanKind.SERVER,
          startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
          endTimeUnixNano: 1_700_000_000_000_000_100n + BigInt(i),
          attributes: [{ key: "i", value: { value: { case: "intValue" as const, value: BigInt(i) } } }],
        })),
      }],
    }],
  });
}

export function logs(n: number): ExportLogsServiceRequest {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: str("svc") }] },
      scopeLogs: [{ scope: { name: "log-scope" }, logRecords: Array.from({ length: n }, (_, i) => ({ timeUnixNano: 1n + BigInt(i), body: str(`line ${i}`), severityNumber: SeverityNumber.INFO })) }],
    }],
  });
}

export function metrics(points: number): ExportMetricsServiceRequest {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [{
      resource: { attributes: [{ key: "service.name", value: str("svc") }] },
      scopeMetrics: [{
        scope: { name: "metric-scope" },
        metrics: [{
          name: "requests",
          data: { case: "sum", value: { aggregationTemporality: AggregationTemporality.CUMULATIVE, isMonotonic: true, dataPoints: Array.from({ length: points }, (_, i) => ({ timeUnixNano: 5n, value: { case: "asInt" as const, value: BigInt(i) }, attributes: [{ key: "k", value: str(`v${i}`) }] })) } },
        }],
      }],
    }],
  });
}

/** A port free right now. */
export function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = s.port;
  s.stop(true);
  return p;
}
