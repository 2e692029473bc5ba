// stage.template: renders a Go template over the extracted map into the
// `source` key (an empty result removes the key).

import * as schema from "../../../syntax/schema/index.ts";
import { executeStageTemplate, newStageTemplate } from "../../../telemetry/loki/template_funcs.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";

export const TemplateBlock = schema.block({
  source: schema.attr(schema.string),
  template: schema.attr(schema.string),
});

export function newTemplateStage(args: schema.Infer<typeof TemplateBlock>, ctx: StageContext): Stage {
  if (args.source === "") throw new Error("template source value is required");
  const t = newStageTemplate(args.template);
  const logger = ctx.logger.with({ stage: "template" });
  return mutatingStage((e) => {
    let out: string;
    try {
      out = executeStageTemplate(t, args.source, e.extracted, e.entry.line);
    } catch (err) {
      logger.debug("failed to execute template on extracted value", { err: (err as Error).message });
      return;
    }
    if (out === "") delete e.extracted[args.source];
    else e.extracted[args.source] = out;
  });
}
