// Reading a component's exported targets back from the runtime's API view.

import type { TestRuntime } from "../../runtime/helpers.ts";

interface JsonValue {
  type: string;
  value: unknown;
}

function plain(v: JsonValue): unknown {
  switch (v.type) {
    case "array":
      return (v.value as JsonValue[]).map(plain);
    case "object": {
      const o: Record<string, unknown> = {};
      for (const f of v.value as Array<{ key: string; value: JsonValue }>) o[f.key] = plain(f.value);
      return o;
    }
    default:
      return v.value;
  }
}

/** The export `name` of component `id` as plain values (undefined when absent). */
export function exported(rt: TestRuntime, id: string, name: string): unknown {
  const e = (rt.component(id)?.exports as Array<{ name: string; value: JsonValue }> | undefined)?.find((x) => x.name === name);
  return e ? plain(e.value) : undefined;
}
