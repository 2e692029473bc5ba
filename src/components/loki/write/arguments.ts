// loki.write's arguments: `endpoint` blocks (URL, batching, retries, the HTTP
// client block set, queue_config), external_labels, max_streams and `wal`.

import * as schema from "../../../syntax/schema/index.ts";
import { LOGS_RECEIVER_TYPE } from "../../../telemetry/loki/receiver.ts";
import { httpClientFields, validateHTTPClientConfig } from "../../common/http_client/config.ts";
import { byteSize } from "../../common/byte_size.ts";

export { LOGS_RECEIVER_TYPE };

export const QueueConfig = schema.block({
  capacity: schema.attr(byteSize, { default: "10MiB" }),
  drain_timeout: schema.attr(schema.duration, { default: "1m" }),
  min_shards: schema.attr(schema.int, { default: 1 }),
  block_on_overflow: schema.attr(schema.bool, { default: true }),
});

export const Endpoint = schema.block({
  name: schema.attr(schema.string, { default: "" }),
  url: schema.attr(schema.string),
  headers: schema.attr(schema.map(schema.string), { default: {} }),
  batch_wait: schema.attr(schema.duration, { default: "1s" }),
  batch_size: schema.attr(byteSize, { default: "1MiB" }),
  remote_timeout: schema.attr(schema.duration, { default: "10s" }),
  min_backoff_period: schema.attr(schema.duration, { default: "500ms" }),
  max_backoff_period: schema.attr(schema.duration, { default: "5m" }),
  max_backoff_retries: schema.attr(schema.int, { default: 10 }),
  tenant_id: schema.attr(schema.string, { default: "" }),
  retry_on_http_429: schema.attr(schema.bool, { default: true }),
  queue_config: schema.block(QueueConfig, { default: "defaults" }),
  ...httpClientFields,
}, {
  validate: (e) => {
    try {
      const u = new URL(e.url);
      if (u.protocol !== "http:" && u.protocol !== "https:") return `endpoint url ${JSON.stringify(e.url)} must use http or https`;
    } catch {
      return `endpoint url ${JSON.stringify(e.url)} is not a valid URL`;
    }
    if (e.batch_size <= 0) return "batch_size must be positive";
    if (e.min_backoff_period > e.max_backoff_period) return "min_backoff_period must not exceed max_backoff_period";
    return validateHTTPClientConfig(e);
  },
});
export type EndpointArgs = schema.Infer<typeof Endpoint>;

export const WAL = schema.block({
  enabled: schema.attr(schema.bool, { default: false }),
  max_segment_age: schema.attr(schema.duration, { default: "1h" }),
  min_read_frequency: schema.attr(schema.duration, { default: "250ms" }),
  max_read_frequency: schema.attr(schema.duration, { default: "1s" }),
  drain_timeout: schema.attr(schema.duration, { default: "30s" }),
});

export const Arguments = schema.block({
  endpoint: schema.blocks(Endpoint),
  external_labels: schema.attr(schema.map(schema.string), { default: {} }),
  max_streams: schema.attr(schema.int, { default: 0 }),
  wal: schema.block(WAL, { default: "defaults" }),
}, {
  validate: (a) => {
    const names = new Set<string>();
    for (const e of a.endpoint) {
      if (e.name === "") continue;
      if (names.has(e.name)) return `non-unique name for endpoint: ${JSON.stringify(e.name)}`;
      names.add(e.name);
    }
    return a.max_streams < 0 ? "max_streams must not be negative" : undefined;
  },
});
export type Args = schema.Infer<typeof Arguments>;
