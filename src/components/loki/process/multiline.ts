// stage.multiline: joins lines of one stream into a block that starts at a
// line matching `firstline`; a block is sent when the next first line comes,
// at max_lines, or after max_wait_time without a new line.

import * as schema from "../../../syntax/schema/index.ts";
import { cloneEntry } from "../../../telemetry/loki/entry.ts";
import { streamKey } from "../../../telemetry/loki/labels.ts";
import type { PipelineEntry, Stage, StageContext } from "./pipeline.ts";
import { newExtracted } from "./pipeline.ts";
import { compileStageRegex } from "./regex.ts";

export const MultilineBlock = schema.block({
  firstline: schema.attr(schema.string),
  max_lines: schema.attr(schema.uint, { default: 128 }),
  max_wait_time: schema.attr(schema.duration, { default: "3s" }),
  trim_newlines: schema.attr(schema.bool, { default: true }),
}, { validate: (a) => (a.max_wait_time <= 0 ? "max_wait_time must be greater than 0" : undefined) });

interface Block {
  start: PipelineEntry | undefined;
  lines: string[];
  lastSeen: number;
}

export function newMultilineStage(args: schema.Infer<typeof MultilineBlock>, ctx: StageContext): Stage {
  if (args.firstline === "") throw new Error("multiline stage config must define `firstline` regular expression");
  let re;
  try {
    re = compileStageRegex(args.firstline);
  } catch (err) {
    throw new Error(`multiline stage first line regex compilation error: ${(err as Error).message}`);
  }
  const firstline = re;
  const logger = ctx.logger.with({ stage: "multiline" });
  const streams = new Map<string, Block>();
  let emitLate: (entries: PipelineEntry[]) => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (b: Block): PipelineEntry => {
    const start = b.start!;
    const entry = cloneEntry(start.entry);
    entry.line = b.lines.join("\n");
    const extracted = Object.assign(newExtracted(), start.extracted);
    b.lines = [];
    return { extracted, entry };
  };

  let nearest = Infinity;
  const armAt = (deadline: number) => {
    if (timer) clearTimeout(timer);
    nearest = deadline;
    timer = setTimeout(onTimeout, Math.max(0, deadline - Date.now()));
    (timer as { unref?: () => void }).unref?.();
  };
  // After a timeout, the next deadline is the earliest among the streams still held.
  const rescan = () => {
    timer = undefined;
    nearest = Infinity;
    let next = Infinity;
    for (const b of streams.values()) next = Math.min(next, b.lastSeen + args.max_wait_time);
    if (next !== Infinity) armAt(next);
  };

  const onTimeout = () => {
    const now = Date.now();
    const out: PipelineEntry[] = [];
    for (const [key, b] of streams) {
      if (b.lastSeen + args.max_wait_time > now) continue;
      if (b.lines.length > 0) {
        logger.debug("flush multiline block due to timeout", { timeout: `${args.max_wait_time}ms` });
        out.push(flush(b));
      }
      streams.delete(key);
    }
    rescan();
    if (out.length > 0) emitLate(out);
  };

  return {
    setLateEmitter(emit) {
      emitLate = emit;
    },
    process(e) {
      const key = streamKey(e.entry.labels);
      let b = streams.get(key);
      const out: PipelineEntry[] = [];
      if (b && b.lines.length > 0 && Date.now() - b.lastSeen >= args.max_wait_time) out.push(flush(b));
      const isFirst = firstline.matchString(e.entry.line);
      if (!b) {
        if (!isFirst) return [...out, e];
        b = { start: undefined, lines: [], lastSeen: Date.now() };
        streams.set(key, b);
      }
      if (isFirst && b.lines.length > 0) out.push(flush(b));
      if (isFirst) b.start = e;
      let line = e.entry.line;
      if (args.trim_newlines) line = line.replace(/[\r\n]+$/, "");
      b.lines.push(line);
      b.lastSeen = Date.now();
      if (b.lines.length === args.max_lines) out.push(flush(b));
      // Only an earlier deadline moves the timer (one timer for all streams, as in Alloy).
      const deadline = b.lastSeen + args.max_wait_time;
      if (deadline < nearest) armAt(deadline);
      return out;
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      nearest = Infinity;
      const out: PipelineEntry[] = [];
      for (const b of streams.values()) if (b.lines.length > 0) out.push(flush(b));
      streams.clear();
      if (out.length > 0) emitLate(out);
    },
  };
}
