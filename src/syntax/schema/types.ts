// Attribute types: how an Alloy value decodes into the TypeScript value a
// component reads, and how that value encodes back (for exports and the UI).

import { Capsule, Secret, newObject, typeOf, type AlloyType, type ObjectValue, type Value } from "../value.ts";
import { sprintf } from "../goformat.ts";
import {
  ValueError,
  capsuleObject,
  mapArray,
  mapObject,
  toBool,
  toCapsule,
  toDuration,
  toFloat,
  toInt,
  toOptionalSecret,
  toSecret,
  toStringValue,
  toUint,
  toObject,
  type OptionalSecret,
} from "../convert.ts";
import { formatDuration, parseDuration } from "../duration.ts";
import { valueToAlloyJSON, type JsonValue } from "../alloyjson.ts";

/**
 * A target type. `T` is what decoding yields; `D` is what a default may be
 * written as (a duration default may be `"1m"` or a number of milliseconds).
 */
export interface Type<T, D = T> {
  /** Shown in documentation and debugging, e.g. `list(string)`. */
  readonly name: string;
  /** Decodes a non-null value; throws ValueError with Alloy's message. */
  decode(v: Value): T;
  /** The value null decodes to (Go's zero value). */
  zero(): T;
  /** Encodes back into an Alloy value. */
  encode(t: T): Value;
  /** Turns a schema default into a decoded value. */
  fromDefault(d: D): T;
  /** Renders for the UI's typed JSON; defaults to the encoded value's rendering. */
  toAlloyJSON?(t: T): JsonValue;
  /** The Alloy type a value must have (`expected <this>, got …` in static checks); scalars when absent. */
  readonly alloyType?: AlloyType;
  /** What static checking may look inside: elements of lists/maps, fields of objects; nothing when absent. */
  readonly shape?: Shape;
  /** Set for secret and optional-secret types: the attribute's source is redacted when shown. */
  readonly secret?: boolean;
}

/** The structure static type checking follows into literals. */
export type Shape =
  /** A Go interface: nothing inside literals is checked. */
  | { kind: "any" }
  /** An opaque value decoded by conversion: literals are checked, object literals are not looked into. */
  | { kind: "opaque" }
  | { kind: "list"; elem: Type<unknown, unknown> }
  | { kind: "map"; elem: Type<unknown, unknown> }
  | { kind: "object"; fields: Record<string, Type<unknown, unknown>> };

/** The decoded TypeScript type of a Type. */
export type TypeOf<X> = X extends Type<infer T, unknown> ? T : never;

function simple<T>(name: string, alloyType: AlloyType, decode: (v: Value) => T, zero: () => T, encode: (t: T) => Value): Type<T> {
  return { name, alloyType, decode, zero, encode, fromDefault: (d) => d };
}

/** Decodes a value with a type, treating null as the type's zero value. */
export function decodeWith<T, D>(type: Type<T, D>, v: Value): T {
  return v === null ? type.zero() : type.decode(v);
}

export const string: Type<string> = simple("string", "string", toStringValue, () => "", (s) => s);
export const bool: Type<boolean> = simple("bool", "bool", toBool, () => false, (b) => b);
/** A float64 argument. */
export const number: Type<number> = simple("number", "number", toFloat, () => 0, (n) => n);
/** An int argument, as a JS number (Go truncates floats). */
export const int: Type<number> = {
  name: "int",
  alloyType: "number",
  decode: (v) => Number(toInt(v)),
  zero: () => 0,
  encode: (n) => BigInt(Math.trunc(n)),
  fromDefault: (d) => d,
};
/** A uint argument, as a JS number. */
export const uint: Type<number> = {
  name: "uint",
  alloyType: "number",
  decode: (v) => Number(toUint(v)),
  zero: () => 0,
  encode: (n) => BigInt(Math.trunc(n)),
  fromDefault: (d) => d,
};
/** A 64-bit int argument kept exact as a bigint. */
export const int64: Type<bigint> = simple("int64", "number", toInt, () => 0n, (n) => n);

/** A Go duration written as a string (`"1m30s"`); decoded to milliseconds. */
export const duration: Type<number, number | string> = {
  name: "duration",
  // Alloy treats time.Duration as a string type.
  alloyType: "string",
  decode: toDuration,
  zero: () => 0,
  encode: (ms) => formatDuration(ms),
  fromDefault: (d) => (typeof d === "string" ? parseDuration(d) : d),
};

