// Arguments of prometheus.remote_write (Alloy's remotewrite.Arguments): external
// labels, one or more `endpoint` blocks (queue_config, metadata_config,
// write_relabel_config and the HTTP client arguments), and the `wal` block.

import * as schema from "../../../syntax/schema/index.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import { httpClientFields, validateHTTPClientConfig, type HTTPClientConfig } from "../../common/http_client/config.ts";
import { RelabelRuleBlock } from "../../discovery/rules.ts";

export const QueueConfig = schema.block({
  capacity: schema.attr(schema.int, { default: 10000 }),
  min_shards: schema.attr(schema.int, { default: 1 }),
  max_shards: schema.attr(schema.int, { default: 50 }),
  max_samples_per_send: schema.attr(schema.int, { default: 2000 }),
  batch_send_deadline: schema.attr(schema.duration, { default: "5s" }),
  min_backoff: schema.attr(schema.duration, { default: "30ms" }),
  max_backoff: schema.attr(schema.duration, { default: "5s" }),
  retry_on_http_429: schema.attr(schema.bool, { default: true }),
  sample_age_limit: schema.attr(schema.duration, { default: "0s" }),
}, {
  validate: (q) => {
    if (q.capacity <= 0) return "capacity must be greater than 0";
    if (q.min_shards <= 0) return "min_shards must be greater than 0";
    if (q.max_shards < q.min_shards) return "max_shards must be greater than or equal to min_shards";
    if (q.max_samples_per_send <= 0) return "max_samples_per_send must be greater than 0";
    return undefined;
  },
});

export const MetadataConfig = schema.block({
  send: schema.attr(schema.bool, { default: true }),
  send_interval: schema.attr(schema.duration, { default: "1m" }),
  max_samples_per_send: schema.attr(schema.int, { default: 2000 }),
});

const endpointFields = {
  ...httpClientFields,
  // Alloy's remote_write client defaults to HTTP/1.1.
  enable_http2: schema.attr(schema.bool, { default: false }),
  name: schema.attr(schema.string, { default: "" }),
  url: schema.attr(schema.string),
  remote_timeout: schema.attr(schema.duration, { default: "30s" }),
  headers: schema.attr(schema.map(schema.string), { default: {} }),
  send_exemplars: schema.attr(schema.bool, { default: true }),
  send_native_histograms: schema.attr(schema.bool, { default: false }),
  round_robin_dns: schema.attr(schema.bool, { default: false }),
  protobuf_message: schema.attr(schema.string, { default: "prometheus.WriteRequest" }),
  queue_config: schema.block(QueueConfig, { default: "defaults" }),
  metadata_config: schema.block(MetadataConfig, { default: "defaults" }),
  write_relabel_config: schema.blocks(RelabelRuleBlock),
};

export const EndpointBlock = schema.block(endpointFields, {
  validate: (e) => {
    let u: URL;
    try {
      u = new URL(e.url);
    } catch {
      return `endpoint url ${JSON.stringify(e.url)} is not a valid URL`;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return `endpoint url ${JSON.stringify(e.url)} must use http or https`;
    if (e.protobuf_message !== "prometheus.WriteRequest" && e.protobuf_message !== "io.prometheus.write.v2.Request") {
      return `unknown protobuf_message ${JSON.stringify(e.protobuf_message)}`;
    }
    if (e.protobuf_message !== "prometheus.WriteRequest") return `protobuf_message ${JSON.stringify(e.protobuf_message)} is not supported yet`;
    return validateHTTPClientConfig(e as unknown as HTTPClientConfig);
  },
});

export const WalBlock = schema.block({
  truncate_frequency: schema.attr(schema.duration, { default: "2h" }),
  min_keepalive_time: schema.attr(schema.duration, { default: "5m" }),
  max_keepalive_time: schema.attr(schema.duration, { default: "8h" }),
}, {
  validate: (w) => {
    if (w.truncate_frequency <= 0) return "truncate_frequency must be greater than 0s";
    if (w.min_keepalive_time > w.max_keepalive_time) return "min_keepalive_time must be smaller than max_keepalive_time";
    return undefined;
  },
});

export const Arguments = schema.block({
  external_labels: schema.attr(schema.map(schema.string), { default: {} }),
  endpoint: schema.blocks(EndpointBlock),
  wal: schema.block(WalBlock, { default: "defaults" }),
}, {
  validate: (a) => {
    const seen = new Set<string>();
    for (const e of a.endpoint) {
      if (e.name === "") continue;
      if (seen.has(e.name)) return `found duplicate remote write configs ${JSON.stringify(e.name)}`;
      seen.add(e.name);
    }
    return undefined;
  },
});

export const Exports = schema.block({
  receiver: schema.attr(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE)),
});

export type Args = schema.Infer<typeof Arguments>;
export type EndpointArgs = schema.InferFields<typeof endpointFields>;
export type QueueArgs = schema.Infer<typeof QueueConfig>;
export type MetadataArgs = schema.Infer<typeof MetadataConfig>;
export type WalArgs = schema.Infer<typeof WalBlock>;
