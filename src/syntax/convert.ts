// Conversions from an Alloy value into the shape a target expects (attribute
// assignment, function arguments), with Alloy's conversion rules and messages.
// Errors are ValueErrors: the evaluator turns them into diagnostics that start
// with the printed source of the offending expression.

import { Capsule, FunctionValue, Secret, typeOf, type AlloyType, type Value } from "./value.ts";
import { DurationError, parseDuration } from "./duration.ts";

/** A step from a value to one of its parts: an object key or an array index. */
export type PathSegment = string | number;

/**
 * A problem with one value. `path` leads from the value the caller handed in
 * to the part that is wrong, so the message can say `x.field[2] should be …`.
 */
export class ValueError extends Error {
  /** The text Go's error value prints on its own (`expected number, got string` for type errors). */
  readonly plainMessage: string;

  constructor(
    message: string,
    readonly value: Value,
    readonly path: readonly PathSegment[] = [],
    plainMessage?: string,
  ) {
    super(message);
    this.name = "ValueError";
    this.plainMessage = plainMessage ?? message;
  }

  /** The same error seen from the container one level up. */
  within(segment: PathSegment): ValueError {
    return new ValueError(this.message, this.value, [segment, ...this.path], this.plainMessage);
  }
}

/** A problem with argument `index` of a function call. */
export class ArgError extends Error {
  constructor(
    readonly index: number,
    readonly inner: ValueError,
  ) {
    super(inner.message);
    this.name = "ArgError";
  }
}

/** A problem reported by a function as a whole (Alloy prefixes it with the function's expression). */
export class FunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FunctionError";
  }
}

/** A capsule host value that can stand in for an object (field access, indexing, object functions). */
export interface ConvertibleToObject {
  toAlloyObject(): { [key: string]: Value };
}

/** The object a capsule converts into, when its host value supports it. */
export function capsuleObject(v: Value): { [key: string]: Value } | undefined {
  if (!(v instanceof Capsule)) return undefined;
  const host = v.value as Partial<ConvertibleToObject> | null | undefined;
  return host && typeof host.toAlloyObject === "function" ? host.toAlloyObject() : undefined;
}

/** Alloy's value.Describe: the type name, or `capsule("T")` for capsules. */
export function describe(v: Value): string {
  if (v instanceof Secret) return 'capsule("alloytypes.Secret")';
  if (v instanceof Capsule) return `capsule(${JSON.stringify(v.typeName)})`;
  return typeOf(v);
}

/** The TypeError text Alloy shows after the expression: `should be number, got string`. */
export function typeError(v: Value, expected: AlloyType): ValueError {
  return new ValueError(`should be ${expected}, got ${typeOf(v)}`, v, [], `expected ${expected}, got ${typeOf(v)}`);
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const neg = f < 0;
  const [mant, expText] = Math.abs(f).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const exp = Number(expText);
  let out: string;
  if (exp >= digits.length - 1) out = digits + "0".repeat(exp - digits.length + 1);
  else if (exp >= 0) out = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  else out = "0." + "0".repeat(-exp - 1) + digits;
  return neg ? "-" + out : out;
}

/** Base-10 text of a number as Alloy converts number → string. */
export function numberToString(n: bigint | number): string {
  return typeof n === "bigint" ? n.toString(10) : formatFloat(n);
}

const INT_RE = /^[0-9]+$/;
const SIGNED_INT_RE = /^[+-]?[0-9]+$/;
const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

