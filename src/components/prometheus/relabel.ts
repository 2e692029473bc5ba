// prometheus.relabel: relabels every series sent to its `receiver` with the `rule`
// blocks and forwards the result to `forward_to`. Results are cached per series
// (max_cache_size, least recently used out first; cache_ttl, expired entries
// removed by a periodic scan); a staleness marker removes its series' entry, as
// the series is not expected back.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../telemetry/prometheus/appendable.ts";
import { RelabelRuleBlock, RELABEL_RULES_TYPE, type RelabelRules } from "../discovery/rules.ts";

export const Arguments = schema.block(
  {
    forward_to: schema.attr(schema.list(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE))),
    rule: schema.blocks(RelabelRuleBlock),
    max_cache_size: schema.attr(schema.int, { default: 100_000 }),
    cache_ttl: schema.attr(schema.duration, { default: 0 }),
  },
  {
    validate: (a) => {
      if (a.max_cache_size <= 0) return `max_cache_size must be greater than 0 and is ${a.max_cache_size}`;
      if (a.cache_ttl < 0) return `cache_ttl must not be negative`;
      return undefined;
    },
  },
);
export const Exports = schema.block({
  receiver: schema.attr(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE)),
  rules: schema.attr(schema.capsule<RelabelRules>(RELABEL_RULES_TYPE)),
});

export default defineComponent({
  name: "prometheus.relabel",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./relabel_impl.ts"),
});
