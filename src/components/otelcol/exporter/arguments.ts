// Blocks every queued otelcol exporter shares (the Collector's exporterhelper settings).

import * as schema from "../../../syntax/schema/index.ts";
import { handlerType } from "../common/handler.ts";

export const RetryOnFailure = schema.block({
  enabled: schema.attr(schema.bool, { default: true }),
  initial_interval: schema.attr(schema.duration, { default: "5s" }),
  randomization_factor: schema.attr(schema.number, { default: 0.5 }),
  multiplier: schema.attr(schema.number, { default: 1.5 }),
  max_interval: schema.attr(schema.duration, { default: "30s" }),
  max_elapsed_time: schema.attr(schema.duration, { default: "5m" }),
}, {
  validate: (r) => {
    if (!r.enabled) return undefined;
    if (r.randomization_factor < 0 || r.randomization_factor > 1) return "randomization_factor must be within [0, 1]";
    if (r.multiplier < 1) return "multiplier must be at least 1";
    if (r.initial_interval < 0 || r.max_interval < 0 || r.max_elapsed_time < 0) return "retry intervals must not be negative";
    return undefined;
  },
});
export type RetryArgs = schema.Infer<typeof RetryOnFailure>;

const QueueBatch = schema.block({
  flush_timeout: schema.attr(schema.duration, { default: "200ms" }),
  min_size: schema.attr(schema.int, { default: 2000 }),
  max_size: schema.attr(schema.int, { default: 3000 }),
  sizer: schema.attr(schema.enumOf("items", "bytes", "requests"), { default: "items" }),
});

export const SendingQueue = schema.block({
  enabled: schema.attr(schema.bool, { default: true }),
  num_consumers: schema.attr(schema.int, { default: 10 }),
  queue_size: schema.attr(schema.int, { default: 1000 }),
  block_on_overflow: schema.attr(schema.bool, { default: false }),
  sizer: schema.attr(schema.enumOf("requests", "items", "bytes"), { default: "requests" }),
  wait_for_result: schema.attr(schema.bool, { default: false }),
  storage: schema.attr(handlerType, { optional: true }),
  batch: schema.block(QueueBatch, { optional: true }),
}, {
  validate: (q) => {
    if (!q.enabled) return undefined;
    if (q.num_consumers <= 0) return "num_consumers must be positive";
    if (q.queue_size <= 0) return "queue_size must be positive";
    return undefined;
  },
});
export type QueueArgs = schema.Infer<typeof SendingQueue>;
