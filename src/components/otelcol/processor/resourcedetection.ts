// otelcol.processor.resourcedetection: detects resource attributes once when (re)configured,
// with `timeout`, and merges them into every batch's resources: with `override` they replace
// existing attributes, otherwise only missing ones are added. The first detector to report an
// attribute wins. `env` and `system` work anywhere, `heroku` and `lambda` wherever their
// platform's variables are set; the other cloud and orchestrator detectors need their
// platform's metadata services, which this host does not have: each is reported (log line and
// debug info) as unavailable and contributes nothing.

import { create } from "@bufbuild/protobuf";
import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import {
  AnyValueSchema,
  ArrayValueSchema,
  CONSUMER_CAPSULE_TYPE,
  KeyValueSchema,
  ResourceSchema,
  type KeyValue,
  type LogsBatch,
  type MetricsBatch,
  type OtelConsumer,
  type TracesBatch,
} from "../../../telemetry/otlp/index.ts";
import { Output, outputConsumer } from "../common/output.ts";
import { observed } from "../common/live_debugging.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { findAttr, stringValue } from "./matching.ts";
import { DETECTOR_BLOCKS, DETECTOR_NAMES } from "./resourcedetection/detectors.ts";
import { detectSystem, parseResourceAttributes, type Detected } from "./resourcedetection/system.ts";
import { detectHeroku, detectLambda } from "./resourcedetection/platform_env.ts";

const detectorFields: schema.Fields = {};
for (const [name, block] of Object.entries(DETECTOR_BLOCKS)) detectorFields[name] = schema.block(block, { default: "defaults" });

const Arguments = schema.block(
  {
    detectors: schema.attr(schema.list(schema.string), { default: ["env"] }),
    override: schema.attr(schema.bool, { default: true }),
    timeout: schema.attr(schema.duration, { default: "5s" }),
    fail_on_missing_metadata: schema.attr(schema.bool, { default: false }),
    ...detectorFields,
    output: schema.block(Output),
    debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
  },
  {
    validate: (a) => {
      for (const d of a.detectors) if (!DETECTOR_NAMES.includes(d)) return `invalid detector key: ${d}`;
      return undefined;
    },
  },
);
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(schema.capsule<OtelConsumer>(CONSUMER_CAPSULE_TYPE)) });

type Toggles = Record<string, { enabled: boolean }>;

function blockOf(args: Args, name: string): Record<string, unknown> & { resource_attributes: Toggles } {
  return (args as unknown as Record<string, Record<string, unknown> & { resource_attributes: Toggles }>)[name]!;
}

export interface DetectionResult {
  attributes: Detected;
  /** Detector → why it contributed nothing. */
  unavailable: Map<string, string>;
}

/** Runs the configured detectors in order; `env` is read from `environ`. */
export async function detect(args: Args, environ: Record<string, string | undefined> = process.env): Promise<DetectionResult> {
  const attributes: Detected = new Map();
  const unavailable = new Map<string, string>();
  const merge = (found: Detected): void => {
    for (const [k, v] of found) if (!attributes.has(k)) attributes.set(k, v);
  };
  for (const d of args.detectors) {
    if (d === "env") {
      merge(parseResourceAttributes(environ.OTEL_RESOURCE_ATTRIBUTES ?? ""));
      continue;
    }
    if (d === "system") {
      const sys = blockOf(args, "system");
      const toggles = sys.resource_attributes;
      const work = detectSystem(sys.hostname_sources as string[], (a) => toggles[a]?.enabled === true);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`system detector timed out after ${args.timeout}ms`)), args.timeout);
      });
      try {
        merge(await Promise.race([work, timeout]));
      } finally {
        clearTimeout(timer);
      }
      continue;
    }
    if (d === "heroku" || d === "lambda") {
      const toggles = blockOf(args, d).resource_attributes;
      const found = (d === "heroku" ? detectHeroku : detectLambda)(environ, (a) => toggles[a]?.enabled === true);
      if (found) {
        merge(found);
        continue;
      }
      const why = d === "heroku" ? "HEROKU_DYNO_ID is not set: not running on Heroku, or dyno metadata is not enabled" : "AWS_LAMBDA_FUNCTION_NAME is not set: not running on AWS Lambda";
      if (args.fail_on_missing_metadata) throw new Error(why);
      unavailable.set(d, why);
      continue;
    }
    const why = `the ${d} detector needs its platform's metadata service, which is not available on this host`;
    if (args.fail_on_missing_metadata || blockOf(args, d).fail_on_missing_metadata === true) throw new Error(why);
    unavailable.set(d, why);
  }
  return { attributes, unavailable };
}

function toKeyValue(key: string, v: string | string[] | bigint): KeyValue {
  const value = Array.isArray(v)
    ? create(AnyValueSchema, { value: { case: "arrayValue", value: create(ArrayValueSchema, { values: v.map(stringValue) }) } })
    : typeof v === "bigint"
      ? create(AnyValueSchema, { value: { case: "intValue", value: v } })
      : stringValue(v);
  return create(KeyValueSchema, { key, value });
}

class ResourceDetection implements ComponentInstance<Args>, OtelConsumer {
  readonly capabilities = { mutatesData: true };
  private next: OtelConsumer;
  private result: DetectionResult = { attributes: new Map(), unavailable: new Map() };
  private override = true;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>,
    args: Args,
  ) {
    this.next = observed(ctx.liveDebugging, outputConsumer(args.output));
    this.configure(args);
    ctx.publish({ input: this });
  }

  private configure(args: Args): void {
    this.override = args.override;
    this.ready = detect(args).then(
      (r) => {
        this.result = r;
        for (const [d, why] of r.unavailable) this.ctx.logger.warn("resource detector not available", { detector: d, reason: why });
        this.ctx.setHealth({ state: "healthy", message: "" });
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.ctx.logger.error("failed to detect resource attributes", { err: message });
        this.ctx.setHealth({ state: "unhealthy", message: `failed to detect resource attributes: ${message}` });
      },
    );
  }

  update(args: Args): void {
    this.next = observed(this.ctx.liveDebugging, outputConsumer(args.output));
    this.configure(args);
  }

  debugInfo(): unknown {
    return {
      detected_attributes: Object.fromEntries([...this.result.attributes].map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)])),
      unavailable_detectors: Object.fromEntries(this.result.unavailable),
    };
  }

  private apply(holder: { resource?: { attributes: KeyValue[] } | undefined }): void {
    holder.resource ??= create(ResourceSchema, {});
    const attrs = holder.resource.attributes;
    for (const [k, v] of this.result.attributes) {
      const existing = findAttr(attrs, k);
      if (existing) {
        if (this.override) existing.value = toKeyValue(k, v).value;
      } else attrs.push(toKeyValue(k, v));
    }
  }

  async consumeTraces(b: TracesBatch) {
    await this.ready;
    b.markMutated();
    for (const r of b.request.resourceSpans) this.apply(r);
    return this.next.consumeTraces!(b);
  }
  async consumeMetrics(b: MetricsBatch) {
    await this.ready;
    b.markMutated();
    for (const r of b.request.resourceMetrics) this.apply(r);
    return this.next.consumeMetrics!(b);
  }
  async consumeLogs(b: LogsBatch) {
    await this.ready;
    b.markMutated();
    for (const r of b.request.resourceLogs) this.apply(r);
    return this.next.consumeLogs!(b);
  }
}

export default defineComponent({
  name: "otelcol.processor.resourcedetection",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new ResourceDetection(ctx, args),
});
