// The components `alloy run` and `alloy validate` know. src/components has no
// registry yet, so the list is empty and configs may only use root blocks
// (logging, declare, import.*, foreach, services).

import type { ComponentDefinition } from "../runtime/index.ts";

export const builtinComponents: readonly ComponentDefinition[] = [];
