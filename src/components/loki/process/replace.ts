// stage.replace: every capture group match in the line (or an extracted
// value) is replaced by the `replace` template, rendered with `.Value` = the
// captured text; named groups also store their replacement in the extracted map.

import * as schema from "../../../syntax/schema/index.ts";
import { executeStageTemplate, newStageTemplate } from "../../../telemetry/loki/template_funcs.ts";
import type { Template } from "../../../gocompat/template/template.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { compileStageRegex } from "./regex.ts";
import { stageInput } from "./values.ts";

export const ReplaceBlock = schema.block({
  expression: schema.attr(schema.string),
  source: schema.attr(schema.string, { default: "" }),
  replace: schema.attr(schema.string, { default: "" }),
});

export function newReplaceStage(args: schema.Infer<typeof ReplaceBlock>, ctx: StageContext): Stage {
  if (args.expression === "") throw new Error("expression is required");
  const re = compileStageRegex(args.expression);
  let t: Template;
  try {
    t = newStageTemplate(args.replace);
  } catch (err) {
    throw new Error(`failed to compile template: ${(err as Error).message}`);
  }
  const names = re.subexpNames();
  const source = args.source === "" ? undefined : args.source;
  const logger = ctx.logger.with({ stage: "replace" });
  return mutatingStage((e) => {
    const input = stageInput(logger, e.extracted, e.entry.line, source);
    if (input === undefined) return;
    const all = re.findAllStringSubmatchIndex(input);
    if (all.length === 0) {
      logger.debug("regex did not match", { input, regex: args.expression });
      return;
    }
    const first = re.findStringSubmatch(input)!;
    let result = "";
    let prevEnd = 0;
    const captured = new Map<string, string>();
    try {
      for (const m of all) {
        for (let i = 2; i < m.length; i += 2) {
          if (m[i]! < 0) continue;
          const text = input.slice(m[i], m[i + 1]);
          // `.Value` is the captured text; the extracted map's other values are there too.
          const rendered = renderWithValue(t, e.extracted, text, e.entry.line);
          if (prevEnd === 0 || prevEnd <= m[i]!) {
            result += input.slice(prevEnd, m[i]) + rendered;
            prevEnd = m[i + 1]!;
          }
          captured.set(text, rendered);
        }
      }
    } catch (err) {
      logger.debug("failed to execute template on extracted value", { err: (err as Error).message });
      return;
    }
    result += input.slice(prevEnd);
    if (source !== undefined) e.extracted[source] = result;
    else e.entry.line = result;
    for (let i = 1; i < names.length; i++) {
      if (names[i] === "") continue;
      const v = captured.get(first[i] ?? "");
      if (v !== undefined) e.extracted[names[i]!] = v;
    }
  });
}

const VALUE_KEY = "\u0000replace-value";

/** Renders with `.Value` set to the captured text (not an extracted key) and no `.Entry` override. */
function renderWithValue(t: Template, extracted: Record<string, unknown>, value: string, line: string): string {
  const data = Object.assign(Object.create(null) as Record<string, unknown>, extracted, { [VALUE_KEY]: value });
  return executeStageTemplate(t, VALUE_KEY, data, line);
}
