// Top-level aliases kept for old configs; using one logs a deprecation warning.

import { newObject, type ObjectValue } from "../value.ts";
import { concat } from "./array.ts";
import { nonsensitive } from "./convert.ts";
import { encodingNamespace } from "./encoding.ts";
import { stringFunctions } from "./string.ts";
import { sysNamespace } from "./sys.ts";
import type { Host } from "./host.ts";

export const DEPRECATED_NAMES = [
  "env",
  "nonsensitive",
  "concat",
  "json_decode",
  "yaml_decode",
  "base64_decode",
  "format",
  "join",
  "replace",
  "split",
  "to_lower",
  "to_upper",
  "trim",
  "trim_prefix",
  "trim_suffix",
  "trim_space",
] as const;

export function deprecatedAliases(host: Host): ObjectValue {
  const enc = encodingNamespace();
  const str = stringFunctions("");
  const out = newObject();
  out["env"] = sysNamespace(host)["env"]!;
  out["nonsensitive"] = nonsensitive;
  out["concat"] = concat;
  out["json_decode"] = enc["from_json"]!;
  out["yaml_decode"] = enc["from_yaml"]!;
  out["base64_decode"] = enc["from_base64"]!;
  for (const name of ["format", "join", "replace", "split", "to_lower", "to_upper", "trim", "trim_prefix", "trim_suffix", "trim_space"]) {
    out[name] = str[name]!;
  }
  return out;
}
