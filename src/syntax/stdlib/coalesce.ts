// coalesce: the first argument that is neither null, a zero value, nor empty.

import { Capsule, Secret, typeOf, type Value } from "../value.ts";
import { raw } from "./function.ts";
import { capsuleObject } from "../convert.ts";

function isEmpty(v: Value): boolean {
  switch (typeOf(v)) {
    case "null":
      return true;
    case "bool":
      return v === false;
    case "string":
      return v === "";
    case "number":
      return v === 0n || v === 0;
    case "array":
      return (v as Value[]).length === 0;
    case "object":
      return Object.keys(v as object).length === 0;
    case "function":
      return false;
    case "capsule": {
      const converted = capsuleObject(v);
      if (converted) return Object.keys(converted).length === 0;
      return v instanceof Secret ? v.value === "" : (v as Capsule).value === null || (v as Capsule).value === undefined;
    }
  }
}

export const coalesce = raw("coalesce", (args) => {
  if (args.length === 0) return null;
  for (const a of args) if (!isEmpty(a)) return a;
  return args[args.length - 1]!;
});
