// sprig's list, dict and math functions.

import { typeName } from "../../../gocompat/govalue.ts";
import { goFunc, type FuncMap } from "../../../gocompat/template/template.ts";
import { asList, asMap, strval, toFloat64, toInt64 } from "./convert.ts";

function list(v: unknown, fn: string): unknown[] {
  const l = asList(v);
  if (!l) throw new Error(`Cannot find ${fn} on type ${typeName(v)}`);
  return l;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ma = asMap(a);
  const mb = asMap(b);
  if (ma && mb) {
    const ka = Object.keys(ma);
    return ka.length === Object.keys(mb).length && ka.every((k) => Object.hasOwn(mb, k) && deepEqual(ma[k], mb[k]));
  }
  return false;
}

function dict(...kv: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < kv.length; i += 2) out[strval(kv[i])] = i + 1 < kv.length ? kv[i + 1] : "";
  return out;
}

function requireMap(v: unknown): Record<string, unknown> {
  const m = asMap(v);
  if (!m) throw new Error(`wrong type for value; expected map[string]interface {}; got ${typeName(v)}`);
  return m;
}

function divInt(a: bigint, b: bigint, op: string): bigint {
  if (b === 0n) throw new Error(`runtime error: integer divide by zero${op === "%" ? "" : ""}`);
  return BigInt.asIntN(64, op === "/" ? a / b : a % b);
}

function roundHalfAway(x: number, places: number): number {
  const pow = 10 ** places;
  const d = x * pow;
  const r = d >= 0 ? Math.floor(d + 0.5) : Math.ceil(d - 0.5);
  return r / pow;
}

