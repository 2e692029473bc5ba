// stage.timestamp: sets the entry time from an extracted value. On failure
// the time is either kept (skip) or "fudged" to one nanosecond after the last
// good time of the same stream; duplicate parsed times are fudged too unless
// action_on_duplicate_timestamp is keep.

import * as schema from "../../../syntax/schema/index.ts";
import type { TimestampNs } from "../../../telemetry/loki/entry.ts";
import { streamKey } from "../../../telemetry/loki/labels.ts";
import { timestampParser } from "../../../telemetry/loki/timestamp.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { getString } from "./values.ts";

export const TimestampBlock = schema.block({
  source: schema.attr(schema.string),
  format: schema.attr(schema.string),
  fallback_formats: schema.attr(schema.list(schema.string), { default: [] }),
  location: schema.attr(schema.string, { optional: true }),
  action_on_failure: schema.attr(schema.string, { default: "fudge" }),
  action_on_duplicate_timestamp: schema.attr(schema.string, { default: "fudge" }),
});

const MAX_STREAMS = 10_000;

interface LastKnown {
  parsed: TimestampNs;
  adjusted: TimestampNs;
}

export function newTimestampStage(args: schema.Infer<typeof TimestampBlock>, ctx: StageContext): Stage {
  if (args.source === "") throw new Error("timestamp source value is required if timestamp is specified");
  if (args.format === "") throw new Error("timestamp format is required");
  const parse = timestampParser(args.format, { location: args.location, fallbackFormats: args.fallback_formats });
  const onFailure = args.action_on_failure === "" ? "fudge" : args.action_on_failure;
  if (onFailure !== "fudge" && onFailure !== "skip") throw new Error("invalid action on failure (supported values are [skip fudge])");
  const onDuplicate = args.action_on_duplicate_timestamp === "" ? "fudge" : args.action_on_duplicate_timestamp;
  if (onDuplicate !== "fudge" && onDuplicate !== "keep") {
    throw new Error("invalid action on duplicate timestamp (supported values are [keep fudge])");
  }
  const logger = ctx.logger.with({ stage: "timestamp" });
  // Recency-ordered (Map order; a hit re-inserts) so the oldest stream is evicted first.
  const last = new Map<string, LastKnown>();
  const remember = (key: string, v: LastKnown) => {
    last.delete(key);
    last.set(key, v);
    if (last.size > MAX_STREAMS) last.delete(last.keys().next().value as string);
  };
  return mutatingStage((e) => {
    let parsed: TimestampNs | undefined;
    if (!(args.source in e.extracted)) logger.debug("extracted data did not contain a timestamp");
    else {
      const s = getString(e.extracted[args.source]);
      if (s === undefined) logger.debug("failed to convert extracted time to string");
      else {
        try {
          parsed = parse(s);
        } catch (err) {
          logger.debug("failed to parse time", { err: (err as Error).message, format: args.format, value: s });
        }
      }
    }
    const key = streamKey(e.entry.labels);
    if (parsed === undefined) {
      if (onFailure !== "fudge") return;
      const prev = last.get(key);
      if (!prev) return;
      e.entry.timestamp = prev.adjusted + 1n;
      remember(key, { parsed: prev.parsed, adjusted: e.entry.timestamp });
      return;
    }
    e.entry.timestamp = parsed;
    if (onDuplicate === "fudge") {
      const prev = last.get(key);
      if (prev && prev.parsed === parsed) e.entry.timestamp = prev.adjusted + 1n;
    }
    remember(key, { parsed, adjusted: e.entry.timestamp });
  });
}