export const secret: Type<Secret, Secret | string> = {
  name: "secret",
  alloyType: "capsule",
  secret: true,
  decode: toSecret,
  zero: () => new Secret(""),
  encode: (s) => s,
  fromDefault: (d) => (typeof d === "string" ? new Secret(d) : d),
  toAlloyJSON: () => ({ type: "capsule", value: "(secret)" }),
};

/** Go %q quoting for strings, as Alloy prints a non-secret optional secret. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const optionalSecret: Type<OptionalSecret, OptionalSecret | string> = {
  name: "optional_secret",
  alloyType: "capsule",
  secret: true,
  decode: toOptionalSecret,
  zero: () => ({ value: "", isSecret: false }),
  encode: (o) => (o.isSecret ? new Secret(o.value) : o.value),
  fromDefault: (d) => (typeof d === "string" ? { value: d, isSecret: false } : d),
  toAlloyJSON: (o) => ({ type: "capsule", value: o.isSecret ? "(secret)" : goQuote(o.value) }),
};

/** Any value, passed through undecoded. */
export const any: Type<Value> = { ...simple<Value>("any", "null", (v) => v, () => null, (v) => v), shape: { kind: "any" } };

export function list<T, D>(elem: Type<T, D>): Type<T[], D[]> {
  return {
    name: `list(${elem.name})`,
    alloyType: "array",
    shape: { kind: "list", elem: elem as Type<unknown, unknown> },
    decode: (v) => mapArray(v, (e) => decodeWith(elem, e)),
    zero: () => [],
    encode: (ts) => ts.map((t) => elem.encode(t)),
    fromDefault: (ds) => ds.map((d) => elem.fromDefault(d)),
    toAlloyJSON: elem.toAlloyJSON ? (ts) => ({ type: "array", value: ts.map((t) => elem.toAlloyJSON!(t)) }) : undefined,
  };
}

export function map<T, D>(elem: Type<T, D>): Type<Record<string, T>, Record<string, D>> {
  return {
    name: `map(${elem.name})`,
    alloyType: "object",
    shape: { kind: "map", elem: elem as Type<unknown, unknown> },
    decode: (v) => mapObject(v, (e) => decodeWith(elem, e)),
    zero: () => ({}),
    encode: (m) => {
      const obj = newObject();
      for (const k of Object.keys(m)) obj[k] = elem.encode(m[k]!);
      return obj;
    },
    fromDefault: (m) => {
      const out: Record<string, T> = {};
      for (const k of Object.keys(m)) out[k] = elem.fromDefault(m[k]!);
      return out;
    },
    toAlloyJSON: elem.toAlloyJSON
      ? (m) => ({ type: "object", value: Object.keys(m).sort().map((key) => ({ key, value: elem.toAlloyJSON!(m[key]!) })) })
      : undefined,
  };
}

const MAX_INT64 = (1n << 63n) - 1n;

/** The Go type name a value has when handed to a capsule's ConvertFrom. */
function goTypeName(v: Value): string {
  switch (typeof v) {
    case "bigint":
      return v > MAX_INT64 ? "uint64" : "int64";
    case "number":
      return "float64";
    case "string":
      return "string";
    case "boolean":
      return "bool";
  }
  if (Array.isArray(v)) return "[]value.Value";
  if (v instanceof Secret) return "alloytypes.Secret";
  if (v instanceof Capsule) return v.typeName;
  return "map[string]value.Value";
}

function targetError(message: string, v: Value): ValueError {
  return new ValueError(`target::ConvertFrom: ${message}`, v);
}

/**
 * One discovery target (Alloy's discovery.Target): an object whose values
 * become label strings — strings as they are, other values in Go's %v form,
 * secrets and nulls refused — with Alloy's conversion messages.
 */
