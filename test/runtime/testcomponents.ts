// Test-only components: counters and pass-throughs to observe evaluation.

import * as schema from "../../src/syntax/schema/index.ts";
import { defineComponent, type ComponentContext } from "../../src/runtime/component.ts";
import type { ComponentDefinition } from "../../src/runtime/component.ts";

/** Every update/build seen, by component ID, in order. */
export const evaluations: Array<{ id: string; value: unknown }> = [];
export const instances = new Map<string, unknown>();
export const stopped: string[] = [];
export const publishers = new Map<string, (v: string) => void>();

const PassArgs = schema.block({ input: schema.attr(schema.string), lag: schema.attr(schema.int, { default: 0 }) });
const PassExports = schema.block({ output: schema.attr(schema.string) });

/** `test.pass "x" { input = "..." }` exports `output = input`. */
export const pass = defineComponent({
  name: "test.pass",
  stability: "generally-available",
  args: PassArgs,
  exports: PassExports,
  build(ctx: ComponentContext<schema.Infer<typeof PassExports>>, args) {
    const inst = {
      update(a: schema.Infer<typeof PassArgs>) {
        evaluations.push({ id: ctx.id, value: a.input });
        ctx.publish({ output: a.input });
      },
      async stop() {
        stopped.push(ctx.id);
      },
    };
    instances.set(ctx.id, inst);
    publishers.set(ctx.id, (v) => ctx.publish({ output: v }));
    inst.update(args);
    return inst;
  },
});

const SourceArgs = schema.block({ initial: schema.attr(schema.string, { default: "" }) });

/** `test.source "x" {}` exports `output`; tests drive it through `publishers`. */
export const source = defineComponent({
  name: "test.source",
  stability: "generally-available",
  args: SourceArgs,
  exports: PassExports,
  build(ctx: ComponentContext<schema.Infer<typeof PassExports>>, args) {
    publishers.set(ctx.id, (v) => ctx.publish({ output: v }));
    ctx.publish({ output: args.initial });
    const inst = {
      update(a: schema.Infer<typeof SourceArgs>) {
        evaluations.push({ id: ctx.id, value: a.initial });
      },
      async run(signal: AbortSignal) {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      },
      async stop() {
        stopped.push(ctx.id);
      },
    };
    instances.set(ctx.id, inst);
    return inst;
  },
});

export const experimental = defineComponent({
  name: "test.experimental",
  stability: "experimental",
  args: schema.block({}),
  build: () => ({ update() {} }),
});

export const preview = defineComponent({
  name: "test.preview",
  stability: "public-preview",
  args: schema.block({}),
  build: () => ({ update() {} }),
});

export const testComponents: ComponentDefinition[] = [pass, source, experimental, preview];

export function resetCounters(): void {
  evaluations.length = 0;
  stopped.length = 0;
  instances.clear();
  publishers.clear();
}
