// Alloy values as plain JavaScript data, so the evaluator, the runtime and the
// components share one cheap representation:
//
//   Alloy type  JavaScript
//   null        null
//   bool        boolean
//   string      string
//   number      bigint (int/uint kinds, 64-bit) or number (float kind)
//   array       Value[]
//   object      ObjectValue (a plain object; read keys with Object.hasOwn)
//   function    FunctionValue
//   capsule     Capsule (any opaque host value, e.g. a metrics receiver), or Secret
//
// Keeping ints as bigint keeps Alloy's integer semantics (5 / 2 == 2, 64-bit
// wrap-around) without a wrapper object per number.

export type Value =
  | null
  | boolean
  | string
  | bigint
  | number
  | Value[]
  | ObjectValue
  | FunctionValue
  | Capsule
  | Secret;

export interface ObjectValue {
  [key: string]: Value;
}

export type AlloyType = "null" | "bool" | "string" | "number" | "array" | "object" | "function" | "capsule";

/** An opaque host value carried through the config, shown as `capsule("<typeName>")`. */
export class Capsule<T = unknown> {
  constructor(
    readonly typeName: string,
    readonly value: T,
  ) {}
}

/** A string that must never be shown; rendered as `(secret)`. It is a capsule in Alloy's type system. */
export class Secret {
  constructor(readonly value: string) {}
  toString(): string {
    return "(secret)";
  }
  toJSON(): string {
    return "(secret)";
  }
}

export interface CallContext {
  /** Stability level in force, so experimental functions can be refused. */
  readonly stability: StabilityLevel;
}

export type StabilityLevel = "experimental" | "public-preview" | "generally-available";

export class FunctionValue {
  constructor(
    readonly name: string,
    readonly call: (args: Value[], ctx: CallContext) => Value,
  ) {}
}

export function typeOf(v: Value): AlloyType {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "bigint":
    case "number":
      return "number";
  }
  if (Array.isArray(v)) return "array";
  if (v instanceof FunctionValue) return "function";
  if (v instanceof Capsule || v instanceof Secret) return "capsule";
  return "object";
}

export function isObject(v: Value): v is ObjectValue {
  return typeOf(v) === "object";
}

/** A fresh object value with no prototype, so keys such as `__proto__` are ordinary keys. */
export function newObject(): ObjectValue {
  return Object.create(null) as ObjectValue;
}

/**
 * A value as one line of Alloy syntax, for messages and logs: strings quoted,
 * object keys sorted (quoted when not identifiers), secrets as `(secret)`,
 * other capsules as `capsule("type")`.
 */
export function formatValue(v: Value): string {
  switch (typeOf(v)) {
    case "null":
      return "null";
    case "bool":
      return String(v);
    case "number":
      if (typeof v === "bigint") return v.toString();
      return formatNumber(v as number);
    case "string":
      return quoteString(v as string);
    case "array":
      return `[${(v as Value[]).map(formatValue).join(", ")}]`;
    case "object": {
      const obj = v as ObjectValue;
      const keys = Object.keys(obj).sort();
      if (keys.length === 0) return "{}";
      return `{${keys.map((k) => `${/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(k) ? k : quoteString(k)} = ${formatValue(obj[k]!)}`).join(", ")}}`;
    }
    case "function":
      return "function";
    case "capsule":
      return v instanceof Secret ? "(secret)" : `capsule(${JSON.stringify((v as Capsule).typeName)})`;
  }
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  return String(n);
}

function quoteString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
