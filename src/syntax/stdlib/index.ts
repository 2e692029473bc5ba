// The standard library as one object of identifiers, resolved after scope variables.

import { newObject, type ObjectValue } from "../value.ts";
import { arrayNamespace } from "./array.ts";
import { coalesce } from "./coalesce.ts";
import { constantsNamespace } from "./constants.ts";
import { convertNamespace } from "./convert.ts";
import { DEPRECATED_NAMES, deprecatedAliases } from "./deprecated.ts";
import { encodingNamespace } from "./encoding.ts";
import { fileNamespace } from "./file.ts";
import { defaultHost, watchDefaultHost, type Host } from "./host.ts";
import { jsonPath } from "./json_path.ts";
import { stringFunctions } from "./string.ts";
import { sysNamespace } from "./sys.ts";

export { defaultHost, setDefaultHost, type Host } from "./host.ts";
export { normalizeVersion } from "./constants.ts";

/** Full names of stdlib functions that need `--stability.level=experimental`. */
export const EXPERIMENTAL_IDENTIFIERS: ReadonlySet<string> = new Set(["array.combine_maps", "array.group_by"]);

/** Top-level names kept as deprecated aliases of namespaced functions. */
export const DEPRECATED_IDENTIFIERS: ReadonlySet<string> = new Set(DEPRECATED_NAMES);

export function createStdlib(host: Host): ObjectValue {
  const lib = newObject();
  lib["constants"] = constantsNamespace(host);
  lib["coalesce"] = coalesce;
  lib["json_path"] = jsonPath;
  lib["sys"] = sysNamespace(host);
  lib["convert"] = convertNamespace();
  lib["array"] = arrayNamespace();
  lib["encoding"] = encodingNamespace();
  lib["string"] = stringFunctions("string.");
  lib["file"] = fileNamespace(host);
  Object.assign(lib, deprecatedAliases(host));
  return lib;
}

let cached: ObjectValue | undefined;
watchDefaultHost(() => {
  cached = undefined;
});

/** The stdlib for the default host, built once. */
export function defaultStdlib(): ObjectValue {
  cached ??= createStdlib(defaultHost());
  return cached;
}

/** Whether `name` is a top-level stdlib identifier (a component namespace of that name shadows it). */
export function isStdlibIdentifier(name: string): boolean {
  return Object.hasOwn(defaultStdlib(), name);
}
