// stage.docker (Docker json-file lines) and stage.cri (CRI lines with
// partial-line reassembly per stream): the content becomes the line, the
// stream a label, the runtime's time the entry time.

import * as schema from "../../../syntax/schema/index.ts";
import { CriPartialAssembler, parseCriLine, parseDockerLine } from "../../../telemetry/loki/container_logs.ts";
import { streamKey } from "../../../telemetry/loki/labels.ts";
import { sharedCounter } from "./metrics_vec.ts";
import type { PipelineEntry, Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { LabelSetter } from "./label_sets.ts";

export const DockerBlock = schema.block({});
export const CRIBlock = schema.block(
  {
    max_partial_lines: schema.attr(schema.int, { default: 100 }),
    max_partial_line_size: schema.attr(schema.uint, { default: 0 }),
    max_partial_line_size_truncate: schema.attr(schema.bool, { default: false }),
  },
  { validate: (a) => (a.max_partial_lines <= 0 ? "max_partial_lines must be greater than 0" : undefined) },
);

export function newDockerStage(ctx: StageContext): Stage {
  const logger = ctx.logger.with({ stage: "docker" });
  const streamLabel = new LabelSetter(["stream"]);
  return mutatingStage((e) => {
    const d = parseDockerLine(e.entry.line);
    if (!d || d.log === "") {
      logger.debug("not valid docker format");
      return;
    }
    e.extracted.output = d.log;
    e.extracted.stream = d.stream;
    e.extracted.timestamp = d.time;
    e.entry.line = d.log;
    e.entry.labels = streamLabel.apply(e.entry.labels, [d.stream]);
    if (d.timestamp !== undefined) e.entry.timestamp = d.timestamp;
  });
}

export function newCRIStage(args: schema.Infer<typeof CRIBlock>, ctx: StageContext): Stage {
  const flushed = sharedCounter(
    ctx.registry,
    "loki_process_cri_partial_lines_flushed_total",
    "A count of partial lines that were flushed prematurely due to the max_partial_lines limit being exceeded",
  );
  const truncated = sharedCounter(ctx.registry, "loki_process_cri_lines_truncated_total", "A count of lines that were truncated due to the max_partial_line_size limit");
  const logger = ctx.logger.with({ stage: "cri" });
  const streamLabel = new LabelSetter(["stream"]);
  const assembler = new CriPartialAssembler<PipelineEntry>({
    maxPartialLines: args.max_partial_lines,
    maxPartialLineSize: args.max_partial_line_size,
    truncate: args.max_partial_line_size_truncate,
  });
  return {
    process(e) {
      const c = parseCriLine(e.entry.line);
      if (!c) return [e];
      e.extracted.flags = c.partial ? "P" : "F";
      e.extracted.stream = c.stream;
      e.extracted.content = c.content;
      e.extracted.time = c.time;
      e.entry.line = c.content;
      if (c.timestamp !== undefined) e.entry.timestamp = c.timestamp;
      e.entry.labels = streamLabel.apply(e.entry.labels, [c.stream]);
      const beforeFlushed = assembler.flushedPartialLines;
      const beforeTruncated = assembler.truncatedLines;
      const out = assembler.add(streamKey(e.entry.labels), c.partial, c.content, e);
      if (assembler.flushedPartialLines > beforeFlushed) {
        logger.warn("partial lines upperbound exceeded, merging it to single line", { threshold: args.max_partial_lines });
        flushed.inc(assembler.flushedPartialLines - beforeFlushed);
      }
      if (assembler.truncatedLines > beforeTruncated) truncated.inc(assembler.truncatedLines - beforeTruncated);
      return out.map(({ item, line }) => {
        item.entry.line = line;
        return item;
      });
    },
  };
}
