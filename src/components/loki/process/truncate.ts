// stage.truncate: cuts the line, labels, structured metadata or extracted
// values longer than `limit` bytes (suffix included), records which kinds
// were cut in the extracted `truncated` key and counts them.

import * as schema from "../../../syntax/schema/index.ts";
import { sharedCounter } from "./metrics_vec.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { changedLabels } from "./label_sets.ts";
import { SourceType, byteLength, cutBytes, parseBase2Bytes } from "./values.ts";

const RuleBlock = schema.block(
  {
    limit: schema.attr(schema.string),
    suffix: schema.attr(schema.string, { default: "" }),
    sources: schema.attr(schema.list(schema.string), { default: [] }),
    source_type: schema.attr(SourceType, { default: "line" }),
  },
  {
    validate: (r) => {
      let limit: number;
      try {
        limit = parseBase2Bytes(r.limit);
      } catch (err) {
        return (err as Error).message;
      }
      if (limit <= 0) return "limit must be greater than zero";
      if (r.source_type === "line" && r.sources.length > 0) return "sources cannot be set when source_type is 'line'";
      if (r.suffix.length > 0 && limit <= byteLength(r.suffix)) return "suffix length cannot be greater than or equal to limit";
      return undefined;
    },
  },
);

export const TruncateBlock = schema.block({ rule: schema.blocks(RuleBlock, { required: true }) });

export function newTruncateStage(args: schema.Infer<typeof TruncateBlock>, ctx: StageContext): Stage {
  const counter = sharedCounter(
    ctx.registry,
    "loki_process_truncated_fields_total",
    "A count of all log lines, labels, extracted values, or structured_metadata truncated as a result of a pipeline stage",
    ["field"],
  );
  const rules = args.rule.map((r) => ({ ...r, effective: parseBase2Bytes(r.limit) - byteLength(r.suffix) }));
  const logger = ctx.logger.with({ stage: "truncate" });
  return mutatingStage((e) => {
    const truncated = new Set<string>();
    const cut = (v: string, r: (typeof rules)[number], field: string): string | undefined => {
      if (byteLength(v) <= r.effective) return undefined;
      counter.inc({ field });
      truncated.add(field);
      return cutBytes(v, r.effective) + r.suffix;
    };
    for (const r of rules) {
      switch (r.source_type) {
        case "line": {
          const v = cut(e.entry.line, r, "line");
          if (v !== undefined) {
            e.entry.line = v;
            logger.debug("line has been truncated", { limit: r.effective });
          }
          break;
        }
        case "label": {
          const cuts: Array<[string, string]> = [];
          for (const name of r.sources.length > 0 ? r.sources : Object.keys(e.entry.labels)) {
            const old = e.entry.labels[name];
            const v = old === undefined ? undefined : cut(old, r, "label");
            if (v !== undefined) cuts.push([name, v]);
          }
          if (cuts.length > 0) e.entry.labels = changedLabels(e.entry.labels, cuts);
          break;
        }
        case "structured_metadata":
          e.entry.structuredMetadata = e.entry.structuredMetadata.map((p) => {
            if (r.sources.length > 0 && !r.sources.includes(p.name)) return p;
            const v = cut(p.value, r, "structured_metadata");
            return v === undefined ? p : { name: p.name, value: v };
          });
          break;
        case "extracted":
          for (const name of r.sources.length > 0 ? r.sources : Object.keys(e.extracted)) {
            const old = e.extracted[name];
            const v = typeof old === "string" ? cut(old, r, "extracted") : undefined;
            if (v !== undefined) e.extracted[name] = v;
          }
          break;
      }
      if (truncated.size > 0) {
        const existing = e.extracted.truncated;
        if (typeof existing === "string") for (const s of existing.split(",")) truncated.add(s);
        e.extracted.truncated = [...truncated].sort().join(",");
      }
    }
  });
}