export const target: Type<Record<string, string>> = {
  name: "target",
  alloyType: "capsule",
  shape: { kind: "opaque" },
  decode: (v) => {
    const obj = typeOf(v) === "object" ? (v as ObjectValue) : capsuleObject(v);
    if (!obj) throw targetError(`conversion from '${goTypeName(v)}' is not supported`, v);
    const out: Record<string, string> = {};
    for (const key of Object.keys(obj)) {
      const val = obj[key]!;
      if (typeof val === "string") out[key] = val;
      else if (val === null) throw targetError("cannot convert a nil value to a target value", v);
      else if (val instanceof Secret) throw targetError("cannot use a secret as a target value", v);
      else out[key] = sprintf("%v", [val]);
    }
    return out;
  },
  zero: () => ({}),
  encode: (t) => {
    const obj = newObject();
    for (const k of Object.keys(t)) obj[k] = t[k]!;
    return obj;
  },
  fromDefault: (d) => d,
};

/** Discovery targets: a list of targets. */
export const targets: Type<Record<string, string>[]> = list(target);

type ObjectShape = Record<string, Type<unknown, unknown>>;
export type ObjectOf<S extends ObjectShape> = { [K in keyof S]?: TypeOf<S[K]> };

/**
 * An object-literal attribute decoded into known keys (Go struct targets):
 * unknown keys are refused with `does not have field named "x"`; absent keys stay undefined.
 */
export function object<S extends ObjectShape>(shape: S): Type<ObjectOf<S>> {
  return {
    name: "object",
    alloyType: "object",
    shape: { kind: "object", fields: shape as Record<string, Type<unknown, unknown>> },
    decode: (v) => {
      const obj = toObject(v);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(obj)) {
        const t = Object.hasOwn(shape, key) ? shape[key] : undefined;
        // Alloy reports this against the field's value, so the caret lands on it.
        if (!t) throw new ValueError(`does not have field named ${JSON.stringify(key)}`, obj[key]!, [key]);
        try {
          out[key] = decodeWith(t, obj[key]!);
        } catch (e) {
          throw e instanceof ValueError ? e.within(key) : e;
        }
      }
      return out as ObjectOf<S>;
    },
    zero: () => ({}) as ObjectOf<S>,
    encode: (o) => {
      const obj: ObjectValue = newObject();
      for (const key of Object.keys(shape)) {
        const val = (o as Record<string, unknown>)[key];
        if (val !== undefined) obj[key] = shape[key]!.encode(val);
      }
      return obj;
    },
    fromDefault: (d) => d,
  };
}

/** A string restricted to a fixed set of values. */
export function enumOf<const V extends string>(...values: V[]): Type<V> {
  return enumWith(values, (got) => `invalid value ${JSON.stringify(got)}, must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}`);
}

/** Like enumOf, with the component's own wording for a bad value. */
export function enumWith<const V extends string>(values: readonly V[], message: (got: string) => string): Type<V> {
  return {
    name: "string",
    alloyType: "string",
    decode: (v) => {
      const s = toStringValue(v);
      if (!(values as readonly string[]).includes(s)) throw new ValueError(message(s), v);
      return s as V;
    },
    zero: () => "" as V,
    encode: (s) => s,
    fromDefault: (d) => d,
  };
}

/** A value parsed from a string (Go's TextUnmarshaler targets: regexes, URLs, sizes…). */
export function text<T>(name: string, parse: (s: string) => T, format: (t: T) => string, zero: () => T): Type<T, T | string> {
  return {
    name,
    alloyType: "string",
    decode: (v) => {
      const s = toStringValue(v);
      try {
        return parse(s);
      } catch (e) {
        if (e instanceof ValueError) throw e;
        throw new ValueError(e instanceof Error ? e.message : String(e), v);
      }
    },
    zero,
    encode: (t) => format(t),
    fromDefault: (d) => (typeof d === "string" ? parse(d) : d),
  };
}

/** An opaque host value (receiver, appendable, consumer) of the named capsule type. */
export function capsule<T>(typeName: string): Type<T> {
  return {
    name: `capsule(${JSON.stringify(typeName)})`,
    alloyType: "capsule",
    // Host capsules are Go interfaces, which static checking does not look into.
    shape: { kind: "any" },
    decode: (v) => toCapsule<T>(v, typeName),
    zero: () => null as T,
    encode: (t) => (t === null || t === undefined ? null : new Capsule(typeName, t)),
    fromDefault: (d) => d,
  };
}

/** Renders a typed value for the UI. */
export function typedAlloyJSON<T, D>(type: Type<T, D>, t: T): JsonValue {
  return type.toAlloyJSON ? type.toAlloyJSON(t) : valueToAlloyJSON(type.encode(t));
}
