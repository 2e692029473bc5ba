// Every built-in component's definition, all imported at once, for `alloy validate` and
// the tests. The list itself is the catalog (catalog.ts); `alloy run` imports from it
// only the components a config names.

import type { ComponentDefinition } from "../runtime/component.ts";
import { componentCatalog } from "./catalog.ts";

export const components: ComponentDefinition[] = await Promise.all(componentCatalog.map((c) => c.load()));
