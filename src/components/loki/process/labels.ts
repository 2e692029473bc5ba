// The label stages: stage.labels (extracted values or structured metadata →
// labels), stage.label_drop, stage.label_keep and stage.static_labels.

import * as schema from "../../../syntax/schema/index.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { changedLabels, LabelSetter, perLabelSet } from "./label_sets.ts";
import { SourceType, getString, isValidLabelValue, isValidUTF8LabelName, labelSources } from "./values.ts";

export const LabelsBlock = schema.block({
  values: schema.attr(schema.map(schema.any), { default: {} }),
  source_type: schema.attr(SourceType, { default: "extracted" }),
});
export const LabelDropBlock = schema.block({ values: schema.attr(schema.list(schema.string), { default: [] }) });
export const LabelKeepBlock = schema.block({ values: schema.attr(schema.list(schema.string), { default: [] }) });
export const StaticLabelsBlock = schema.block({ values: schema.attr(schema.map(schema.any), { default: {} }) });

/** Checks a `values` map's names and types; returns [label name, source] pairs. */
export function validatedLabelSources(values: Record<string, unknown>): Array<[string, string]> {
  for (const [k, v] of Object.entries(values)) {
    if (!isValidUTF8LabelName(k)) throw new Error(`invalid label name: ${k}`);
    if (v !== null && typeof v !== "string") throw new Error(`${k}: expected a string or null`);
  }
  return labelSources(values);
}

export function newLabelsStage(args: schema.Infer<typeof LabelsBlock>, ctx: StageContext): Stage {
  if (args.source_type !== "extracted" && args.source_type !== "structured_metadata") {
    throw new Error(`invalid labels source_type: ${args.source_type}. Can only be 'extracted' or 'structured_metadata'`);
  }
  const pairs = validatedLabelSources(args.values);
  const logger = ctx.logger.with({ stage: "labels" });
  const setter = new LabelSetter(pairs.map(([name]) => name));
  const values: (string | undefined)[] = new Array(pairs.length);
  if (args.source_type === "structured_metadata") {
    return mutatingStage((e) => {
      for (let i = 0; i < pairs.length; i++) {
        const src = pairs[i]![1];
        const md = e.entry.structuredMetadata.find((p) => p.name === src);
        values[i] = md && isValidLabelValue(md.value) ? md.value : undefined;
      }
      e.entry.labels = setter.apply(e.entry.labels, values);
    });
  }
  return mutatingStage((e) => {
    for (let i = 0; i < pairs.length; i++) {
      const [name, src] = pairs[i]!;
      values[i] = undefined;
      if (!(src in e.extracted)) continue;
      const s = getString(e.extracted[src]);
      if (s === undefined) {
        logger.debug("failed to convert extracted label value to string", { label: name });
        continue;
      }
      if (!isValidLabelValue(s)) {
        logger.debug("invalid label value parsed", { value: s });
        continue;
      }
      values[i] = s;
    }
    e.entry.labels = setter.apply(e.entry.labels, values);
  });
}

export function newLabelDropStage(args: schema.Infer<typeof LabelDropBlock>): Stage {
  if (args.values.length < 1) throw new Error("labeldrop stage config cannot be empty");
  const drop = perLabelSet((base) => changedLabels(base, [], args.values));
  return mutatingStage((e) => {
    e.entry.labels = drop(e.entry.labels);
  });
}

export function newLabelKeepStage(args: schema.Infer<typeof LabelKeepBlock>): Stage {
  if (args.values.length < 1) throw new Error("labelallow stage config cannot be empty");
  const keep = new Set(args.values);
  const kept = perLabelSet((base) => changedLabels(base, [], Object.keys(base).filter((n) => !keep.has(n))));
  return mutatingStage((e) => {
    e.entry.labels = kept(e.entry.labels);
  });
}

export function newStaticLabelsStage(args: schema.Infer<typeof StaticLabelsBlock>): Stage {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(args.values)) {
    if (!isValidUTF8LabelName(k)) throw new Error(`invalid label name: ${k}`);
    if (v === null || v === "") continue;
    if (typeof v !== "string") throw new Error(`${k}: expected a string or null`);
    if (!isValidLabelValue(v)) throw new Error(`invalid label value: ${v}`);
    pairs.push([k, v]);
  }
  const withStatic = perLabelSet((base) => changedLabels(base, pairs));
  return mutatingStage((e) => {
    e.entry.labels = withStatic(e.entry.labels);
  });
}
