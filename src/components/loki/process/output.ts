// stage.output: the extracted `source` value becomes the log line.

import * as schema from "../../../syntax/schema/index.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { getString } from "./values.ts";

export const OutputBlock = schema.block({ source: schema.attr(schema.string) });

export function newOutputStage(args: schema.Infer<typeof OutputBlock>, ctx: StageContext): Stage {
  if (args.source === "") throw new Error("output source value is required if output is specified");
  const logger = ctx.logger.with({ stage: "output" });
  return mutatingStage((e) => {
    if (!(args.source in e.extracted)) {
      logger.debug("extracted data did not contain output source", { source: args.source });
      return;
    }
    const s = getString(e.extracted[args.source]);
    if (s === undefined) logger.debug("extracted output could not be converted to a string");
    else e.entry.line = s;
  });
}
