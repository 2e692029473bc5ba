// otelcol.exporter.debug: writes what it receives to the component's log (basic: counts,
// normal: one line per item, detailed: everything), as the Collector's debug exporter.

import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { LogsBatch, MetricsBatch, OtelConsumer, TracesBatch } from "../../../telemetry/otlp/index.ts";
import { countMetrics } from "../../../telemetry/otlp/index.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { consumerType } from "../common/output.ts";
import { detailedLogs, detailedMetrics, detailedTraces, normalLogs, normalMetrics, normalTraces } from "./debug_format.ts";

const Arguments = schema.block({
  verbosity: schema.attr(schema.enumOf("basic", "normal", "detailed"), { default: "basic" }),
  sampling_initial: schema.attr(schema.int, { default: 2 }),
  sampling_thereafter: schema.attr(schema.int, { default: 1 }),
  use_internal_logger: schema.attr(schema.bool, { default: true }),
  output_paths: schema.attr(schema.list(schema.string), { default: ["stdout"] }),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
}, {
  validate: (a) => (a.sampling_initial < 0 || a.sampling_thereafter < 0 ? "sampling_initial and sampling_thereafter must not be negative" : undefined),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(consumerType) });

/** zap's sampler: per second, the first `initial` messages, then every `thereafter`-th. */
export class Sampler {
  #second = 0;
  #count = 0;
  constructor(private readonly initial: number, private readonly thereafter: number) {}
  allow(now = Date.now()): boolean {
    const sec = Math.floor(now / 1000);
    if (sec !== this.#second) {
      this.#second = sec;
      this.#count = 0;
    }
    this.#count++;
    if (this.#count <= this.initial) return true;
    return this.thereafter > 0 && (this.#count - this.initial) % this.thereafter === 0;
  }
}

class DebugExporter implements ComponentInstance<Args>, OtelConsumer {
  readonly capabilities = { mutatesData: false };
  #args: Args;
  #sampler: Sampler;

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.#args = args;
    this.#sampler = new Sampler(args.sampling_initial, args.sampling_thereafter);
    ctx.publish({ input: this });
  }

  update(args: Args): void {
    this.#args = args;
    this.#sampler = new Sampler(args.sampling_initial, args.sampling_thereafter);
  }

  #write(fields: Record<string, string | number>, lines: () => string[] | string): void {
    if (!this.#sampler.allow()) return;
    const v = this.#args.verbosity;
    const msg = fields.kind as string;
    delete fields.kind;
    if (v === "basic") {
      this.ctx.logger.info(msg, fields);
      return;
    }
    const text = lines();
    const body = Array.isArray(text) ? text.join("\n") : text;
    if (this.#args.use_internal_logger) this.ctx.logger.info(msg, { ...fields, output: body });
    else process.stdout.write(`${body}\n`);
  }

  async consumeTraces(b: TracesBatch): Promise<void> {
    const r = b.request;
    this.#write({ kind: "Traces", "resource spans": r.resourceSpans.length, spans: b.itemCount() }, () =>
      this.#args.verbosity === "detailed" ? detailedTraces(r) : normalTraces(r));
  }

  async consumeMetrics(b: MetricsBatch): Promise<void> {
    const r = b.request;
    this.#write({ kind: "Metrics", "resource metrics": r.resourceMetrics.length, metrics: countMetrics(r), "data points": b.itemCount() }, () =>
      this.#args.verbosity === "detailed" ? detailedMetrics(r) : normalMetrics(r));
  }

  async consumeLogs(b: LogsBatch): Promise<void> {
    const r = b.request;
    this.#write({ kind: "Logs", "resource logs": r.resourceLogs.length, "log records": b.itemCount() }, () =>
      this.#args.verbosity === "detailed" ? detailedLogs(r) : normalLogs(r));
  }
}

export default defineComponent({
  name: "otelcol.exporter.debug",
  stability: "experimental",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new DebugExporter(ctx, args),
});
