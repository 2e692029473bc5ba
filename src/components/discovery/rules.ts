// The `rule` block shared by prometheus.relabel and discovery.relabel (Alloy's
// relabel.Config), validated when decoded, and the `relabel.Rules` capsule both
// export.

import * as schema from "../../syntax/schema/index.ts";
import { newRelabelRule, type RelabelRule, type RelabelRuleArgs } from "../../telemetry/prometheus/relabel/rule.ts";

/** Alloy's capsule type name for exported rules. */
export const RELABEL_RULES_TYPE = "relabel.Rules";

const ruleFields = {
  source_labels: schema.attr(schema.list(schema.string), { optional: true }),
  separator: schema.attr(schema.string, { default: ";" }),
  regex: schema.attr(schema.string, { default: "(.*)" }),
  modulus: schema.attr(schema.uint, { default: 0 }),
  target_label: schema.attr(schema.string, { default: "" }),
  replacement: schema.attr(schema.string, { default: "$1" }),
  action: schema.attr(schema.string, { default: "replace" }),
};
export type RuleBlock = schema.InferFields<typeof ruleFields>;

function ruleArgs(r: RuleBlock): RelabelRuleArgs {
  return { ...r, source_labels: r.source_labels };
}

export const RelabelRuleBlock = schema.block(ruleFields, {
  validate: (r) => {
    newRelabelRule(ruleArgs(r));
    return undefined;
  },
});

/**
 * The exported `rules` value (capsule "relabel.Rules"): compiled rules that other
 * components (e.g. a `relabel_rules` argument) apply with the relabel engine.
 */
export class RelabelRules {
  constructor(readonly rules: readonly RelabelRule[]) {}
}

/** Compiles decoded rule blocks (already validated by the schema). */
export function compileRuleBlocks(blocks: readonly RuleBlock[]): RelabelRule[] {
  return blocks.map((b) => newRelabelRule(ruleArgs(b)));
}
