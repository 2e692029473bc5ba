// stage.regex: named capture groups of an RE2 expression become extracted
// values (and labels with labels_from_groups).

import { GoRegexp } from "../../../gocompat/regexp.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { changedLabels } from "./label_sets.ts";
import { isValidLabelValue, isValidUTF8LabelName, stageInput } from "./values.ts";

export const RegexBlock = schema.block({
  expression: schema.attr(schema.string),
  source: schema.attr(schema.string, { optional: true }),
  labels_from_groups: schema.attr(schema.bool, { default: false }),
});
type RegexArgs = schema.Infer<typeof RegexBlock>;

export function compileStageRegex(expr: string): GoRegexp {
  try {
    return GoRegexp.compile(expr);
  } catch (err) {
    throw new Error(`could not compile regular expression: ${(err as Error).message}`);
  }
}

export function newRegexStage(args: RegexArgs, ctx: StageContext): Stage {
  if (args.expression === "") throw new Error("expression is required");
  if (args.source === "") throw new Error("empty source");
  const re = compileStageRegex(args.expression);
  const names = re.subexpNames();
  const logger = ctx.logger.with({ stage: "regex" });
  return mutatingStage((e) => {
    const input = stageInput(logger, e.extracted, e.entry.line, args.source);
    if (input === undefined) return;
    const m = re.findStringSubmatch(input);
    if (m === null) {
      logger.debug("regex did not match", { input, regex: args.expression });
      return;
    }
    let labels: Array<[string, string]> | undefined;
    for (let i = 1; i < names.length; i++) {
      const name = names[i]!;
      if (name === "") continue;
      const v = m[i] ?? "";
      e.extracted[name] = v;
      if (!args.labels_from_groups) continue;
      if (!isValidUTF8LabelName(name) || !isValidLabelValue(v)) {
        logger.debug("invalid label from regex capture group", { labelName: name, labelValue: v });
        continue;
      }
      (labels ??= []).push([name, v]);
    }
    if (labels) e.entry.labels = changedLabels(e.entry.labels, labels);
  });
}
