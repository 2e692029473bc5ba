// stage.match: entries whose labels (and line filters) match a LogQL
// selector run through nested stages (action "keep") or are dropped
// (action "drop", counted under drop_counter_reason).

import * as schema from "../../../syntax/schema/index.ts";
import { parseLogSelector, type LogSelector } from "../../../telemetry/loki/logql.ts";
import type { PipelineEntry, Stage, StageBlock, StageContext } from "./pipeline.ts";

export const MATCH_FIELDS = {
  selector: schema.attr(schema.string),
  action: schema.attr(schema.string, { default: "keep" }),
  pipeline_name: schema.attr(schema.string, { default: "" }),
  drop_counter_reason: schema.attr(schema.string, { default: "match_stage" }),
};

export interface MatchArgs {
  selector: string;
  action: string;
  pipeline_name: string;
  drop_counter_reason: string;
  stages: StageBlock[];
}

export function newMatchStage(args: MatchArgs, ctx: StageContext): Stage {
  if (args.selector === "") throw new Error("selector statement required for match stage");
  const action = args.action === "" ? "keep" : args.action;
  if (action !== "keep" && action !== "drop") throw new Error("match stage action should be 'keep' or 'drop'");
  if (action === "keep" && args.stages.length === 0) {
    throw new Error("match stage requires at least one additional stage to be defined in '- stages'");
  }
  if (action === "drop" && args.stages.length !== 0) throw new Error("match stage configured to drop entries cannot contains stages");
  let selector: LogSelector;
  try {
    selector = parseLogSelector(args.selector);
  } catch (err) {
    throw new Error(`invalid selector syntax for match stage: ${(err as Error).message}`);
  }
  const reason = args.drop_counter_reason === "" ? "match_stage" : args.drop_counter_reason;
  const matches = (e: PipelineEntry) => selector.matches(e.entry.labels, e.entry.line);
  if (action === "drop") {
    return {
      process(e) {
        if (!matches(e)) return [e];
        ctx.dropped.inc(reason);
        return [];
      },
    };
  }
  const nested = ctx.buildPipeline(args.stages);
  return {
    process: (e) => (matches(e) ? nested.process(e) : [e]),
    setLateEmitter: (emit) => nested.setLateEmitter(emit),
    stop: () => nested.stop(),
  };
}
