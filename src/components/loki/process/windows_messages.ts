// stage.eventlogmessage and stage.windowsevent: split a Windows event
// message (in an extracted value) into extracted key/value pairs.

import * as schema from "../../../syntax/schema/index.ts";
import { isValidLabelName } from "../../../telemetry/loki/labels.ts";
import type { Extracted, Stage, StageContext } from "./pipeline.ts";
import { getString, isValidLabelValue, isValidUTF8LabelName } from "./values.ts";

const fields = {
  source: schema.attr(schema.string, { default: "message" }),
  drop_invalid_labels: schema.attr(schema.bool, { default: false }),
  overwrite_existing: schema.attr(schema.bool, { default: false }),
};
export const EventLogMessageBlock = schema.block(fields, {
  validate: (a) => (isValidLabelName(a.source) ? undefined : `invalid label name: ${a.source}`),
});
export const WindowsEventBlock = schema.block(fields, {
  validate: (a) => (isValidUTF8LabelName(a.source) ? undefined : `invalid label name: ${a.source}`),
});
type Args = schema.Infer<typeof EventLogMessageBlock>;

/** Invalid characters become `_` (a leading digit too); "" becomes "_". */
export function sanitizeLabelName(s: string): string {
  if (s === "") return "_";
  let out = "";
  let i = 0;
  for (const ch of s) {
    const ok = /[a-zA-Z_]/.test(ch) || (/[0-9]/.test(ch) && i > 0);
    out += ok ? ch : "_";
    i += ch.length;
  }
  return out;
}

function messageOf(ctx: StageContext, extracted: Extracted, source: string): string | undefined | null {
  if (!(source in extracted)) return undefined;
  const s = getString(extracted[source]);
  if (s === undefined) {
    ctx.logger.warn("invalid label value parsed", { value: String(extracted[source]) });
    return null;
  }
  return s;
}

export function newEventLogMessageStage(args: Args, ctx: StageContext): Stage {
  const logger = ctx.logger.with({ stage: "eventlogmessage" });
  return {
    process(e) {
      const s = messageOf(ctx, e.extracted, args.source);
      if (s === null) return [];
      if (s === undefined) {
        logger.debug("source not in the extracted values", { source: args.source });
        return [e];
      }
      for (const line of s.split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        let key = line.slice(0, colon);
        if (!isValidLabelName(key)) {
          if (args.drop_invalid_labels) continue;
          key = sanitizeLabelName(key);
        }
        if (key in e.extracted && !args.overwrite_existing) key += "_extracted";
        const value = line.slice(colon + 1).trim();
        if (!isValidLabelValue(value)) continue;
        e.extracted[key] = value;
      }
      return [e];
    },
  };
}

export function newWindowsEventStage(args: Args, ctx: StageContext): Stage {
  const logger = ctx.logger.with({ stage: "windowsevent" });
  const sanitizeKey = (k: string, extracted: Extracted): string | undefined => {
    let key = k.replace(/[\t\r\n ]/g, "");
    if (!isValidUTF8LabelName(key)) {
      if (args.drop_invalid_labels) return undefined;
      key = sanitizeLabelName(key);
    }
    if (key in extracted && !args.overwrite_existing) key += "_extracted";
    return key;
  };
  const sanitizeValue = (v: string) => v.replace(/[\t\r\n]/g, "").trim();
  return {
    process(e) {
      const s = messageOf(ctx, e.extracted, args.source);
      if (s === null) return [];
      if (s === undefined) {
        logger.debug("source not in the extracted values", { source: args.source });
        return [e];
      }
      s.split("\r\n\r\n").forEach((section, i) => {
        if (i === 0) {
          const k = sanitizeKey("Description", e.extracted);
          if (k !== undefined) e.extracted[k] = sanitizeValue(section);
          return;
        }
        const lines = section.split("\r\n");
        let prefix = "";
        let j = 0;
        while (j < lines.length) {
          const colon = lines[j]!.indexOf(":");
          if (colon < 0) {
            j++;
            continue;
          }
          let key = lines[j]!.slice(0, colon);
          let value = lines[j]!.slice(colon + 1);
          j++;
          if (value === "") {
            if (j === 1) prefix = key;
            continue;
          }
          while (j < lines.length && lines[j] !== "" && !lines[j]!.includes(":")) value += "," + lines[j++];
          if (prefix !== "") key = `${prefix}_${key}`;
          const k = sanitizeKey(key, e.extracted);
          if (k === undefined) continue;
          e.extracted[k] = sanitizeValue(value);
        }
      });
      return [e];
    },
  };
}
