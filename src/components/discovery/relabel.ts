// discovery.relabel: applies `rule` blocks to each target; targets a rule drops,
// or that end up with no labels, are left out of `output`.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";
import { relabelTarget } from "../../telemetry/prometheus/relabel/process.ts";
import type { RelabelRule } from "../../telemetry/prometheus/relabel/rule.ts";
import { compileRuleBlocks, RelabelRuleBlock, RELABEL_RULES_TYPE } from "./rules.ts";

const Arguments = schema.block({
  targets: schema.attr(schema.targets),
  rule: schema.blocks(RelabelRuleBlock),
});
const Exports = schema.block({
  output: schema.attr(schema.targets),
  rules: schema.attr(schema.capsule<RelabelRule[]>(RELABEL_RULES_TYPE)),
});

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

class DiscoveryRelabel implements ComponentInstance<Args> {
  constructor(private readonly ctx: Ctx) {}

  update(args: Args): void {
    const rules = compileRuleBlocks(args.rule);
    const output: Record<string, string>[] = [];
    for (const t of args.targets) {
      const out = relabelTarget(t, rules);
      if (out !== undefined && Object.keys(out).length > 0) output.push(out);
    }
    this.ctx.publish({ output, rules });
  }
}

export default defineComponent({
  name: "discovery.relabel",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build(ctx, args) {
    const c = new DiscoveryRelabel(ctx);
    c.update(args);
    return c;
  },
});
