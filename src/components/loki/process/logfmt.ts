// stage.logfmt: extracts logfmt keys from the line (or an extracted value),
// renamed through `mapping` (extracted name → logfmt key, "" meaning the same
// name) and/or every key matching `regex`.

import { GoRegexp } from "../../../gocompat/regexp.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { decodeLogfmt } from "../../../telemetry/loki/logfmt.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { stageInput } from "./values.ts";

export const LogfmtBlock = schema.block({
  mapping: schema.attr(schema.map(schema.string), { optional: true }),
  regex: schema.attr(schema.string, { default: "" }),
  source: schema.attr(schema.string, { default: "" }),
});
type LogfmtArgs = schema.Infer<typeof LogfmtBlock>;

export function newLogfmtStage(args: LogfmtArgs, ctx: StageContext): Stage {
  const mapping = args.mapping ?? {};
  if (Object.keys(mapping).length === 0 && args.regex === "") throw new Error("logfmt mapping or regex is required");
  const inverse = new Map<string, string>();
  for (const [k, v] of Object.entries(mapping)) inverse.set(v === "" ? k : v, k);
  const re = args.regex === "" ? undefined : GoRegexp.compile(args.regex);
  const logger = ctx.logger.with({ stage: "logfmt" });
  return mutatingStage((e) => {
    const input = stageInput(logger, e.extracted, e.entry.line, args.source === "" ? undefined : args.source);
    if (input === undefined) return;
    const err = decodeLogfmt(input, (key, value) => {
      const v = value ?? "";
      const mapped = inverse.get(key);
      if (mapped !== undefined) e.extracted[mapped] = v;
      if (re?.matchString(key)) e.extracted[key] = v;
    });
    if (err) logger.debug("failed to decode logfmt", { err: err.message });
  });
}