export const SPRIG_COLLECTION_FUNCS: FuncMap = {
  list: goFunc(["any"], (...a: unknown[]) => a, true),
  first: goFunc(["any"], (v: unknown) => list(v, "first")[0] ?? null),
  last: goFunc(["any"], (v: unknown) => {
    const l = list(v, "last");
    return l.length ? l[l.length - 1] : null;
  }),
  rest: goFunc(["any"], (v: unknown) => list(v, "rest").slice(1)),
  initial: goFunc(["any"], (v: unknown) => list(v, "initial").slice(0, -1)),
  append: goFunc(["any", "any"], (v: unknown, x: unknown) => [...list(v, "append"), x]),
  push: goFunc(["any", "any"], (v: unknown, x: unknown) => [...list(v, "push"), x]),
  prepend: goFunc(["any", "any"], (v: unknown, x: unknown) => [x, ...list(v, "prepend")]),
  concat: goFunc(["any"], (...ls: unknown[]) => ls.flatMap((l) => list(l, "concat")), true),
  reverse: goFunc(["any"], (v: unknown) => [...list(v, "reverse")].reverse()),
  uniq: goFunc(["any"], (v: unknown) => list(v, "uniq").filter((x, i, a) => a.findIndex((y) => deepEqual(x, y)) === i)),
  without: goFunc(["any", "any"], (v: unknown, ...omit: unknown[]) => list(v, "without").filter((x) => !omit.some((o) => deepEqual(x, o))), true),
  has: goFunc(["any", "any"], (needle: unknown, hay: unknown) => (asList(hay) ?? []).some((x) => deepEqual(x, needle))),
  compact: goFunc(["any"], (v: unknown) => list(v, "compact").filter((x) => x !== null && x !== "" && x !== 0n && x !== 0 && x !== false)),
  slice: goFunc(["any", "any"], (v: unknown, ...ix: unknown[]) => {
    const l = list(v, "slice");
    const a = ix.length > 0 ? Number(toInt64(ix[0])) : 0;
    const b = ix.length > 1 ? Number(toInt64(ix[1])) : l.length;
    return l.slice(a, b);
  }, true),
  chunk: goFunc(["int", "any"], (size: bigint, v: unknown) => {
    const l = list(v, "chunk");
    const n = Number(size);
    const out: unknown[][] = [];
    for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
    return out;
  }),
  sortAlpha: goFunc(["any"], (v: unknown) => (asList(v) ?? [v]).map(strval).sort()),
  join: goFunc(["string", "any"], (sep: string, v: unknown) => (asList(v) ?? [v]).filter((x) => x !== null).map(strval).join(sep)),
  toStrings: goFunc(["any"], (v: unknown) => (asList(v) ?? [v]).map((x) => (x === null ? "" : strval(x)))),
  until: goFunc(["int"], (n: bigint) => {
    const out: bigint[] = [];
    const step = n < 0n ? -1n : 1n;
    for (let i = 0n; i !== n; i += step) out.push(i);
    return out;
  }),
  untilStep: goFunc(["int", "int", "int"], (start: bigint, stop: bigint, step: bigint) => {
    const out: bigint[] = [];
    if (step === 0n) return out;
    for (let i = start; step > 0n ? i < stop : i > stop; i += step) out.push(i);
    return out;
  }),
  dict: goFunc(["any"], dict, true),
  get: goFunc(["any", "string"], (m: unknown, k: string) => (Object.hasOwn(requireMap(m), k) ? requireMap(m)[k] : "")),
  set: goFunc(["any", "string", "any"], (m: unknown, k: string, v: unknown) => {
    const d = requireMap(m);
    d[k] = v;
    return d;
  }),
  unset: goFunc(["any", "string"], (m: unknown, k: string) => {
    const d = requireMap(m);
    delete d[k];
    return d;
  }),
  hasKey: goFunc(["any", "string"], (m: unknown, k: string) => Object.hasOwn(requireMap(m), k)),
  keys: goFunc(["any"], (...ms: unknown[]) => ms.flatMap((m) => Object.keys(requireMap(m))), true),
  values: goFunc(["any"], (m: unknown) => Object.values(requireMap(m))),
  pluck: goFunc(["string", "any"], (k: string, ...ms: unknown[]) => ms.map(requireMap).filter((m) => Object.hasOwn(m, k)).map((m) => m[k]), true),
  pick: goFunc(["any", "string"], (m: unknown, ...ks: string[]) => Object.fromEntries(Object.entries(requireMap(m)).filter(([k]) => ks.includes(k))), true),
  omit: goFunc(["any", "string"], (m: unknown, ...ks: string[]) => Object.fromEntries(Object.entries(requireMap(m)).filter(([k]) => !ks.includes(k))), true),
  merge: goFunc(["any", "any"], (dst: unknown, ...srcs: unknown[]) => {
    const d = requireMap(dst);
    for (const s of srcs) for (const [k, v] of Object.entries(requireMap(s))) if (!Object.hasOwn(d, k)) d[k] = v;
    return d;
  }, true),
  dig: goFunc(["any"], (...args: unknown[]) => {
    if (args.length < 3) throw new Error("dig needs at least three arguments");
    const d = args[args.length - 1];
    const def = args[args.length - 2];
    let cur: unknown = d;
    for (const k of args.slice(0, -2)) {
      const m = asMap(cur);
      if (!m || !Object.hasOwn(m, strval(k))) return def;
      cur = m[strval(k)];
    }
    return cur;
  }, true),
  deepCopy: goFunc(["any"], (v: unknown) => structuredClone(v)),
  deepEqual: goFunc(["any", "any"], deepEqual),
  add1: goFunc(["any"], (a: unknown) => BigInt.asIntN(64, toInt64(a) + 1n)),
  add: goFunc(["any"], (...a: unknown[]) => BigInt.asIntN(64, a.reduce<bigint>((s, x) => s + toInt64(x), 0n)), true),
  sub: goFunc(["any", "any"], (a: unknown, b: unknown) => BigInt.asIntN(64, toInt64(a) - toInt64(b))),
  mul: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => BigInt.asIntN(64, v.reduce<bigint>((s, x) => s * toInt64(x), toInt64(a))), true),
  div: goFunc(["any", "any"], (a: unknown, b: unknown) => divInt(toInt64(a), toInt64(b), "/")),
  mod: goFunc(["any", "any"], (a: unknown, b: unknown) => divInt(toInt64(a), toInt64(b), "%")),
  max: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => v.reduce<bigint>((m, x) => (toInt64(x) > m ? toInt64(x) : m), toInt64(a)), true),
  min: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => v.reduce<bigint>((m, x) => (toInt64(x) < m ? toInt64(x) : m), toInt64(a)), true),
  addf: goFunc(["any"], (...a: unknown[]) => a.reduce<number>((s, x) => s + toFloat64(x), 0), true),
  add1f: goFunc(["any"], (a: unknown) => toFloat64(a) + 1),
  subf: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => v.reduce<number>((s, x) => s - toFloat64(x), toFloat64(a)), true),
  mulf: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => v.reduce<number>((s, x) => s * toFloat64(x), toFloat64(a)), true),
  divf: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => v.reduce<number>((s, x) => s / toFloat64(x), toFloat64(a)), true),
  maxf: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => Math.max(toFloat64(a), ...v.map(toFloat64)), true),
  minf: goFunc(["any", "any"], (a: unknown, ...v: unknown[]) => Math.min(toFloat64(a), ...v.map(toFloat64)), true),
  floor: goFunc(["any"], (a: unknown) => Math.floor(toFloat64(a))),
  ceil: goFunc(["any"], (a: unknown) => Math.ceil(toFloat64(a))),
  round: goFunc(["any", "int", "float"], (a: unknown, p: bigint, ...r: number[]) => {
    const x = toFloat64(a);
    const places = Number(p);
    if (r.length === 0) return roundHalfAway(x, places);
    const pow = 10 ** places;
    const d = x * pow;
    const frac = d - Math.trunc(d);
    return (frac >= r[0]! ? Math.ceil(d) : Math.floor(d)) / pow;
  }, true),
  int: goFunc(["any"], toInt64),
  int64: goFunc(["any"], toInt64),
  float64: goFunc(["any"], toFloat64),
  atoi: goFunc(["string"], (s: string) => {
    const n = /^[+-]?\d+$/.test(s) ? BigInt(s) : 0n;
    return n > 2n ** 63n - 1n || n < -(2n ** 63n) ? 0n : n;
  }),
  seq: goFunc(["int"], (...p: bigint[]) => {
    let [start, step, end] = [1n, 1n, 0n];
    if (p.length === 1) end = p[0]!;
    else if (p.length === 2) [start, end] = [p[0]!, p[1]!];
    else if (p.length === 3) [start, step, end] = [p[0]!, p[1]!, p[2]!];
    else return "";
    if (p.length < 3 && end < start) step = -1n;
    const out: string[] = [];
    if (step === 0n) return "";
    for (let i = start; step > 0n ? i <= end : i >= end; i += step) out.push(i.toString());
    return out.join(" ");
  }, true),
};
