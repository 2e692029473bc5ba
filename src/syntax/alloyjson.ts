// Alloy's typed JSON tree for values and bodies, as the UI API serves
// component arguments, exports and debug info (syntax/encoding/alloyjson).

import { Capsule, Secret, typeOf, type ObjectValue, type Value } from "./value.ts";
import { capsuleObject } from "./convert.ts";

export type JsonValue =
  | { type: "null"; value: null }
  | { type: "number"; value: number }
  | { type: "string"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "array"; value: JsonValue[] }
  | { type: "object"; value: JsonObjectField[] }
  | { type: "function"; value: string }
  | { type: "capsule"; value: string };

export interface JsonObjectField {
  key: string;
  value: JsonValue;
}

export interface JsonAttr {
  name: string;
  type: "attr";
  value: JsonValue;
}

export interface JsonBlock {
  name: string;
  type: "block";
  /** Omitted when the block has no label. */
  label?: string;
  body: JsonStatement[];
}

export type JsonStatement = JsonAttr | JsonBlock;
export type JsonBody = JsonStatement[];

/** A capsule's display text: `(secret)` for secrets, `capsule("T")` otherwise. */
export function capsuleText(v: Capsule | Secret): string {
  if (v instanceof Secret) return "(secret)";
  const own = v.value as { toString?: () => string } | null | undefined;
  // A host value with its own String() shows that text, as Go's fmt.Stringer capsules do.
  if (own && typeof own === "object" && typeof own.toString === "function" && own.toString !== Object.prototype.toString) {
    const s = own.toString!();
    if (s !== "") return s;
  }
  return `capsule(${JSON.stringify(v.typeName)})`;
}

/** An Alloy value as a typed JSON value. Object keys are sorted, as Go maps are. */
export function valueToAlloyJSON(v: Value): JsonValue {
  switch (typeOf(v)) {
    case "null":
      return { type: "null", value: null };
    case "number":
      return { type: "number", value: Number(v as bigint | number) };
    case "string":
      return { type: "string", value: v as string };
    case "bool":
      return { type: "bool", value: v as boolean };
    case "array":
      return { type: "array", value: (v as Value[]).map(valueToAlloyJSON) };
    case "object":
      return objectToAlloyJSON(v as ObjectValue, true);
    case "function":
      return { type: "function", value: "function" };
    case "capsule": {
      const converted = capsuleObject(v);
      if (converted) return objectToAlloyJSON(converted, true);
      return { type: "capsule", value: capsuleText(v as Capsule | Secret) };
    }
  }
}

/** An object value; `sortKeys` false keeps the given order (ordered sources such as struct fields). */
export function objectToAlloyJSON(obj: ObjectValue, sortKeys: boolean): JsonValue {
  const keys = Object.keys(obj);
  if (sortKeys) keys.sort();
  return { type: "object", value: keys.map((key) => ({ key, value: valueToAlloyJSON(obj[key]!) })) };
}

/** A map of attributes (a custom component's arguments, a module's exports) as a body. */
export function attributesToAlloyJSON(attrs: ObjectValue): JsonBody {
  return Object.keys(attrs).map((name) => ({ name, type: "attr" as const, value: valueToAlloyJSON(attrs[name]!) }));
}
