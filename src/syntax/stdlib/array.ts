// array.*: concat, and the experimental combine_maps and group_by.

import { newObject, typeOf, type ObjectValue, type Value } from "../value.ts";
import { ArgError, ValueError, capsuleObject, typeError } from "../convert.ts";
import { valuesEqual } from "../ops.ts";
import { raw } from "./function.ts";

function argType(args: Value[], i: number, expected: "array" | "string" | "bool"): void {
  if (typeOf(args[i]!) !== expected) throw new ArgError(i, typeError(args[i]!, expected));
}

export const concat = raw("array.concat", (args) => {
  if (args.length === 0) return [];
  args.forEach((_, i) => argType(args, i, "array"));
  if (args.length === 1) return args[0]!;
  return (args as Value[][]).flat(1) as Value[];
});

/** An element as an object: objects as they are, capsules that convert into one, else undefined. */
function asObject(v: Value): ObjectValue | undefined {
  return typeOf(v) === "object" ? (v as ObjectValue) : capsuleObject(v);
}

function shouldJoin(left: ObjectValue, right: ObjectValue, keys: Value[]): boolean {
  for (const k of keys) {
    const key = k as string;
    if (!Object.hasOwn(left, key) || !Object.hasOwn(right, key)) return false;
    if (!valuesEqual(left[key]!, right[key]!)) return false;
  }
  return true;
}

export const combineMaps = raw("array.combine_maps", (args) => {
  if (args.length !== 3 && args.length !== 4) {
    throw new Error(`combine_maps: expected 3 or 4 arguments, got ${args.length}`);
  }
  for (const i of [0, 1]) {
    argType(args, i, "array");
    (args[i] as Value[]).forEach((elem, j) => {
      if (!asObject(elem)) throw new ArgError(i, typeError(elem, "object").within(j));
    });
  }
  argType(args, 2, "array");
  const keys = args[2] as Value[];
  if (keys.length === 0) {
    throw new ArgError(2, new ValueError("combine_maps: merge conditions must not be empty", args[2]!));
  }
  keys.forEach((k, j) => {
    if (typeof k !== "string") throw new ArgError(2, typeError(k, "string").within(j));
  });
  let passthrough = false;
  if (args.length === 4) {
    argType(args, 3, "bool");
    passthrough = args[3] as boolean;
  }
  const out: Value[] = [];
  for (const lv of args[0] as Value[]) {
    for (const rv of args[1] as Value[]) {
      const l = asObject(lv)!;
      const r = asObject(rv)!;
      if (shouldJoin(l, r, keys)) {
        const merged = newObject();
        for (const k of Object.keys(l)) merged[k] = l[k]!;
        for (const k of Object.keys(r)) merged[k] = r[k]!;
        out.push(merged);
      } else if (passthrough) {
        out.push(lv);
      }
    }
  }
  return out;
});

export const groupBy = raw("array.group_by", (args) => {
  if (args.length !== 3) throw new Error(`group_by: expected 3 arguments, got ${args.length}`);
  argType(args, 0, "array");
  argType(args, 1, "string");
  argType(args, 2, "bool");
  const key = args[1] as string;
  const dropMissing = args[2] as boolean;
  const groups = new Map<string, Value[]>();
  (args[0] as Value[]).forEach((item, i) => {
    const obj = asObject(item);
    if (!obj) throw new ArgError(0, typeError(item, "object").within(i));
    if (!Object.hasOwn(obj, key)) {
      if (dropMissing) return;
      groups.set("", [...(groups.get("") ?? []), obj]);
      return;
    }
    const v = obj[key]!;
    if (typeof v !== "string") {
      const te = typeError(v, "string");
      throw new ArgError(0, new ValueError(te.message, v, [i, key], te.plainMessage));
    }
    const list = groups.get(v);
    if (list) list.push(obj);
    else groups.set(v, [obj]);
  });
  return [...groups].map(([v, items]) => {
    const g = newObject();
    g[key] = v;
    g["items"] = items;
    return g;
  });
});

export function arrayNamespace(): ObjectValue {
  const a = newObject();
  a["concat"] = concat;
  a["combine_maps"] = combineMaps;
  a["group_by"] = groupBy;
  return a;
}
