// stage.structured_metadata (extracted values and labels → structured
// metadata; labels moved there are removed from the stream) and
// stage.structured_metadata_drop.

import { GoRegexp } from "../../../gocompat/regexp.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { Entry } from "../../../telemetry/loki/entry.ts";
import { validatedLabelSources } from "./labels.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { changedLabels } from "./label_sets.ts";
import { getString, isValidLabelValue } from "./values.ts";

export const StructuredMetadataBlock = schema.block({
  values: schema.attr(schema.map(schema.any), { default: {} }),
  regex: schema.attr(schema.string, { default: "" }),
});
export const StructuredMetadataDropBlock = schema.block({ values: schema.attr(schema.list(schema.string), { default: [] }) });

/** Sets one pair; the list is replaced, not changed, since entries share it with the component that sent them. */
function setMetadata(e: Entry, name: string, value: string): void {
  const i = e.structuredMetadata.findIndex((p) => p.name === name);
  const next = e.structuredMetadata.slice();
  if (i >= 0) next[i] = { name, value };
  else next.push({ name, value });
  e.structuredMetadata = next;
}

export function newStructuredMetadataStage(args: schema.Infer<typeof StructuredMetadataBlock>, ctx: StageContext): Stage {
  const pairs = Object.keys(args.values).length > 0 ? validatedLabelSources(args.values) : [];
  const re = args.regex === "" ? undefined : GoRegexp.compile(args.regex);
  const logger = ctx.logger.with({ stage: "structured_metadata" });
  const fromExtracted = (e: { extracted: Record<string, unknown>; entry: Entry }, name: string, v: unknown) => {
    const s = getString(v);
    if (s === undefined) {
      logger.debug("failed to convert extracted label value to string", { label: name });
      return;
    }
    if (!isValidLabelValue(s)) return;
    setMetadata(e.entry, name, s);
  };
  return mutatingStage((e) => {
    for (const [name, src] of pairs) if (src in e.extracted) fromExtracted(e, name, e.extracted[src]);
    if (re) for (const k of Object.keys(e.extracted)) if (re.matchString(k)) fromExtracted(e, k, e.extracted[k]);
    const moved: string[] = [];
    for (const [name, src] of pairs) {
      const v = e.entry.labels[src];
      if (v !== undefined) {
        setMetadata(e.entry, name, v);
        moved.push(src);
      }
    }
    if (re) {
      for (const k of Object.keys(e.entry.labels)) {
        if (re.matchString(k)) {
          setMetadata(e.entry, k, e.entry.labels[k]!);
          moved.push(k);
        }
      }
    }
    if (moved.length > 0) e.entry.labels = changedLabels(e.entry.labels, [], moved);
  });
}

export function newStructuredMetadataDropStage(args: schema.Infer<typeof StructuredMetadataDropBlock>): Stage {
  if (args.values.length < 1) throw new Error("structured_metadata_drop stage config cannot be empty");
  const drop = new Set(args.values);
  return mutatingStage((e) => {
    e.entry.structuredMetadata = e.entry.structuredMetadata.filter((p) => !drop.has(p.name));
  });
}