/** Go's strconv.ParseFloat for the decimal forms Alloy accepts (plus inf/nan spellings). */
function parseGoFloat(s: string): number | undefined {
  const t = s.replaceAll("_", "");
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** string → number with Alloy's rules: leading `-` ⇒ int, any of `.eE` ⇒ float, else uint. */
export function stringToNumber(v: string): bigint | number {
  const fail = () => typeError(v, "number");
  if (v === "") throw fail();
  if (v[0] === "-") {
    if (!SIGNED_INT_RE.test(v)) throw fail();
    const n = BigInt(v);
    if (n < MIN_INT64 || n > MAX_INT64) throw fail();
    return n;
  }
  if (/[.eE]/.test(v)) {
    const f = parseGoFloat(v);
    if (f === undefined) throw fail();
    return f;
  }
  if (!INT_RE.test(v.startsWith("+") ? v.slice(1) : v)) throw fail();
  const n = BigInt(v);
  if (n > MAX_UINT64) throw fail();
  return n;
}

/** Decodes into a string: strings as-is, numbers printed, secrets refused. */
export function toStringValue(v: Value): string {
  if (typeof v === "string") return v;
  if (typeof v === "bigint" || typeof v === "number") return numberToString(v);
  if (v instanceof Secret) throw new ValueError("secrets may not be converted into strings", v);
  throw typeError(v, "string");
}

/** Decodes into an Alloy number (bigint for ints, number for floats). */
export function toNumberValue(v: Value): bigint | number {
  if (typeof v === "bigint" || typeof v === "number") return v;
  if (typeof v === "string") return stringToNumber(v);
  throw typeError(v, "number");
}

/** Decodes into a float64 target. */
export function toFloat(v: Value): number {
  const n = toNumberValue(v);
  return typeof n === "bigint" ? Number(n) : n;
}

/** Decodes into an int64 target (floats truncate, as Go's conversion does). */
export function toInt(v: Value): bigint {
  const n = toNumberValue(v);
  if (typeof n === "bigint") return BigInt.asIntN(64, n);
  if (!Number.isFinite(n)) return MIN_INT64;
  return BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

/** Decodes into a uint64 target (negative ints wrap, as Go's conversion does). */
export function toUint(v: Value): bigint {
  const n = toNumberValue(v);
  if (typeof n === "bigint") return BigInt.asUintN(64, n);
  if (!Number.isFinite(n)) return 1n << 63n;
  return BigInt.asUintN(64, BigInt(Math.trunc(n)));
}

export function toBool(v: Value): boolean {
  if (typeof v === "boolean") return v;
  throw typeError(v, "bool");
}

export function toArray(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  throw typeError(v, "array");
}

export function toObject(v: Value): { [key: string]: Value } {
  if (typeOf(v) === "object") return v as { [key: string]: Value };
  throw typeError(v, "object");
}

export function toFunction(v: Value): FunctionValue {
  if (v instanceof FunctionValue) return v;
  throw typeError(v, "function");
}

/** string → Secret, Secret kept; everything else refused like Alloy's capsule conversion. */
export function toSecret(v: Value): Secret {
  if (v instanceof Secret) return v;
  if (typeof v === "string") return new Secret(v);
  throw typeError(v, "capsule");
}

/** An optional secret: a string that is secret only when it came from a secret. */
export interface OptionalSecret {
  value: string;
  isSecret: boolean;
}

export function toOptionalSecret(v: Value): OptionalSecret {
  if (v instanceof Secret) return { value: v.value, isSecret: true };
  if (typeof v === "string") return { value: v, isSecret: false };
  throw typeError(v, "capsule");
}

/** A capsule of the named host type; other capsules and other values are refused. */
export function toCapsule<T>(v: Value, typeName: string): T {
  if (v instanceof Capsule && v.typeName === typeName) return v.value as T;
  if (v instanceof Capsule || v instanceof Secret) {
    throw new ValueError(`expected capsule(${JSON.stringify(typeName)}), got ${describe(v)}`, v);
  }
  throw typeError(v, "capsule");
}

/** A duration target: the value must convert to a string in Go duration syntax; result in ms. */
export function toDuration(v: Value): number {
  const s = toStringValue(v);
  try {
    return parseDuration(s);
  } catch (e) {
    if (e instanceof DurationError) throw new ValueError(e.message, v);
    throw e;
  }
}

/** Decodes each element, reporting the failing element's index. */
export function mapArray<T>(v: Value, f: (elem: Value, i: number) => T): T[] {
  const arr = toArray(v);
  return arr.map((elem, i) => {
    try {
      return f(elem, i);
    } catch (e) {
      throw e instanceof ValueError ? e.within(i) : e;
    }
  });
}

/** Decodes each field of an object, reporting the failing key. */
export function mapObject<T>(v: Value, f: (elem: Value, key: string) => T): Record<string, T> {
  const obj = toObject(v);
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const key of Object.keys(obj)) {
    try {
      out[key] = f(obj[key]!, key);
    } catch (e) {
      throw e instanceof ValueError ? e.within(key) : e;
    }
  }
  return out;
}
