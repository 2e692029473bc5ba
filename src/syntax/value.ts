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
