// otelcol.receiver.prometheus: a MetricsReceiver (prometheus.scrape's forward_to target)
// that turns each appended batch into one OTLP metrics batch (prometheus/translate.ts).

import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import { MetricsBatch as OtlpMetricsBatch, type OtelConsumer } from "../../../telemetry/otlp/index.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import type { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import { Output, outputConsumer } from "../common/output.ts";
import { observed } from "../common/live_debugging.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { PromToOtlp } from "./prometheus/translate.ts";

const Arguments = schema.block({
  output: schema.block(Output),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
const Exports = schema.block({ receiver: schema.attr(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE)) });
type Args = schema.Infer<typeof Arguments>;

class PrometheusReceiver implements ComponentInstance<Args>, MetricsReceiver {
  private next: OtelConsumer;
  private readonly converter = new PromToOtlp();

  constructor(
    private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>,
    args: Args,
  ) {
    this.next = observed(ctx.liveDebugging, outputConsumer(args.output));
    ctx.publish({ receiver: this });
  }

  update(args: Args): void {
    this.next = observed(this.ctx.liveDebugging, outputConsumer(args.output));
  }

  async appendBatch(batch: MetricsBatch): Promise<void> {
    const request = this.converter.convert(batch);
    if (!request) return;
    await this.next.consumeMetrics!(new OtlpMetricsBatch(request));
  }
}

export default defineComponent({
  name: "otelcol.receiver.prometheus",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new PrometheusReceiver(ctx, args),
});
