// stage.split_json: a line (or extracted value) holding a top-level JSON
// array becomes one entry per element, each line the element's raw JSON.

import * as schema from "../../../syntax/schema/index.ts";
import { cloneEntry } from "../../../telemetry/loki/entry.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { newExtracted } from "./pipeline.ts";
import { NonEmptySource, stageInput } from "./values.ts";

export const SplitJSONBlock = schema.block({ source: schema.attr(NonEmptySource, { optional: true }) });

/** The raw text of each element of a JSON array, or undefined when `s` is not one. */
export function splitJSONArray(s: string): string[] | undefined {
  if (!s.trimStart().startsWith("[")) return undefined;
  try {
    if (!Array.isArray(JSON.parse(s))) return undefined;
  } catch {
    return undefined;
  }
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = s.indexOf("[") + 1; i < s.length; i++) {
    const c = s[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (start < 0 && !/\s/.test(c) && c !== "," && !(depth === 0 && c === "]")) start = i;
    if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && depth > 0) depth--;
    else if (depth === 0 && (c === "," || c === "]")) {
      if (start >= 0) out.push(s.slice(start, i).trimEnd());
      start = -1;
      if (c === "]") break;
    }
  }
  return out;
}

export function newSplitJSONStage(args: schema.Infer<typeof SplitJSONBlock>, ctx: StageContext): Stage {
  const logger = ctx.logger.with({ stage: "split_json" });
  return {
    process(e) {
      const input = stageInput(logger, e.extracted, e.entry.line, args.source);
      if (input === undefined) return [e];
      const elems = splitJSONArray(input);
      if (elems === undefined) {
        logger.debug("failed to unmarshal top-level JSON array");
        return [e];
      }
      return elems.map((raw, i) => {
        const child = i < elems.length - 1 ? { entry: cloneEntry(e.entry), extracted: Object.assign(newExtracted(), e.extracted) } : e;
        child.entry.line = raw;
        return child;
      });
    },
  };
}
