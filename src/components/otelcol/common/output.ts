// The `output` block every otelcol receiver and processor has: where each signal goes next.

import * as schema from "../../../syntax/schema/index.ts";
import { CONSUMER_CAPSULE_TYPE, type OtelConsumer } from "../../../telemetry/otlp/consumer.ts";
import { fanoutConsumer } from "../../../telemetry/otlp/fanout.ts";

export const consumerType = schema.capsule<OtelConsumer>(CONSUMER_CAPSULE_TYPE);
const consumerList = schema.list(consumerType);

export const Output = schema.block({
  metrics: schema.attr(consumerList, { default: [] }),
  logs: schema.attr(consumerList, { default: [] }),
  traces: schema.attr(consumerList, { default: [] }),
});
export type OutputArgs = schema.Infer<typeof Output>;

/**
 * One consumer standing for the whole output block: each signal fans out to its list;
 * a signal with an empty list is accepted and dropped, as Alloy's lazy fan-out does.
 */
export function outputConsumer(out: OutputArgs): OtelConsumer {
  const traces = out.traces.length > 0 ? fanoutConsumer(out.traces) : undefined;
  const metrics = out.metrics.length > 0 ? fanoutConsumer(out.metrics) : undefined;
  const logs = out.logs.length > 0 ? fanoutConsumer(out.logs) : undefined;
  return {
    capabilities: { mutatesData: false },
    consumeTraces: async (b) => (traces?.consumeTraces ? traces.consumeTraces(b) : undefined),
    consumeMetrics: async (b) => (metrics?.consumeMetrics ? metrics.consumeMetrics(b) : undefined),
    consumeLogs: async (b) => (logs?.consumeLogs ? logs.consumeLogs(b) : undefined),
  };
}
