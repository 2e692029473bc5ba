// Live-debugging events for batches passing an otelcol receiver or processor.

import type { LiveDebuggingPublisher } from "../../../runtime/component.ts";
import type { AnyBatch } from "../../../telemetry/otlp/batch.ts";
import type { OtelConsumer } from "../../../telemetry/otlp/consumer.ts";
import { detailedLogs, detailedMetrics, detailedTraces } from "../exporter/debug_format.ts";

const TYPE = { traces: "otel_trace", metrics: "otel_metric", logs: "otel_log" } as const;

export function publishBatch(ld: LiveDebuggingPublisher, batch: AnyBatch): void {
  if (!ld.isActive()) return;
  ld.publish({
    type: TYPE[batch.signal],
    count: batch.itemCount(),
    text: () => {
      switch (batch.signal) {
        case "traces":
          return detailedTraces(batch.request);
        case "metrics":
          return detailedMetrics(batch.request);
        case "logs":
          return detailedLogs(batch.request);
      }
    },
  });
}

/** Wraps a consumer so every batch handed to it is shown to live debugging first. */
export function observed(ld: LiveDebuggingPublisher, next: OtelConsumer): OtelConsumer {
  return {
    capabilities: next.capabilities ?? { mutatesData: false },
    consumeTraces: async (b) => {
      publishBatch(ld, b);
      return next.consumeTraces?.(b);
    },
    consumeMetrics: async (b) => {
      publishBatch(ld, b);
      return next.consumeMetrics?.(b);
    },
    consumeLogs: async (b) => {
      publishBatch(ld, b);
      return next.consumeLogs?.(b);
    },
  };
}
