// discovery.relabel: applies `rule` blocks to each target; targets a rule drops
// are left out of `output`. While live debugging is on, each target is shown as
// `{before} => {after}` (`{}` when dropped).

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";
import { Labels } from "../../telemetry/prometheus/labels.ts";
import { relabel } from "../../telemetry/prometheus/relabel/process.ts";
import { compileRuleBlocks, RelabelRuleBlock, RelabelRules, RELABEL_RULES_TYPE } from "./rules.ts";

const Arguments = schema.block({
  targets: schema.attr(schema.targets),
  rule: schema.blocks(RelabelRuleBlock),
});
const Exports = schema.block({
  output: schema.attr(schema.targets),
  rules: schema.attr(schema.capsule<RelabelRules>(RELABEL_RULES_TYPE)),
});

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

class DiscoveryRelabel implements ComponentInstance<Args> {
  constructor(private readonly ctx: Ctx) {}

  update(args: Args): void {
    const rules = compileRuleBlocks(args.rule);
    const output: Record<string, string>[] = [];
    const debug = this.ctx.liveDebugging.isActive() ? this.ctx.liveDebugging : undefined;
    for (const t of args.targets) {
      const before = Labels.fromObject(t);
      const after = relabel(before, rules);
      if (after !== undefined) output.push(after.toObject());
      debug?.publish({ type: "target", count: 1, text: () => `${before.toString()} => ${(after ?? Labels.EMPTY).toString()}` });
    }
    this.ctx.publish({ output, rules: new RelabelRules(rules) });
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
