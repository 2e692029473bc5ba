// Test peers for the otelcol processor and bridge tests: `test.otelcol_source "x" { output {...} }`
// lets a test push batches into a pipeline, `test.otelcol_sink "x" {}` keeps what reaches its
// `input`, `test.loki_sink "x" {}` keeps Loki entries, plus request builders.

import { create } from "@bufbuild/protobuf";
import * as schema from "../../../src/syntax/schema/index.ts";
import { defineComponent } from "../../../src/runtime/component.ts";
import {
  AnyValueSchema,
  CONSUMER_CAPSULE_TYPE,
  KeyValueSchema,
  type AnyBatch,
  type AnyValue,
  type KeyValue,
  type OtelConsumer,
} from "../../../src/telemetry/otlp/index.ts";
import { Output, outputConsumer } from "../../../src/components/otelcol/common/output.ts";
import type { Entry } from "../../../src/telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, type LogsReceiver } from "../../../src/telemetry/loki/receiver.ts";
import { components } from "../../../src/components/index.ts";
import { testMetricsReceiver } from "../prometheus/scrape_test_receiver.ts";
import { testRuntime, type TestRuntime } from "../../runtime/helpers.ts";

export const sources = new Map<string, OtelConsumer>();
export const sinks = new Map<string, AnyBatch[]>();
export const lokiSinks = new Map<string, Entry[]>();

const otelSource = defineComponent({
  name: "test.otelcol_source",
  stability: "generally-available",
  args: schema.block({ output: schema.block(Output) }),
  build(ctx, args) {
    sources.set(ctx.id, outputConsumer(args.output));
    return { update: (a) => void sources.set(ctx.id, outputConsumer(a.output)) };
  },
});

const otelSink = defineComponent({
  name: "test.otelcol_sink",
  stability: "generally-available",
  args: schema.block({}),
  exports: schema.block({ input: schema.attr(schema.capsule<OtelConsumer>(CONSUMER_CAPSULE_TYPE)) }),
  build(ctx) {
    const got: AnyBatch[] = [];
    sinks.set(ctx.id, got);
    ctx.publish({
      input: {
        consumeTraces: async (b) => void got.push(b),
        consumeMetrics: async (b) => void got.push(b),
        consumeLogs: async (b) => void got.push(b),
      },
    });
    return { update() {} };
  },
});

const lokiSink = defineComponent({
  name: "test.loki_sink",
  stability: "generally-available",
  args: schema.block({}),
  exports: schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) }),
  build(ctx) {
    const got: Entry[] = [];
    lokiSinks.set(ctx.id, got);
    ctx.publish({ receiver: { send: (e) => void got.push(...e) } });
    return { update() {} };
  },
});

export async function pipeline(config: string): Promise<TestRuntime> {
  const rt = testRuntime({ extra: [...components, otelSource, otelSink, lokiSink, testMetricsReceiver] });
  const res = await rt.load([{ name: "main.alloy", text: config }]);
  const errors = res.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  if (errors.length > 0) {
    await rt.stop();
    throw new Error(errors.join("\n"));
  }
  return rt;
}

/** Load errors of a config (empty when it loads). */
export async function loadErrors(config: string): Promise<string[]> {
  const rt = testRuntime({ extra: [...components, otelSource, otelSink, lokiSink, testMetricsReceiver] });
  const res = await rt.load([{ name: "main.alloy", text: config }]);
  const errors = res.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const unhealthy = rt.unhealthyComponents().map((id) => `${id}: ${rt.component(id)?.health.message ?? ""}`);
  await rt.stop();
  return [...errors, ...unhealthy];
}

export function av(v: string | number | bigint | boolean): AnyValue {
  if (typeof v === "string") return create(AnyValueSchema, { value: { case: "stringValue", value: v } });
  if (typeof v === "boolean") return create(AnyValueSchema, { value: { case: "boolValue", value: v } });
  if (typeof v === "bigint") return create(AnyValueSchema, { value: { case: "intValue", value: v } });
  return create(AnyValueSchema, { value: { case: "doubleValue", value: v } });
}

export function kv(attrs: Record<string, string | number | bigint | boolean>): KeyValue[] {
  return Object.entries(attrs).map(([key, v]) => create(KeyValueSchema, { key, value: av(v) }));
}

/** Attributes as plain JS (ints as bigint) for assertions. */
export function plain(attrs: readonly KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(attrs.map((a) => [a.key, a.value?.value.value]));
}
