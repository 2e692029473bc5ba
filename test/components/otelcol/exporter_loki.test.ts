import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import {
  AnyValueSchema,
  ArrayValueSchema,
  ExportLogsServiceRequestSchema,
  KeyValueListSchema,
  KeyValueSchema,
  LogsBatch,
  SeverityNumber,
  type LogRecord,
} from "../../../src/telemetry/otlp/index.ts";
import { logsToEntries } from "../../../src/components/otelcol/exporter/loki.ts";
import type { TestRuntime } from "../../runtime/helpers.ts";
import { av, kv, lokiSinks, pipeline, sources } from "./attributes_harness.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const T = 1_700_000_000_000_000_123n;

function batch(record: Partial<LogRecord>, resource: Record<string, string>, scope = { name: "app.logger", version: "1.2" }): LogsBatch {
  return new LogsBatch(
    create(ExportLogsServiceRequestSchema, {
      resourceLogs: [{ resource: { attributes: kv(resource) }, scopeLogs: [{ scope, logRecords: [record as LogRecord] }] }],
    }),
  );
}

test("default labels and JSON lines: body, ids, severity, remaining attributes and resources, scope", () => {
  const [e] = logsToEntries(
    batch(
      {
        timeUnixNano: T,
        body: av("hello <world> & co"),
        severityText: "WARN",
        severityNumber: SeverityNumber.WARN,
        traceId: new Uint8Array(16).fill(1),
        spanId: new Uint8Array(8).fill(2),
        attributes: kv({ z: "last", a: 1n }),
      },
      { "service.name": "api", "service.namespace": "shop", "service.instance.id": "pod-1", "host.name": "h" },
    ),
  );
  expect({ ...e!.labels }).toEqual({ exporter: "OTLP", job: "shop/api", instance: "pod-1" });
  expect(e!.timestamp).toBe(T);
  expect(e!.line).toBe(
    '{"body":"hello \\u003cworld\\u003e \\u0026 co","traceid":"01010101010101010101010101010101","spanid":"0202020202020202","severity":"WARN",' +
      '"attributes":{"a":1,"z":"last"},"resources":{"host.name":"h","service.instance.id":"pod-1","service.name":"api","service.namespace":"shop"},' +
      '"instrumentation_scope":{"name":"app.logger","version":"1.2"}}',
  );
});

test("label hints promote attributes to sanitized labels and leave the line; logfmt and raw formats", () => {
  const [e] = logsToEntries(
    batch(
      {
        timeUnixNano: T,
        body: av("user=bob action=login"),
        severityText: "INFO",
        attributes: kv({ "event.domain": "auth", "event.name": "login", "loki.attribute.labels": "event.domain, event.name", "loki.format": "logfmt", other: "x y" }),
      },
      { "service.name": "api", "k8s.pod.name": "p-1", "loki.resource.labels": "k8s.pod.name" },
    ),
  );
  expect({ ...e!.labels }).toEqual({ exporter: "OTLP", job: "api", event_domain: "auth", event_name: "login", k8s_pod_name: "p-1" });
  expect(e!.line).toBe('user=bob action=login severity=INFO attribute_other="x y" resource_service.name=api instrumentation_scope_name=app.logger instrumentation_scope_version=1.2');
  const [raw] = logsToEntries(batch({ timeUnixNano: T, body: av("plain text"), attributes: kv({ "loki.format": "raw" }) }, {}));
  expect(raw!.line).toBe("plain text");
  expect({ ...raw!.labels }).toEqual({ exporter: "OTLP" });
  const [notLogfmt] = logsToEntries(batch({ timeUnixNano: T, body: av('broken "quote'), attributes: kv({ "loki.format": "logfmt" }) }, {}, { name: "", version: "" }));
  expect(notLogfmt!.line).toBe('msg="broken \\"quote"');
});

test("the tenant hint names the attribute that becomes a label; missing timestamps fall back to the observed time", () => {
  const [e] = logsToEntries(batch({ observedTimeUnixNano: 42n, body: av("x"), attributes: kv({ tenant: "t1", "loki.tenant": "tenant" }) }, {}));
  expect(e!.labels.tenant).toBe("t1");
  expect(e!.timestamp).toBe(42n);
  expect(e!.line).toBe('{"body":"x","instrumentation_scope":{"name":"app.logger","version":"1.2"}}');
});

test("the component sends converted entries to forward_to", async () => {
  rt = await pipeline(`test.loki_sink "out" {}
otelcol.exporter.loki "l" {
  forward_to = [test.loki_sink.out.receiver]
}
test.otelcol_source "in" {
  output {
    logs = [otelcol.exporter.loki.l.input]
  }
}`);
  await sources.get("test.otelcol_source.in")!.consumeLogs!(batch({ timeUnixNano: T, body: av("hi") }, { "service.name": "svc" }));
  const got = lokiSinks.get("test.loki_sink.out")!;
  expect(got.map((e) => [{ ...e.labels }, e.line])).toEqual([[{ exporter: "OTLP", job: "svc" }, '{"body":"hi","resources":{"service.name":"svc"},"instrumentation_scope":{"name":"app.logger","version":"1.2"}}']]);
});

test("JSON lines keep 64-bit integers exact, sort keys as Go does and encode nested values", () => {
  const nested = create(AnyValueSchema, {
    value: { case: "kvlistValue", value: create(KeyValueListSchema, { values: kv({ b: "x", a: true }) }) },
  });
  const list = create(AnyValueSchema, { value: { case: "arrayValue", value: create(ArrayValueSchema, { values: [av(1n), av(2.5)] }) } });
  const [e] = logsToEntries(
    batch(
      {
        timeUnixNano: T,
        body: nested,
        attributes: [...kv({ big: 9007199254740993n, "10": "ten", "9": "nine" }), create(KeyValueSchema, { key: "list", value: list })],
      },
      {},
      { name: "", version: "" },
    ),
  );
  expect(e!.line).toBe('{"body":{"a":true,"b":"x"},"attributes":{"10":"ten","9":"nine","big":9007199254740993,"list":[1,2.5]}}');
});
