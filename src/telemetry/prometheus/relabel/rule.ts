// Relabel rules (Alloy's `rule` block / Prometheus relabel_config): defaults,
// validation with Alloy's messages, and the compiled form the processor uses.

import { isValidLegacyLabelName } from "../labels.ts";
import { compileRegex, type CompileOptions, type Re2Regexp } from "./regex.ts";

export const RELABEL_ACTIONS = [
  "replace",
  "keep",
  "drop",
  "hashmod",
  "labelmap",
  "labeldrop",
  "labelkeep",
  "lowercase",
  "uppercase",
  "keepequal",
  "dropequal",
] as const;
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** A rule as written in configuration; unset fields take Alloy's defaults. */
export interface RelabelRuleArgs {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number | bigint;
  target_label?: string;
  replacement?: string;
  action?: string;
}

export const DEFAULT_SEPARATOR = ";";
export const DEFAULT_REGEX = "(.*)";
export const DEFAULT_REPLACEMENT = "$1";

/** A validated, compiled rule. */
export interface RelabelRule {
  sourceLabels: string[];
  separator: string;
  regex: Re2Regexp;
  modulus: bigint;
  targetLabel: string;
  replacement: string;
  action: RelabelAction;
  /** Whether the configuration listed source_labels at all (labeldrop/labelkeep validation). */
  hasSourceLabels: boolean;
}

export class RelabelConfigError extends Error {
  override name = "RelabelConfigError";
}

// Target labels may contain `$1`/`${name}` references to be expanded at run time.
const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

function isAction(s: string): s is RelabelAction {
  return (RELABEL_ACTIONS as readonly string[]).includes(s);
}

/** Applies defaults, compiles the regex and validates; throws RelabelConfigError with Alloy's message. */
export function newRelabelRule(args: RelabelRuleArgs, opts: CompileOptions = {}): RelabelRule {
  const action = args.action ?? "replace";
  if (action === "") throw new RelabelConfigError("relabel action cannot be empty");
  if (!isAction(action)) throw new RelabelConfigError(`unrecognized action type ${JSON.stringify(action)}`);
  const separator = args.separator ?? DEFAULT_SEPARATOR;
  const regexSrc = args.regex ?? DEFAULT_REGEX;
  const modulus = BigInt(args.modulus ?? 0);
  const targetLabel = args.target_label ?? "";
  const replacement = args.replacement ?? DEFAULT_REPLACEMENT;
  let regex: Re2Regexp;
  try {
    regex = compileRegex(regexSrc, opts);
  } catch (e) {
    throw new RelabelConfigError(e instanceof Error ? e.message : String(e));
  }
  if (modulus < 0n || modulus >= 1n << 64n) throw new RelabelConfigError(`modulus ${modulus} is out of range for uint64`);
  if (modulus === 0n && action === "hashmod") throw new RelabelConfigError("relabel configuration for hashmod requires non-zero modulus");
  const needsTarget = ["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"];
  if (needsTarget.includes(action) && targetLabel === "") {
    throw new RelabelConfigError(`relabel configuration for ${action} action requires 'target_label' value`);
  }
  if (["replace", "lowercase", "uppercase", "keepequal", "dropequal"].includes(action) && !RELABEL_TARGET.test(targetLabel)) {
    throw new RelabelConfigError(`${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action`);
  }
  if (["lowercase", "uppercase", "keepequal", "dropequal"].includes(action) && replacement !== DEFAULT_REPLACEMENT) {
    throw new RelabelConfigError(`'replacement' can not be set for ${action} action`);
  }
  if (action === "labelmap" && !RELABEL_TARGET.test(replacement)) {
    throw new RelabelConfigError(`${JSON.stringify(replacement)} is invalid 'replacement' for ${action} action`);
  }
  if (action === "hashmod" && !isValidLegacyLabelName(targetLabel)) {
    throw new RelabelConfigError(`${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action`);
  }
  const hasSourceLabels = args.source_labels !== undefined;
  if (action === "labeldrop" || action === "labelkeep") {
    if (hasSourceLabels || targetLabel !== "" || modulus !== 0n || separator !== DEFAULT_SEPARATOR || replacement !== DEFAULT_REPLACEMENT) {
      throw new RelabelConfigError(`${action} action requires only 'regex', and no other fields`);
    }
  }
  if (action === "keepequal" || action === "dropequal") {
    if (regexSrc !== DEFAULT_REGEX || modulus !== 0n || separator !== DEFAULT_SEPARATOR || replacement !== DEFAULT_REPLACEMENT) {
      throw new RelabelConfigError(`${action} action requires only 'source_labels' and 'target_label', and no other fields`);
    }
  }
  return {
    sourceLabels: args.source_labels ?? [],
    separator,
    regex,
    modulus,
    targetLabel,
    replacement,
    action,
    hasSourceLabels,
  };
}

/** Compiles a list of rules; the error names the rule's position (1-based) as well. */
export function newRelabelRules(args: readonly RelabelRuleArgs[], opts: CompileOptions = {}): RelabelRule[] {
  return args.map((a, i) => {
    try {
      return newRelabelRule(a, opts);
    } catch (e) {
      if (e instanceof RelabelConfigError && args.length > 1) throw new RelabelConfigError(`rule ${i + 1}: ${e.message}`);
      throw e;
    }
  });
}
