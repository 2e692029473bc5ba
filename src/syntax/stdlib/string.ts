// string.*: formatting and Go's strings package functions.

import { newObject, type ObjectValue, type Value } from "../value.ts";
import { mapArray, toStringValue } from "../convert.ts";
import { sprintf } from "../goformat.ts";
import { arg, fixed, stringArg, variadic } from "./function.ts";

/** Go's unicode.IsSpace. */
function isSpace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(c);
}

export function trimSpace(s: string): string {
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && isSpace(chars[a]!)) a++;
  while (b > a && isSpace(chars[b - 1]!)) b--;
  return chars.slice(a, b).join("");
}

export function trimCutset(s: string, cutset: string): string {
  if (s === "" || cutset === "") return s;
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]!)) a++;
  while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join("");
}

/** Go's strings.Split: an empty separator splits into characters. */
export function split(s: string, sep: string): string[] {
  return sep === "" ? [...s] : s.split(sep);
}

/** Go's strings.ReplaceAll: an empty `old` inserts `repl` around every character. */
export function replaceAll(s: string, old: string, repl: string): string {
  if (old === "") return repl + [...s].join(repl) + (s === "" ? "" : repl);
  return s.split(old).join(repl);
}

/** Go's strings.ToLower/ToUpper: a simple per-character mapping, never one character to several. */
function mapCase(s: string, upper: boolean): string {
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

export const toLower = (s: string): string => mapCase(s, false);
export const toUpper = (s: string): string => mapCase(s, true);

const stringList = (v: Value) => mapArray(v, (e) => (e === null ? "" : toStringValue(e)));

export function stringFunctions(prefix: string): ObjectValue {
  const s = newObject();
  s["format"] = variadic(`${prefix}format`, 1, (args) => sprintf(stringArg(args, 0), args.slice(1)));
  s["join"] = fixed(`${prefix}join`, 2, (args) => arg(args, 0, (v) => (v === null ? [] : stringList(v))).join(stringArg(args, 1)));
  s["replace"] = fixed(`${prefix}replace`, 3, (args) => replaceAll(stringArg(args, 0), stringArg(args, 1), stringArg(args, 2)));
  s["split"] = fixed(`${prefix}split`, 2, (args) => split(stringArg(args, 0), stringArg(args, 1)));
  s["to_lower"] = fixed(`${prefix}to_lower`, 1, (args) => toLower(stringArg(args, 0)));
  s["to_upper"] = fixed(`${prefix}to_upper`, 1, (args) => toUpper(stringArg(args, 0)));
  s["trim"] = fixed(`${prefix}trim`, 2, (args) => trimCutset(stringArg(args, 0), stringArg(args, 1)));
  s["trim_prefix"] = fixed(`${prefix}trim_prefix`, 2, (args) => {
    const [str, p] = [stringArg(args, 0), stringArg(args, 1)];
    return str.startsWith(p) ? str.slice(p.length) : str;
  });
  s["trim_suffix"] = fixed(`${prefix}trim_suffix`, 2, (args) => {
    const [str, p] = [stringArg(args, 0), stringArg(args, 1)];
    return p !== "" && str.endsWith(p) ? str.slice(0, str.length - p.length) : str;
  });
  s["trim_space"] = fixed(`${prefix}trim_space`, 1, (args) => trimSpace(stringArg(args, 0)));
  return s;
}
