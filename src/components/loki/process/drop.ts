// stage.drop: drops entries that meet every configured criterion (length,
// age, presence of extracted keys, a regex over the line or the joined
// extracted values), counting them under drop_counter_reason.

import { GoRegexp, quoteMeta } from "../../../gocompat/regexp.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { nowNs } from "../../../telemetry/loki/entry.ts";
import type { PipelineEntry, Stage, StageContext } from "./pipeline.ts";
import { byteLength, getString, parseBase2Bytes } from "./values.ts";

export const DropBlock = schema.block({
  drop_counter_reason: schema.attr(schema.string, { default: "drop_stage" }),
  source: schema.attr(schema.string, { default: "" }),
  value: schema.attr(schema.string, { default: "" }),
  separator: schema.attr(schema.string, { default: ";" }),
  expression: schema.attr(schema.string, { default: "" }),
  older_than: schema.attr(schema.duration, { default: 0 }),
  longer_than: schema.attr(schema.string, { default: "" }),
});

export function newDropStage(args: schema.Infer<typeof DropBlock>, ctx: StageContext): Stage {
  let longerThan: number;
  try {
    longerThan = parseBase2Bytes(args.longer_than);
  } catch (err) {
    throw new Error(`longer_than: ${(err as Error).message}`);
  }
  if (args.source === "" && args.expression === "" && args.older_than === 0 && longerThan === 0) {
    throw new Error("drop stage config must contain at least one of `source`, `expression`, `older_than` or `longer_than`");
  }
  if (args.value !== "" && args.expression !== "") {
    throw new Error("drop stage config error, `value` and `expression` cannot both be defined at the same time");
  }
  if (args.value !== "" && args.source === "") throw new Error("drop stage config must contain `source` if `value` is specified");
  const reason = args.drop_counter_reason === "" ? "drop_stage" : args.drop_counter_reason;
  const separator = args.separator === "" ? ";" : args.separator;
  let re: GoRegexp | undefined;
  try {
    if (args.expression !== "") re = GoRegexp.compile(args.expression);
    if (args.value !== "") re = GoRegexp.compile(`^${quoteMeta(args.value)}$`);
  } catch (err) {
    throw new Error(`drop stage regex compilation error: ${(err as Error).message}`);
  }
  const sources = args.source === "" ? [] : args.source.split(",");
  const olderThanNs = BigInt(Math.round(args.older_than * 1e6));
  const logger = ctx.logger.with({ stage: "drop" });

  const shouldDrop = (e: PipelineEntry): boolean => {
    if (longerThan !== 0 && byteLength(e.entry.line) <= longerThan) return false;
    if (olderThanNs !== 0n && e.entry.timestamp >= nowNs() - olderThanNs) return false;
    if (sources.length > 0 && re === undefined) {
      if (!sources.every((s) => s in e.extracted)) return false;
    }
    if (sources.length === 0 && re !== undefined && !re.matchString(e.entry.line)) return false;
    if (sources.length > 0 && re !== undefined) {
      const parts: string[] = [];
      for (const s of sources) {
        if (!(s in e.extracted)) continue;
        const v = getString(e.extracted[s]);
        if (v === undefined) {
          logger.debug("Failed to convert extracted map value to string, cannot test regex line will not be dropped.");
          return false;
        }
        parts.push(v);
      }
      if (!re.matchString(parts.join(separator))) return false;
    }
    return true;
  };
  return {
    process(e) {
      if (!shouldDrop(e)) return [e];
      ctx.dropped.inc(reason);
      return [];
    },
  };
}
