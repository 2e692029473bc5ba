// discovery.relabel: applies `rule` blocks to each target; targets a rule drops
// are left out of `output`. While live debugging is on, each target is shown as
// `{before} => {after}` (`{}` when dropped).

import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import { Labels } from "../../telemetry/prometheus/labels.ts";
import { relabel } from "../../telemetry/prometheus/relabel/process.ts";
import { compileRuleBlocks, RelabelRules } from "./rules.ts";
import type { Arguments, Exports } from "./relabel.ts";

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

/** Loaded with the first block of this component in a config (see relabel.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => {
  const c = new DiscoveryRelabel(ctx);
  c.update(args);
  return c;
};
