// Applying relabel rules to a label set, as Prometheus's relabel.ProcessBuilder does.

import { createHash } from "node:crypto";
import { Labels, LabelsBuilder, isValidLegacyLabelName } from "../labels.ts";
import { expandTemplate } from "./regex.ts";
import { DEFAULT_REGEX, type RelabelRule } from "./rule.ts";

export interface ProcessOptions {
  /** How a `replace` target label is validated: "legacy" (Alloy's default) or "utf8". */
  nameValidation?: "legacy" | "utf8";
}

/** Go's strings.ToLower/ToUpper per code point (no context rules, no expansions such as ß → SS). */
function mapCase(s: string, upper: boolean): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const ch of s) {
    if (ch === "\u0130" && !upper) {
      out += "i";
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

/** md5 of `val`, last 8 bytes as a big-endian uint64, modulo `modulus` (Prometheus's hashmod). */
export function hashMod(val: string, modulus: bigint): bigint {
  const d = createHash("md5").update(val, "utf8").digest();
  return d.readBigUInt64BE(8) % modulus;
}

function validTarget(name: string, scheme: "legacy" | "utf8"): boolean {
  return scheme === "utf8" ? name.length > 0 : isValidLegacyLabelName(name);
}

/** Applies one rule to the builder; false means the series/target is dropped. */
export function applyRule(rule: RelabelRule, lb: LabelsBuilder, opts: ProcessOptions = {}): boolean {
  let val: string;
  const src = rule.sourceLabels;
  if (src.length === 1) val = lb.get(src[0]!);
  else {
    val = "";
    for (let i = 0; i < src.length; i++) {
      if (i > 0) val += rule.separator;
      val += lb.get(src[i]!);
    }
  }
  switch (rule.action) {
    case "drop":
      return !rule.regex.test(val);
    case "keep":
      return rule.regex.test(val);
    case "dropequal":
      return lb.get(rule.targetLabel) !== val;
    case "keepequal":
      return lb.get(rule.targetLabel) === val;
    case "replace": {
      if (val === "" && rule.regex.source === DEFAULT_REGEX && !rule.targetLabel.includes("$") && !rule.replacement.includes("$")) {
        lb.set(rule.targetLabel, rule.replacement);
        return true;
      }
      const m = rule.regex.exec(val);
      if (m === null) return true;
      const target = expandTemplate(rule.targetLabel, m, rule.regex.groupNames);
      if (!validTarget(target, opts.nameValidation ?? "legacy")) return true;
      const res = expandTemplate(rule.replacement, m, rule.regex.groupNames);
      if (res === "") lb.del(target);
      else lb.set(target, res);
      return true;
    }
    case "lowercase":
      lb.set(rule.targetLabel, mapCase(val, false));
      return true;
    case "uppercase":
      lb.set(rule.targetLabel, mapCase(val, true));
      return true;
    case "hashmod":
      lb.set(rule.targetLabel, hashMod(val, rule.modulus).toString());
      return true;
    case "labelmap":
      lb.forEach((name, value) => {
        const m = rule.regex.exec(name);
        if (m !== null) lb.set(expandTemplate(rule.replacement, m, rule.regex.groupNames), value);
      });
      return true;
    case "labeldrop":
      lb.filter((name) => !rule.regex.test(name));
      return true;
    case "labelkeep":
      lb.filter((name) => rule.regex.test(name));
      return true;
  }
}

/**
 * Runs the rules in order over `labels`. Returns the resulting label set (the same
 * object when nothing changed), or undefined when a rule dropped it.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[], opts: ProcessOptions = {}): Labels | undefined {
  if (rules.length === 0) return labels;
  const lb = new LabelsBuilder(labels);
  for (const r of rules) {
    if (!applyRule(r, lb, opts)) return undefined;
  }
  return lb.labels();
}

/** Relabels a target's label map (discovery.relabel); empty values are removed like in Prometheus. */
export function relabelTarget(target: Readonly<Record<string, string>>, rules: readonly RelabelRule[], opts: ProcessOptions = {}): Record<string, string> | undefined {
  const out = relabel(Labels.fromObject(target), rules, opts);
  return out?.toObject();
}
