// otelcol.processor.attributes: the Collector's attributes processor. Actions run in order
// on the attributes of every span, log record and metric data point that the include/exclude
// blocks select; the batch is changed in place (the fan-out hands this processor its own copy).

import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance, type LiveDebuggingPublisher } from "../../../runtime/component.ts";
import { GoRegexp } from "../../../gocompat/regexp.ts";
import {
  AnyValueSchema,
  CONSUMER_CAPSULE_TYPE,
  KeyValueSchema,
  type AnyValue,
  type ClientInfo,
  type KeyValue,
  type LogsBatch,
  type Metric,
  type MetricsBatch,
  type OtelConsumer,
  type TracesBatch,
} from "../../../telemetry/otlp/index.ts";
import { Output, outputConsumer } from "../common/output.ts";
import { observed } from "../common/live_debugging.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { MatchProperties, anyValueString, compileMatchProperties, configToAnyValue, findAttr, skipper, stringValue, type MatchSubject } from "./matching.ts";

const ACTIONS = ["insert", "update", "upsert", "delete", "hash", "extract", "convert"] as const;

const ActionBlock = schema.block({
  key: schema.attr(schema.string, { default: "" }),
  action: schema.attr(schema.string),
  value: schema.attr(schema.any, { optional: true }),
  pattern: schema.attr(schema.string, { default: "" }),
  from_attribute: schema.attr(schema.string, { default: "" }),
  from_context: schema.attr(schema.string, { default: "" }),
  converted_type: schema.attr(schema.string, { default: "" }),
});
type ActionArgs = schema.Infer<typeof ActionBlock>;

const Arguments = schema.block({
  action: schema.blocks(ActionBlock),
  include: schema.block(MatchProperties, { optional: true }),
  exclude: schema.block(MatchProperties, { optional: true }),
  output: schema.block(Output),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(schema.capsule<OtelConsumer>(CONSUMER_CAPSULE_TYPE)) });

/** Changes one attribute list; `client` feeds from_context. */
export type AttrAction = (attrs: KeyValue[], client: ClientInfo | undefined) => void;

/** Compiles the action blocks, validating them as the Collector's attraction package does. */
export function compileActions(actions: readonly ActionArgs[]): AttrAction[] {
  if (actions.length === 0) throw new Error("error creating AttrProc due to missing required field \"actions\"");
  return actions.map((a, i) => compileAction(a, i));
}

