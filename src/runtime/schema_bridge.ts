// The runtime's view of the syntax package: decoding a block with a component's
// schema, encoding exports into the scope, and the stdlib's names.

import type { BlockStmt } from "../syntax/ast.ts";
import { newObject, type StabilityLevel, type Value } from "../syntax/value.ts";
import type { Scope } from "../syntax/vm.ts";
import * as schema from "../syntax/schema/index.ts";
import { defaultStdlib } from "../syntax/stdlib/index.ts";

/** A block schema (what `schema.block({...})` returns); `T` documents what it decodes to. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type ArgsSchema<T> = schema.BlockSchema;

/** Decodes a block body with its schema; throws DiagnosticsError listing every problem. */
export function decodeBlock<T>(s: ArgsSchema<T>, block: BlockStmt, file: string, scope: Scope, stability: StabilityLevel): T {
  return schema.decodeBody(s, block.body, scope, { file, stability, range: { start: block.start, end: block.end } }) as T;
}

/** Exports as the object value dependants read (`<id>.<field>`). */
export function encodeExports(s: ArgsSchema<unknown> | undefined, exports: unknown): Value {
  if (!s) return newObject();
  return schema.encodeBody(s, exports as never);
}

/** Exports before a component first publishes: Go's zero value of every field (0, "", false, []). */
export function zeroExports(s: ArgsSchema<unknown> | undefined): Value {
  const obj = newObject();
  if (!s) return obj;
  for (const [key, field] of Object.entries(s.fields)) {
    const name = schema.alloyName(key, field);
    if (field.kind === "attr") {
      try {
        obj[name] = field.type.encode(field.type.zero());
      } catch {
        obj[name] = null;
      }
    } else obj[name] = field.kind === "blocks" ? [] : null;
  }
  return obj;
}

let stdlibNames: Set<string> | undefined;
/** Whether `name` is a top-level stdlib identifier (`env`, `sys`, `array`, ...). */
export function isStdlibName(name: string): boolean {
  stdlibNames ??= new Set(Object.keys(defaultStdlib()));
  return stdlibNames.has(name);
}
