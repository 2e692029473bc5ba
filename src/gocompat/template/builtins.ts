// Go text/template's predefined functions (text/template/funcs.go).

import { formatArg, sprint, sprintf, sprintln } from "../fmt.ts";
import { byteLength, fromBytes, isTrue, kindOf, mapGet, mapSize, toBytes, typeName } from "../govalue.ts";
import { isPrint } from "../strconv.ts";
import { goFunc, type GoFunc } from "./funcs.ts";

export class FuncError extends Error {}

const noFlags = { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
const show = (v: unknown) => formatArg(v, "v", noFlags);

type BasicKind = "bool" | "int" | "float" | "string" | "invalid";
function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  return k === "bool" || k === "int" || k === "float" || k === "string" ? k : "invalid";
}

const errBadComparisonType = "invalid type for comparison";
const errBadComparison = "incompatible types for comparison";
const errNoComparison = "missing argument for comparison";
const isNil = (v: unknown) => v === undefined || v === null;

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new FuncError(errNoComparison);
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (!isNil(arg1) && !isNil(arg)) throw new FuncError(errBadComparison);
    } else if (k1 !== "invalid") {
      truth = arg1 === arg;
    } else if (isNil(arg1) || isNil(arg)) {
      truth = isNil(arg1) === isNil(arg);
    } else {
      const kind = kindOf(arg);
      if (kind === "slice" || kind === "map" || kind === "func" || kind === "bytes") {
        throw new FuncError(`non-comparable type ${show(arg)}: ${typeName(arg)}`);
      }
      if (kindOf(arg1) !== kind) throw new FuncError(`non-comparable types ${show(arg1)}: ${typeName(arg1)}, ${typeName(arg)}: ${show(arg)}`);
      truth = kind === "time" ? (arg1 as { unixNs: bigint }).unixNs === (arg as { unixNs: bigint }).unixNs : arg1 === arg;
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1);
  if (k1 === "invalid") throw new FuncError(errBadComparisonType);
  const k2 = basicKind(arg2);
  if (k2 === "invalid") throw new FuncError(errBadComparisonType);
  if (k1 !== k2) throw new FuncError(errBadComparison);
  if (k1 === "bool") throw new FuncError(errBadComparisonType);
  return (arg1 as string | number | bigint) < (arg2 as string | number | bigint);
}

function indexArg(index: unknown, cap: number): number {
  if (typeof index === "bigint") {
    if (index < 0n || index > BigInt(cap)) throw new FuncError(`index out of range: ${index}`);
    return Number(index);
  }
  if (isNil(index)) throw new FuncError("cannot index slice/array with nil");
  throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new FuncError("index of untyped nil");
  for (const ix of indexes) {
    if (isNil(item)) throw new FuncError("index of nil pointer");
    const kind = kindOf(item);
    if (kind === "slice" || kind === "string" || kind === "bytes") {
      const bytes = kind === "string" ? toBytes(item as string) : undefined;
      const len = bytes ? bytes.length : (item as ArrayLike<unknown>).length;
      const x = indexArg(ix, len);
      if (x === len) throw new FuncError(`index out of range: ${x}`);
      if (bytes) item = BigInt(bytes[x]!);
      else if (kind === "bytes") item = BigInt((item as Uint8Array)[x]!);
      else item = (item as unknown[])[x];
    } else if (kind === "map") {
      if (!(item instanceof Map) && typeof ix !== "string") {
        if (isNil(ix)) throw new FuncError("value is nil; should be of type string");
        throw new FuncError(`value has type ${typeName(ix)}; should be string`);
      }
      item = mapGet(item as Record<string, unknown>, ix) ?? null;
    } else {
      throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new FuncError("slice of untyped nil");
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  let len: number;
  if (kind === "string") {
    if (indexes.length === 3) throw new FuncError("cannot 3-index slice a string");
    len = byteLength(item as string);
  } else if (kind === "slice" || kind === "bytes") len = (item as ArrayLike<unknown>).length;
  else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, len)));
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (kind === "string") return fromBytes(toBytes(item as string).slice(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function len(item: unknown): bigint {
  switch (kindOf(item)) {
    case "string":
      return BigInt(byteLength(item as string));
    case "slice":
    case "bytes":
      return BigInt((item as ArrayLike<unknown>).length);
    case "map":
      return BigInt(mapSize(item as Record<string, unknown>));
    case "invalid":
      throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
    case "nil":
      throw new FuncError("len of nil pointer");
    default:
      throw new FuncError(`len of type ${typeName(item)}`);
  }
}

/** fmt.Sprint of the arguments, except a lone string is used as is and nil shows as <no value>. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(...args.map((a) => (isNil(a) ? "<no value>" : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === "\0" ? "\uFFFD" : c === '"' ? "&#34;" : c === "'" ? "&#39;" : c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;",
  );
}

export function jsEscape(s: string): string {
  let out = "";
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    switch (c) {
      case "\\": out += "\\\\"; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case "<": out += "\\u003C"; continue;
      case ">": out += "\\u003E"; continue;
      case "&": out += "\\u0026"; continue;
      case "=": out += "\\u003D"; continue;
    }
    if (cp < 0x20) out += "\\u00" + cp.toString(16).toUpperCase().padStart(2, "0");
    else if (cp < 0x80 || isPrint(cp)) out += c;
    else out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of toBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** The predefined functions; `and`, `or` and `call` are also special-cased by the executor. */
export const BUILTINS: Record<string, GoFunc> = {
  and: goFunc(["value", "value"], (...args: unknown[]) => args.find((a) => !isTrue(a)) ?? args[args.length - 1], true),
  or: goFunc(["value", "value"], (...args: unknown[]) => args.find((a) => isTrue(a)) ?? args[args.length - 1], true),
  not: goFunc(["value"], (a: unknown) => !isTrue(a)),
  len: goFunc(["value"], len),
  index: goFunc(["value", "value"], index, true),
  slice: goFunc(["value", "value"], slice, true),
  print: goFunc(["any"], (...a: unknown[]) => sprint(...a), true),
  printf: goFunc(["string", "any"], (f: string, ...a: unknown[]) => sprintf(f, ...a), true),
  println: goFunc(["any"], (...a: unknown[]) => sprintln(...a), true),
  eq: goFunc(["value", "value"], eq, true),
  ne: goFunc(["value", "value"], (a: unknown, b: unknown) => !eq(a, b)),
  lt: goFunc(["value", "value"], lt),
  le: goFunc(["value", "value"], (a: unknown, b: unknown) => lt(a, b) || eq(a, b)),
  gt: goFunc(["value", "value"], (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b))),
  ge: goFunc(["value", "value"], (a: unknown, b: unknown) => !lt(a, b)),
  html: goFunc(["any"], (...a: unknown[]) => htmlEscape(evalArgs(a)), true),
  js: goFunc(["any"], (...a: unknown[]) => jsEscape(evalArgs(a)), true),
  urlquery: goFunc(["any"], (...a: unknown[]) => queryEscape(evalArgs(a)), true),
  call: goFunc(["value", "value"], () => undefined, true),
};
