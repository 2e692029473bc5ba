// discovery.relabel: applies `rule` blocks to each target; targets a rule drops
// are left out of `output`. While live debugging is on, each target is shown as
// `{before} => {after}` (`{}` when dropped).

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";
import { RelabelRuleBlock, RELABEL_RULES_TYPE, type RelabelRules } from "./rules.ts";

export const Arguments = schema.block({
  targets: schema.attr(schema.targets),
  rule: schema.blocks(RelabelRuleBlock),
});
export const Exports = schema.block({
  output: schema.attr(schema.targets),
  rules: schema.attr(schema.capsule<RelabelRules>(RELABEL_RULES_TYPE)),
});

export default defineComponent({
  name: "discovery.relabel",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./relabel_impl.ts"),
});
