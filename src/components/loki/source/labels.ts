// Label handling shared by the loki.source.* listeners: relabel_rules over the
// full label set (internal `__*` labels included), then the internal labels are
// dropped, as Alloy's push and syslog targets do before forwarding.

import { newLabelSet, type LabelSet } from "../../../telemetry/loki/entry.ts";
import { relabelTarget } from "../../../telemetry/prometheus/relabel/process.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { RELABEL_RULES_TYPE, type RelabelRules } from "../../discovery/rules.ts";

export const relabelRulesAttr = schema.attr(schema.capsule<RelabelRules>(RELABEL_RULES_TYPE), { optional: true });

/** Applies rules (if any) and removes `__*` labels; undefined when the rules dropped the entry or nothing is left. */
export function finalLabels(labels: LabelSet, rules: RelabelRules | undefined): LabelSet | undefined {
  let ls: Record<string, string> | undefined = labels;
  if (rules !== undefined && rules.rules.length > 0) {
    ls = relabelTarget(labels, rules.rules);
    if (ls === undefined || Object.keys(ls).length === 0) return undefined;
  }
  const out = newLabelSet();
  for (const k of Object.keys(ls)) if (!k.startsWith("__")) out[k] = ls[k]!;
  return out;
}
