// The `targets` expression of a scrape or relabel component: static targets and discovery exports.

import { raw, renderValue, obj, type RawExpr } from "../builder.ts";

/** A target is either a component export expression or a static label set. */
export type Target = { expr: string } | { labels: Record<string, string> };

function one(t: Target): string {
  if ("expr" in t) return t.expr;
  const keys = Object.keys(t.labels).sort();
  return renderValue([obj(keys.map((k) => [k, t.labels[k]!]))]);
}

export function targetsExpr(targets: readonly Target[]): RawExpr {
  if (targets.length === 0) return raw("[]");
  if (targets.length === 1) return raw(one(targets[0]!));
  return raw(`array.concat(\n${targets.map(one).join(",\n")},\n)`);
}