function compileAction(a: ActionArgs, i: number): AttrAction {
  const where = `action at index ${i}`;
  const action = a.action.toLowerCase();
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new Error(`error creating AttrProc due to unsupported action "${a.action}" at the ${i}-th actions`);
  }
  const hasValue = a.value !== undefined && a.value !== null;
  if (a.key === "" && (action !== "delete" && action !== "hash" || a.pattern === "")) {
    throw new Error(`error creating AttrProc due to missing required field "key" at the ${i}-th actions`);
  }
  switch (action) {
    case "insert":
    case "update":
    case "upsert": {
      const sources = [hasValue, a.from_attribute !== "", a.from_context !== ""].filter(Boolean).length;
      if (sources !== 1) {
        throw new Error(`error creating AttrProc due to missing or too many fields: exactly one of "value", "from_attribute" or "from_context" is required for the ${action} action at the ${i}-th actions`);
      }
      if (a.pattern !== "") throw new Error(`error creating AttrProc. Action "${action}" does not use the "pattern" field. This must not be specified for ${i}-th action`);
      const fixed = hasValue ? configToAnyValue(a.value!) : undefined;
      const source = (attrs: KeyValue[], client: ClientInfo | undefined): AnyValue | undefined => {
        if (fixed) return fixed;
        if (a.from_attribute !== "") return findAttr(attrs, a.from_attribute)?.value;
        return contextValue(a.from_context, client);
      };
      return (attrs, client) => {
        const existing = findAttr(attrs, a.key);
        if ((action === "insert" && existing) || (action === "update" && !existing)) return;
        const v = source(attrs, client);
        if (v === undefined) return;
        const copy = create(AnyValueSchema, { value: v.value });
        if (existing) existing.value = copy;
        else attrs.push(create(KeyValueSchema, { key: a.key, value: copy }));
      };
    }
    case "delete":
    case "hash": {
      if (hasValue || a.from_attribute !== "" || a.from_context !== "") {
        throw new Error(`error creating AttrProc. Action "${action}" does not use "value", "from_attribute" or "from_context" field. These must not be specified for ${i}-th action`);
      }
      const re = a.pattern !== "" ? compileRegexp(a.pattern, where) : undefined;
      const selected = (k: string): boolean => k === a.key || (re !== undefined && re.matchString(k));
      if (action === "delete") {
        return (attrs) => {
          for (let j = attrs.length - 1; j >= 0; j--) if (selected(attrs[j]!.key)) attrs.splice(j, 1);
        };
      }
      return (attrs) => {
        for (const kv of attrs) if (selected(kv.key)) kv.value = stringValue(sha1Hex(kv.value));
      };
    }
    case "extract": {
      if (a.pattern === "") throw new Error(`error creating AttrProc due to missing required field "pattern" for action "extract" at the ${i}-th actions`);
      const re = compileRegexp(a.pattern, where);
      const names = re.subexpNames().slice(1);
      if (names.length === 0 || names.some((n) => n === "")) {
        throw new Error(`error creating AttrProc. Field "pattern" contains no named matcher groups at the ${i}-th actions`);
      }
      return (attrs) => {
        const src = findAttr(attrs, a.key)?.value;
        if (src?.value.case !== "stringValue") return;
        const m = re.findStringSubmatch(src.value.value);
        if (!m) return;
        names.forEach((name, g) => {
          const v = stringValue(m[g + 1] ?? "");
          const existing = findAttr(attrs, name);
          if (existing) existing.value = v;
          else attrs.push(create(KeyValueSchema, { key: name, value: v }));
        });
      };
    }
    default: {
      const to = a.converted_type;
      if (to !== "int" && to !== "double" && to !== "string") {
        throw new Error(`error creating AttrProc due to invalid value "${to}" in field "converted_type" for action "convert" at the ${i}-th action`);
      }
      return (attrs) => {
        const kv = findAttr(attrs, a.key);
        if (kv) kv.value = convertValue(kv.value, to) ?? kv.value;
      };
    }
  }
}

function compileRegexp(pattern: string, where: string): GoRegexp {
  try {
    return GoRegexp.compile(pattern);
  } catch (err) {
    throw new Error(`error creating AttrProc: ${where}: invalid pattern: ${(err as Error).message}`);
  }
}

/** `metadata.<key>` from the request's headers, `client.address`; several values joined with `;`. */
function contextValue(key: string, client: ClientInfo | undefined): AnyValue | undefined {
  if (key.startsWith("metadata.")) {
    const vals = client?.metadata?.get(key.slice("metadata.".length).toLowerCase());
    return vals && vals.length > 0 ? stringValue(vals.join(";")) : undefined;
  }
  if (key === "client.address") return client?.address ? stringValue(client.address.replace(/:\d+$/, "")) : undefined;
  return undefined;
}

/** The Collector hashes the value's bytes: UTF-8 for strings, 8 little-endian bytes for numbers, one byte for bools. */
function sha1Hex(v: AnyValue | undefined): string {
  const x = v?.value;
  let bytes: Uint8Array | undefined;
  switch (x?.case) {
    case "stringValue":
      bytes = new TextEncoder().encode(x.value);
      break;
    case "boolValue":
      bytes = new Uint8Array([x.value ? 1 : 0]);
      break;
    case "intValue": {
      const b = new DataView(new ArrayBuffer(8));
      b.setBigInt64(0, x.value, true);
      bytes = new Uint8Array(b.buffer);
      break;
    }
    case "doubleValue": {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, x.value, true);
      bytes = new Uint8Array(b.buffer);
      break;
    }
  }
  return bytes && bytes.length > 0 ? createHash("sha1").update(bytes).digest("hex") : "";
}

