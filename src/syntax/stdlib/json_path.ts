// json_path: a JSONPath query over a JSON string, always returning a list.
// Alloy uses ojg, whose paths may omit the leading `$` (`.key`, `[0]`,
// `[?(@.a == "x")].b`); jsonpath-plus wants it, so it is added.

import type * as JSONPathPlus from "jsonpath-plus";
import type { Value } from "../value.ts";
import { FunctionError } from "../convert.ts";
import { fixed, stringArg } from "./function.ts";
import { JSONSyntaxError, parseJSON } from "./json.ts";

/** ojg counts `[-1]` from the end; jsonpath-plus only does so in slices. */
function negativeIndexes(p: string): string {
  return p.replace(/\[\s*-(\d+)\s*\]/g, (_, n: string) => (n === "1" ? "[-1:]" : `[-${n}:-${Number(n) - 1}]`));
}

/** An ojg path in the form jsonpath-plus accepts. */
export function toJSONPathPlus(path: string): string {
  return withRoot(negativeIndexes(path.trim()));
}

function withRoot(p: string): string {
  if (p === "" || p === "$") return "$";
  if (p.startsWith("$")) return p;
  if (p.startsWith("@")) return "$" + p.slice(1);
  if (p.startsWith(".") || p.startsWith("[")) return "$" + p;
  return "$." + p;
}

/** Plain-object copy for jsonpath-plus, which walks ordinary objects. */
function plain(v: Value): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object" && !(v instanceof Object)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain((v as Record<string, Value>)[k]!), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

// jsonpath-plus is loaded on the first json_path call, not with the syntax library
// (see yaml.ts for why require() inside a function).
let jsonPathModule: typeof JSONPathPlus | undefined;
function jsonPathPlus(): typeof JSONPathPlus {
  return (jsonPathModule ??= require("jsonpath-plus") as typeof JSONPathPlus);
}

export function jsonPathQuery(json: string, path: string): Value[] {
  let doc: Value;
  try {
    doc = parseJSON(json, "int-or-float");
  } catch (e) {
    if (e instanceof JSONSyntaxError) throw new FunctionError(e.message);
    throw e;
  }
  let result: unknown;
  try {
    result = jsonPathPlus().JSONPath({ path: toJSONPathPlus(path), json: plain(doc) as object, wrap: true, eval: "safe" });
  } catch (e) {
    throw new FunctionError(e instanceof Error ? e.message : String(e));
  }
  return (Array.isArray(result) ? result : []) as Value[];
}

export const jsonPath = fixed("json_path", 2, (args) => jsonPathQuery(stringArg(args, 0), stringArg(args, 1)));
