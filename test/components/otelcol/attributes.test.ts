import { afterEach, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import {
  ExportLogsServiceRequestSchema,
  ExportMetricsServiceRequestSchema,
  ExportTraceServiceRequestSchema,
  LogsBatch,
  MetricsBatch,
  SeverityNumber,
  Span_SpanKind,
  TracesBatch,
  type ExportLogsServiceRequest,
  type ExportMetricsServiceRequest,
  type ExportTraceServiceRequest,
} from "../../../src/telemetry/otlp/index.ts";
import type { TestRuntime } from "../../runtime/helpers.ts";
import { av, kv, loadErrors, pipeline, plain, sinks, sources } from "./attributes_harness.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

function spans(list: Array<{ name: string; attrs: Record<string, string | number | bigint | boolean>; kind?: Span_SpanKind; service?: string; scope?: string }>): TracesBatch {
  const req = create(ExportTraceServiceRequestSchema, {
    resourceSpans: list.map((s) => ({
      resource: { attributes: kv({ "service.name": s.service ?? "svc" }) },
      scopeSpans: [{ scope: { name: s.scope ?? "lib", version: "1.0" }, spans: [{ name: s.name, kind: s.kind ?? Span_SpanKind.SERVER, attributes: kv(s.attrs) }] }],
    })),
  });
  return new TracesBatch(req, { encoded: new Uint8Array([1, 2, 3]) });
}

function config(actions: string, extra = "", signals = "traces = [test.otelcol_sink.out.input]"): string {
  return `test.otelcol_sink "out" {}
otelcol.processor.attributes "a" {
${actions}
${extra}
  output {
    ${signals}
  }
}
test.otelcol_source "in" {
  output {
    traces  = [otelcol.processor.attributes.a.input]
    metrics = [otelcol.processor.attributes.a.input]
    logs    = [otelcol.processor.attributes.a.input]
  }
}
`;
}

async function runSpans(actions: string, batch: TracesBatch, extra = ""): Promise<Array<Record<string, unknown>>> {
  rt = await pipeline(config(actions, extra));
  await sources.get("test.otelcol_source.in")!.consumeTraces!(batch);
  const out = sinks.get("test.otelcol_sink.out")!.at(-1) as TracesBatch;
  return out.request.resourceSpans.map((r) => plain(r.scopeSpans[0]!.spans[0]!.attributes));
}

test("insert adds only missing keys, update only existing ones, upsert both; values keep their type", async () => {
  const got = await runSpans(
    `action {
  key = "new"
  value = 123
  action = "insert"
}
     action {
  key = "present"
  value = "x"
  action = "insert"
}
     action {
  key = "present2"
  value = 1.5
  action = "update"
}
     action {
  key = "absent"
  value = true
  action = "update"
}
     action {
  key = "region"
  value = "earth"
  action = "upsert"
}
     action {
  key = "present3"
  value = false
  action = "upsert"
}`,
    spans([{ name: "s", attrs: { present: "keep", present2: "old", present3: "old" } }]),
  );
  expect(got[0]).toEqual({ present: "keep", present2: 1.5, present3: false, new: 123n, region: "earth" });
});

test("from_attribute copies a value and does nothing when the source is missing; from_context reads request metadata", async () => {
  const batch = spans([{ name: "s", attrs: { user_key: "u1" } }, { name: "t", attrs: {} }]);
  const withClient = new TracesBatch(batch.request, { client: { metadata: new Map([["x-tenant", ["a", "b"]]]), address: "10.0.0.1:5555" } });
  const got = await runSpans(
    `action {
  key = "new_user_key"
  from_attribute = "user_key"
  action = "upsert"
}
     action {
  key = "tenant"
  from_context = "metadata.X-Tenant"
  action = "insert"
}
     action {
  key = "peer"
  from_context = "client.address"
  action = "insert"
}`,
    withClient,
  );
  expect(got[0]).toEqual({ user_key: "u1", new_user_key: "u1", tenant: "a;b", peer: "10.0.0.1" });
  expect(got[1]).toEqual({ tenant: "a;b", peer: "10.0.0.1" });
});

test("delete and hash act on the key and on keys matching pattern; hash is SHA-1 of the value's bytes", async () => {
  const got = await runSpans(
    `action {
  key = "credit_card"
  action = "delete"
}
     action {
  pattern = "^secret_.*"
  action = "delete"
}
     action {
  key = "user.email"
  action = "hash"
}
     action {
  pattern = "^id_"
  action = "hash"
}`,
    spans([{ name: "s", attrs: { credit_card: "4111", secret_a: "1", secret_b: "2", keep: "k", "user.email": "a@b.c", id_n: 7n, id_b: true } }]),
  );
  const int = Buffer.alloc(8);
  int.writeBigInt64LE(7n);
  expect(got[0]).toEqual({
    keep: "k",
    "user.email": createHash("sha1").update("a@b.c").digest("hex"),
    id_n: createHash("sha1").update(int).digest("hex"),
    id_b: createHash("sha1").update(Buffer.from([1])).digest("hex"),
  });
});

test("extract writes named groups over existing keys; convert changes types and leaves unconvertible values", async () => {
  const got = await runSpans(
    `action {
       key = "path"
       pattern = ` + "`^/api/v1/document/(?P<doc>[^/]*)/update/(?P<version>.*)$`" + `
       action = "extract"
     }
     action {
  key = "code"
  converted_type = "int"
  action = "convert"
}
     action {
  key = "ratio"
  converted_type = "double"
  action = "convert"
}
     action {
  key = "n"
  converted_type = "string"
  action = "convert"
}
     action {
  key = "bad"
  converted_type = "int"
  action = "convert"
}`,
    spans([{ name: "s", attrs: { path: "/api/v1/document/123/update/v2", version: "old", code: "200", ratio: "0.5", n: 42n, bad: "abc" } }]),
  );
  expect(got[0]).toEqual({ path: "/api/v1/document/123/update/v2", version: "v2", doc: "123", code: 200n, ratio: 0.5, n: "42", bad: "abc" });
});

test("include and exclude select spans by service, name, kind, attributes, resources and libraries (strict and regexp)", async () => {
  const batch = spans([
    { name: "login", attrs: { env: "prod" }, service: "auth" },
    { name: "logout", attrs: { env: "dev" }, service: "auth" },
    { name: "login", attrs: { env: "prod" }, service: "web" },
    { name: "healthz", attrs: { env: "prod" }, service: "auth", kind: Span_SpanKind.CLIENT },
    { name: "login", attrs: { env: "prod" }, service: "auth", scope: "other" },
  ]);
  const got = await runSpans(
    `action {
  key = "hit"
  value = true
  action = "insert"
}`,
    batch,
    `include {
       match_type = "regexp"
       services = ["^au"]
       span_names = ["^log", "^health"]
       attribute {
  key = "env"
  value = "pro.*"
}
       resource {
  key = "service.name"
}
       library {
  name = "lib"
  version = "1\\\\..*"
}
     }
     exclude {
       match_type = "strict"
       span_kinds = ["SPAN_KIND_CLIENT"]
     }`,
  );
  expect(got.map((a) => a.hit === true)).toEqual([true, false, false, false, false]);
});

test("log records match on bodies, severity texts and minimum severity; the batch loses its original bytes", async () => {
  const req: ExportLogsServiceRequest = create(ExportLogsServiceRequestSchema, {
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: [
              { body: av("user login failed"), severityText: "ERROR", severityNumber: SeverityNumber.ERROR },
              { body: av("user login ok"), severityText: "INFO", severityNumber: SeverityNumber.INFO },
              { body: av("boot"), severityNumber: SeverityNumber.UNSPECIFIED },
            ],
          },
        ],
      },
    ],
  });
  rt = await pipeline(
    config(`action {
  key = "flag"
  value = "x"
  action = "insert"
}`, `include {
      match_type = "strict"
      log_severity {
  min = "WARN"
  match_undefined = true
}
    }
    exclude {
      match_type = "regexp"
      log_bodies = ["boot"]
    }`, "logs = [test.otelcol_sink.out.input]"),
  );
  await sources.get("test.otelcol_source.in")!.consumeLogs!(new LogsBatch(req, { encoded: new Uint8Array([9]) }));
  const out = sinks.get("test.otelcol_sink.out")!.at(-1) as LogsBatch;
  expect(out.encoded).toBeUndefined();
  expect(out.request.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((r) => plain(r.attributes))).toEqual([{ flag: "x" }, {}, {}]);
});

