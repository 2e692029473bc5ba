// Decoding the runtime's own blocks with their schemas (config_specs.ts).

import type { BlockStmt } from "../syntax/ast.ts";
import type { StabilityLevel } from "../syntax/value.ts";
import type { Scope } from "../syntax/vm.ts";
import * as schema from "../syntax/schema/index.ts";

/** Decodes `block` (minus any nested `template` block) with `s`; throws DiagnosticsError. */
export function decodeConfigBlock<S extends schema.BlockSchema>(
  block: BlockStmt,
  file: string,
  s: S,
  scope: Scope,
  stability: StabilityLevel,
): schema.Infer<S> {
  const body = block.body.filter((st) => !(st.kind === "block" && st.name.join(".") === "template"));
  return schema.decodeBody(s, body, scope, { file, stability, range: { start: block.start, end: block.end } });
}
