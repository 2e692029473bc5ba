// loki.relabel: applies `rule` blocks to each entry's labels and forwards the
// entry with the new label set; entries whose labels end up empty (or that a
// rule drops) are dropped. Results are cached per label set (max_cache_size,
// least recently used out first) and the cache is purged when rules change.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";
import { LOGS_RECEIVER_TYPE, type LogsReceiver } from "../../telemetry/loki/receiver.ts";
import { RelabelRuleBlock, RELABEL_RULES_TYPE, type RelabelRules } from "../discovery/rules.ts";

const Receiver = schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE);

export const Arguments = schema.block(
  {
    forward_to: schema.attr(schema.list(Receiver)),
    rule: schema.blocks(RelabelRuleBlock),
    max_cache_size: schema.attr(schema.int, { default: 10_000 }),
  },
  // The LRU cache's own check, which Alloy reports when building the component.
  { validate: (a) => (a.max_cache_size <= 0 ? "must provide a positive size" : undefined) },
);
export const Exports = schema.block({
  receiver: schema.attr(Receiver),
  rules: schema.attr(schema.capsule<RelabelRules>(RELABEL_RULES_TYPE)),
});

export default defineComponent({
  name: "loki.relabel",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  load: () => import("./relabel_impl.ts"),
});
