// otelcol.exporter.prometheus: OTLP metrics → Prometheus samples for prometheus.* receivers
// (see prometheus/translate.ts for the mapping). Each OTLP batch becomes one append batch.

import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import { CONSUMER_CAPSULE_TYPE, ConsumerError, type MetricsBatch, type OtelConsumer } from "../../../telemetry/otlp/index.ts";
import { FanOut, METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { Translator } from "./prometheus/translate.ts";

const Arguments = schema.block(
  {
    forward_to: schema.attr(schema.list(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE))),
    include_target_info: schema.attr(schema.bool, { default: true }),
    include_scope_info: schema.attr(schema.bool, { default: false }),
    include_scope_labels: schema.attr(schema.bool, { default: true }),
    add_metric_suffixes: schema.attr(schema.bool, { default: true }),
    convert_classic_histograms_to_nhcb: schema.attr(schema.bool, { default: false, stability: "experimental" }),
    start_timestamp_zero_ingestion: schema.attr(schema.bool, { default: false, stability: "experimental" }),
    gc_frequency: schema.attr(schema.duration, { default: "5m" }),
    honor_metadata: schema.attr(schema.bool, { default: false, stability: "experimental" }),
    keep_identifying_resource_attributes: schema.attr(schema.bool, { default: false }),
    resource_to_telemetry_conversion: schema.attr(schema.bool, { default: false }),
    debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
  },
  { validate: (a) => (a.gc_frequency <= 0 ? "gc_frequency must be greater than 0" : undefined) },
);
const Exports = schema.block({ input: schema.attr(schema.capsule<OtelConsumer>(CONSUMER_CAPSULE_TYPE)) });
type Args = schema.Infer<typeof Arguments>;

export function translatorFor(a: Args): Translator {
  return new Translator({
    includeTargetInfo: a.include_target_info,
    includeScopeInfo: a.include_scope_info,
    includeScopeLabels: a.include_scope_labels,
    addMetricSuffixes: a.add_metric_suffixes,
    resourceToTelemetryConversion: a.resource_to_telemetry_conversion,
    keepIdentifyingResourceAttributes: a.keep_identifying_resource_attributes,
    convertClassicHistogramsToNHCB: a.convert_classic_histograms_to_nhcb,
    startTimestampZeroIngestion: a.start_timestamp_zero_ingestion,
    honorMetadata: a.honor_metadata,
  });
}

class PrometheusExporter implements ComponentInstance<Args>, OtelConsumer {
  readonly capabilities = { mutatesData: false };
  private readonly fanout: FanOut;
  private translator: Translator;

  constructor(ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.fanout = new FanOut(args.forward_to);
    this.translator = translatorFor(args);
    ctx.publish({ input: this });
  }

  update(args: Args): void {
    this.fanout.setChildren(args.forward_to);
    this.translator = translatorFor(args);
  }

  async consumeMetrics(batch: MetricsBatch): Promise<void> {
    const out = this.translator.translate(batch.request);
    if (out.isEmpty()) return;
    try {
      await this.fanout.appendBatch(out);
    } catch (err) {
      throw ConsumerError.retryable(`failed to append metrics: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

export default defineComponent({
  name: "otelcol.exporter.prometheus",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new PrometheusExporter(ctx, args),
});
