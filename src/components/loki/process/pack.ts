// stage.pack: wraps the line and chosen extracted values into a JSON object
// (`{"label":"v",...,"_entry":"line"}`, keys sorted), removing those labels
// from the stream; optionally stamps the entry with the current time.

import * as schema from "../../../syntax/schema/index.ts";
import { nowNs } from "../../../telemetry/loki/entry.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { changedLabels } from "./label_sets.ts";
import { goJSONMarshal } from "./json.ts";
import { getString } from "./values.ts";

export const PackBlock = schema.block({
  labels: schema.attr(schema.list(schema.string)),
  ingest_timestamp: schema.attr(schema.bool, { default: true }),
});

export function newPackStage(args: schema.Infer<typeof PackBlock>, ctx: StageContext): Stage {
  const logger = ctx.logger.with({ stage: "pack" });
  return mutatingStage((e) => {
    const packed: Record<string, string> = {};
    const found: string[] = [];
    for (const name of args.labels) {
      if (!(name in e.extracted)) continue;
      const s = getString(e.extracted[name]);
      if (s === undefined) {
        logger.debug("value cannot be converted to a string and cannot be packed", { key: name });
        continue;
      }
      packed[name] = s;
      found.push(name);
    }
    let out = "{";
    for (const k of Object.keys(packed).sort()) out += `${goJSONMarshal(k)}:${goJSONMarshal(packed[k])},`;
    out += `"_entry":${goJSONMarshal(e.entry.line)}}`;
    e.entry.labels = changedLabels(e.entry.labels, [], found);
    e.entry.line = out;
    if (args.ingest_timestamp) e.entry.timestamp = nowNs();
  });
}
