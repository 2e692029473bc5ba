// convert.nonsensitive: a secret's text (strings pass through).

import { newObject, type ObjectValue } from "../value.ts";
import { toSecret } from "../convert.ts";
import { arg, fixed } from "./function.ts";

export const nonsensitive = fixed("convert.nonsensitive", 1, (args) => arg(args, 0, (v) => (v === null ? "" : toSecret(v).value)));

export function convertNamespace(): ObjectValue {
  const c = newObject();
  c["nonsensitive"] = nonsensitive;
  return c;
}
