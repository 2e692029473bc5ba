// sys.env: an environment variable, "" when unset.

import { newObject, type ObjectValue } from "../value.ts";
import { fixed, stringArg } from "./function.ts";
import type { Host } from "./host.ts";

export function sysNamespace(host: Host): ObjectValue {
  const sys = newObject();
  sys["env"] = fixed("sys.env", 1, (args) => host.env(stringArg(args, 0)) ?? "");
  return sys;
}