test("metric data points are changed for the metric names include selects", async () => {
  const req: ExportMetricsServiceRequest = create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [
      {
        scopeMetrics: [
          {
            metrics: [
              { name: "http.requests", data: { case: "gauge", value: { dataPoints: [{ attributes: kv({ a: "1" }), value: { case: "asDouble", value: 1 } }] } } },
              { name: "db.calls", data: { case: "gauge", value: { dataPoints: [{ attributes: kv({ a: "1" }), value: { case: "asDouble", value: 1 } }] } } },
            ],
          },
        ],
      },
    ],
  });
  rt = await pipeline(config(`action {
  key = "a"
  action = "delete"
}`, `include {
    match_type = "strict"
    metric_names = ["http.requests"]
  }`, "metrics = [test.otelcol_sink.out.input]"));
  await sources.get("test.otelcol_source.in")!.consumeMetrics!(new MetricsBatch(req));
  const out = sinks.get("test.otelcol_sink.out")!.at(-1) as MetricsBatch;
  const pts = out.request.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => (m.data.value as { dataPoints: Array<{ attributes: unknown[] }> }).dataPoints[0]!.attributes.length);
  expect(pts).toEqual([0, 1]);
});

test("invalid actions and match properties are configuration errors", async () => {
  const bad = async (actions: string, extra = "", signals?: string) => (await loadErrors(config(actions, extra, signals))).join("\n");
  expect(await bad(`action {
  key = "k"
  action = "explode"
}`)).toContain(`unsupported action "explode"`);
  expect(await bad(`action {
  key = "k"
  action = "insert"
}`)).toContain(`exactly one of "value", "from_attribute" or "from_context"`);
  expect(await bad(`action {
  key = "k"
  value = 1
  from_attribute = "x"
  action = "upsert"
}`)).toContain("exactly one of");
  expect(await bad(`action {
  action = "delete"
}`)).toContain(`missing required field "key"`);
  expect(await bad(`action {
  key = "k"
  pattern = "("
  action = "delete"
}`)).toContain("invalid pattern");
  expect(await bad(`action {
  key = "k"
  pattern = "(.*)"
  action = "extract"
}`)).toContain("no named matcher groups");
  expect(await bad(`action {
  key = "k"
  converted_type = "float"
  action = "convert"
}`)).toContain(`invalid value "float"`);
  expect(await bad(`action {
  key = "k"
  action = "delete"
}`, `include {
    match_type = "strict"
    log_bodies = ["x"]
  }`)).toContain("log_bodies cannot be used to match spans");
  expect(await bad(`action {
  key = "k"
  action = "delete"
}`, `include {
    match_type = "strict"
  }`)).toContain("at least one property");
  expect(await bad(`action {
  key = "k"
  action = "delete"
}`, `include {
    match_type = "fuzzy"
    services = ["a"]
  }`)).not.toBe("");
});

test("batches leaving the processor are shown to live debugging while a stream is open", async () => {
  const { AttributesProcessor } = await import("../../../src/components/otelcol/processor/attributes.ts");
  const events: Array<{ type: string; count: number; text: string }> = [];
  const p = new AttributesProcessor({ isActive: () => true, publish: (e) => void events.push({ type: e.type, count: e.count, text: e.text() }) });
  p.configure({
    action: [{ key: "k", action: "insert", value: "v", pattern: "", from_attribute: "", from_context: "", converted_type: "" }],
    include: undefined,
    exclude: undefined,
    output: { traces: [], metrics: [], logs: [] },
    debug_metrics: { disable_high_cardinality_metrics: true, level: "detailed" },
  });
  await p.consumeTraces(spans([{ name: "s", attrs: {} }, { name: "t", attrs: {} }]));
  expect(events.map((e) => [e.type, e.count])).toEqual([["otel_trace", 2]]);
  expect(events[0]!.text).toContain("k: Str(v)");
});