/** Value conversion of the convert action; undefined leaves the value as it was. */
export function convertValue(v: AnyValue | undefined, to: "int" | "double" | "string"): AnyValue | undefined {
  const x = v?.value;
  if (!x || x.case === undefined) return undefined;
  const mk = (value: AnyValue["value"]): AnyValue => create(AnyValueSchema, { value });
  if (to === "string") return mk({ case: "stringValue", value: anyValueString(v) });
  if (to === "int") {
    switch (x.case) {
      case "intValue":
        return v;
      case "boolValue":
        return mk({ case: "intValue", value: x.value ? 1n : 0n });
      case "doubleValue":
        return Number.isFinite(x.value) ? mk({ case: "intValue", value: BigInt(Math.trunc(x.value)) }) : undefined;
      case "stringValue":
        return /^[+-]?\d+$/.test(x.value.trim()) ? mk({ case: "intValue", value: BigInt(x.value.trim()) }) : undefined;
      default:
        return undefined;
    }
  }
  switch (x.case) {
    case "doubleValue":
      return v;
    case "boolValue":
      return mk({ case: "doubleValue", value: x.value ? 1 : 0 });
    case "intValue":
      return mk({ case: "doubleValue", value: Number(x.value) });
    case "stringValue": {
      const s = x.value.trim();
      const f = /^[+-]?(inf|infinity)$/i.test(s) ? (s.startsWith("-") ? -Infinity : Infinity) : s === "" ? NaN : Number(s);
      return Number.isNaN(f) && !/^nan$/i.test(s) ? undefined : mk({ case: "doubleValue", value: f });
    }
    default:
      return undefined;
  }
}

/** The data points of a metric, whatever its type. */
function dataPoints(m: Metric): Array<{ attributes: KeyValue[] }> {
  const d = m.data;
  return d.case === undefined ? [] : d.value.dataPoints;
}

export class AttributesProcessor implements OtelConsumer {
  readonly capabilities = { mutatesData: true };
  private actions: AttrAction[] = [];
  private skip: Record<"traces" | "metrics" | "logs", (s: MatchSubject) => boolean> = { traces: () => false, metrics: () => false, logs: () => false };
  private next: OtelConsumer = outputConsumer({ traces: [], metrics: [], logs: [] });

  constructor(private readonly liveDebugging?: LiveDebuggingPublisher) {}

  configure(args: Args): void {
    const actions = compileActions(args.action);
    const skip = { ...this.skip };
    for (const signal of ["traces", "metrics", "logs"] as const) {
      // Filters only matter for signals that have somewhere to go, as in Alloy where an
      // unused signal's processor is never built.
      if (args.output[signal].length === 0) continue;
      const inc = args.include ? compileMatchProperties(args.include, signal, "include") : undefined;
      const exc = args.exclude ? compileMatchProperties(args.exclude, signal, "exclude") : undefined;
      skip[signal] = skipper(inc, exc);
    }
    this.actions = actions;
    this.skip = skip;
    const next = outputConsumer(args.output);
    this.next = this.liveDebugging ? observed(this.liveDebugging, next) : next;
  }

  private apply(attrs: KeyValue[], client: ClientInfo | undefined): void {
    for (const act of this.actions) act(attrs, client);
  }

  async consumeTraces(batch: TracesBatch) {
    batch.markMutated();
    const skip = this.skip.traces;
    for (const rs of batch.request.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          if (!skip({ resource: rs.resource, scope: ss.scope, attributes: span.attributes, span })) this.apply(span.attributes, batch.client);
        }
      }
    }
    return this.next.consumeTraces!(batch);
  }

  async consumeLogs(batch: LogsBatch) {
    batch.markMutated();
    const skip = this.skip.logs;
    for (const rl of batch.request.resourceLogs) {
      for (const sl of rl.scopeLogs) {
        for (const log of sl.logRecords) {
          if (!skip({ resource: rl.resource, scope: sl.scope, attributes: log.attributes, log })) this.apply(log.attributes, batch.client);
        }
      }
    }
    return this.next.consumeLogs!(batch);
  }

  async consumeMetrics(batch: MetricsBatch) {
    batch.markMutated();
    const skip = this.skip.metrics;
    for (const rm of batch.request.resourceMetrics) {
      for (const sm of rm.scopeMetrics) {
        for (const m of sm.metrics) {
          for (const dp of dataPoints(m)) {
            if (!skip({ resource: rm.resource, scope: sm.scope, attributes: dp.attributes, metricName: m.name })) this.apply(dp.attributes, batch.client);
          }
        }
      }
    }
    return this.next.consumeMetrics!(batch);
  }
}

class AttributesComponent implements ComponentInstance<Args> {
  private readonly processor: AttributesProcessor;

  constructor(ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.processor = new AttributesProcessor(ctx.liveDebugging);
    this.processor.configure(args);
    ctx.publish({ input: this.processor });
  }

  update(args: Args): void {
    this.processor.configure(args);
  }
}

export default defineComponent({
  name: "otelcol.processor.attributes",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new AttributesComponent(ctx, args),
});
