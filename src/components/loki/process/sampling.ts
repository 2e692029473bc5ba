// stage.sampling: keeps each entry with probability `rate`; the rest are
// dropped and counted under drop_counter_reason.

import * as schema from "../../../syntax/schema/index.ts";
import type { Stage, StageContext } from "./pipeline.ts";

export const SamplingBlock = schema.block(
  {
    rate: schema.attr(schema.number),
    drop_counter_reason: schema.attr(schema.string, { default: "sampling_stage" }),
  },
  {
    validate: (s) =>
      s.rate < 0 || s.rate > 1 || Number.isNaN(s.rate)
        ? `sampling stage failed to parse rate,Sampling Rate must be between 0.0 and 1.0, received ${s.rate.toFixed(6)}`
        : undefined,
  },
);

export function newSamplingStage(args: schema.Infer<typeof SamplingBlock>, ctx: StageContext, random: () => number = Math.random): Stage {
  return {
    process(e) {
      if (args.rate >= 1 || (args.rate > 0 && random() < args.rate)) return [e];
      ctx.dropped.inc(args.drop_counter_reason);
      return [];
    },
  };
}
