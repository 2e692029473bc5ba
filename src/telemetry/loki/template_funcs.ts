// The functions loki.process `stage.template` offers: sprig's text
// functions plus Alloy's extras (ToLower, ToUpper, Replace, Trim*, Hash,
// Sha2Hash, regexReplaceAll, regexReplaceAllLiteral), which win on a name
// clash as in Alloy.

import { goFunc, Template, type FuncMap } from "../../gocompat/template/template.ts";
import { SPRIG_COLLECTION_FUNCS } from "./template_funcs/collections.ts";
import { SPRIG_MISC_FUNCS } from "./template_funcs/misc.ts";
import { GO_STRINGS_FUNCS, SPRIG_STRING_FUNCS } from "./template_funcs/strings.ts";
import { SPRIG_EXTRA_FUNCS } from "./template_funcs/extra.ts";
import { GoRegexp } from "../../gocompat/regexp.ts";

function hex(algo: "sha3-256" | "sha256", s: string): string {
  return new Bun.CryptoHasher(algo).update(s).digest("hex");
}

export const ALLOY_TEMPLATE_EXTRAS: FuncMap = {
  ...GO_STRINGS_FUNCS,
  Hash: goFunc(["string", "string"], (salt: string, input: string) => hex("sha3-256", salt + input)),
  Sha2Hash: goFunc(["string", "string"], (salt: string, input: string) => hex("sha256", salt + input)),
  regexReplaceAll: goFunc(["string", "string", "string"], (r: string, s: string, repl: string) =>
    GoRegexp.mustCompile(r).replaceAllString(s, repl),
  ),
  regexReplaceAllLiteral: goFunc(["string", "string", "string"], (r: string, s: string, repl: string) =>
    GoRegexp.mustCompile(r).replaceAllLiteralString(s, repl),
  ),
};

const SPRIG_BASE: FuncMap = { ...SPRIG_STRING_FUNCS, ...SPRIG_COLLECTION_FUNCS, ...SPRIG_MISC_FUNCS, ...SPRIG_EXTRA_FUNCS };

/** sprig's aliases and must* variants (errors end the execution either way here). */
const SPRIG_ALIASES: Record<string, string> = {
  tuple: "list", biggest: "max", trimall: "trimAll", date_modify: "dateModify", mustDateModify: "dateModify",
  mustAppend: "append", mustPush: "push", mustPrepend: "prepend", mustFirst: "first", mustLast: "last",
  mustRest: "rest", mustInitial: "initial", mustReverse: "reverse", mustUniq: "uniq", mustWithout: "without",
  mustHas: "has", mustSlice: "slice", mustCompact: "compact", mustChunk: "chunk", mustDeepCopy: "deepCopy",
  mustMerge: "merge", mustMergeOverwrite: "mergeOverwrite", mustToPrettyJson: "toPrettyJson", mustToRawJson: "toRawJson",
  mustFromJson: "fromJson",
};

/** Every function name available in stage.template. */
export const STAGE_TEMPLATE_FUNCS: FuncMap = {
  ...SPRIG_BASE,
  ...Object.fromEntries(Object.entries(SPRIG_ALIASES).map(([alias, name]) => [alias, SPRIG_BASE[name]!])),
  ...ALLOY_TEMPLATE_EXTRAS,
};

/** Parses a stage.template template the way Alloy does (name "pipeline_template"). */
export function newStageTemplate(text: string): Template {
  return new Template("pipeline_template").funcs(STAGE_TEMPLATE_FUNCS).parse(text);
}

/**
 * Runs a stage.template over the extracted map: each value is converted to
 * a string (values that cannot be are skipped), `.Value` is the source key's
 * value and `.Entry` the log line. Returns the rendered text ("" means the
 * stage removes the key).
 */
export function executeStageTemplate(t: Template, source: string, extracted: Readonly<Record<string, unknown>>, line: string): string {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extracted)) {
    const s = extractedString(v);
    if (s === undefined) continue;
    data[k] = s;
    if (k === source) data.Value = s;
  }
  data.Entry = line;
  return t.execute(data);
}

/** The stage helper getString: numbers, bools and strings only. */
export function extractedString(v: unknown): string | undefined {
  switch (typeof v) {
    case "string":
      return v;
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "number":
      return formatFloatNoExp(v);
  }
  return undefined;
}

/** strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
function formatFloatNoExp(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
  const [mant, exp] = f.toExponential().split("e") as [string, string];
  const digits = mant.replace(/[-.]/g, "");
  const e = Number(exp);
  const neg = f < 0 ? "-" : "";
  if (e >= digits.length - 1) return neg + digits + "0".repeat(e - digits.length + 1);
  if (e >= 0) return neg + digits.slice(0, e + 1) + "." + digits.slice(e + 1);
  return neg + "0." + "0".repeat(-e - 1) + digits;
}
