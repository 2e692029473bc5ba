// TypeScript stand-ins for Alloy's own runtime test components (count, passthrough,
// summation, pulse, summation_receiver, experimental, community), so module and
// foreach scenarios can be written the way Alloy's runtime tests write them.

import * as schema from "../../src/syntax/schema/index.ts";
import { defineComponent, type ComponentDefinition } from "../../src/runtime/component.ts";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}

/** What a summation_receiver exports: something pulses push integers into. */
export interface IntReceiver {
  receiveInt(n: number): void;
}

const count = defineComponent({
  name: "testcomponents.count",
  stability: "public-preview",
  args: schema.block({ frequency: schema.attr(schema.duration), max: schema.attr(schema.int) }),
  exports: schema.block({ count: schema.attr(schema.int, { default: 0 }) }),
  build(ctx, args) {
    let cfg = args;
    let n = 0;
    if (cfg.frequency === 0) throw new Error("frequency must not be 0");
    return {
      update(a) {
        if (a.frequency === 0) throw new Error("frequency must not be 0");
        cfg = a;
      },
      async run(signal) {
        while (!signal.aborted) {
          await sleep(cfg.frequency, signal);
          if (signal.aborted) break;
          if (cfg.max === 0 || n < cfg.max) ctx.publish({ count: ++n });
        }
      },
    };
  },
});

const passthrough = defineComponent({
  name: "testcomponents.passthrough",
  stability: "public-preview",
  args: schema.block({ input: schema.attr(schema.string), lag: schema.attr(schema.duration, { default: 0 }) }),
  exports: schema.block({ output: schema.attr(schema.string, { default: "" }) }),
  async build(ctx, args) {
    const apply = async (a: { input: string; lag: number }) => {
      if (a.lag > 0) await new Promise((r) => setTimeout(r, a.lag));
      ctx.publish({ output: a.input });
    };
    await apply(args);
    return { update: apply, debugInfo: () => ({ component_version: "v0.1-beta.0" }) };
  },
});

const summation = defineComponent({
  name: "testcomponents.summation",
  stability: "public-preview",
  args: schema.block({ input: schema.attr(schema.int) }),
  exports: schema.block({ sum: schema.attr(schema.int), last_added: schema.attr(schema.int) }),
  build(ctx, args) {
    let sum = 0;
    const apply = (a: { input: number }) => {
      sum += a.input;
      ctx.publish({ sum, last_added: a.input });
    };
    apply(args);
    return { update: apply };
  },
});

const pulse = defineComponent({
  name: "testcomponents.pulse",
  stability: "public-preview",
  args: schema.block({
    frequency: schema.attr(schema.duration),
    max: schema.attr(schema.int),
    forward_to: schema.attr(schema.list(schema.capsule<IntReceiver>("testcomponents.IntReceiver")), { default: [] }),
  }),
  build(_ctx, args) {
    let cfg = args;
    let n = 0;
    if (cfg.frequency === 0) throw new Error("frequency must not be 0");
    return {
      update(a) {
        if (a.frequency === 0) throw new Error("frequency must not be 0");
        cfg = a;
      },
      async run(signal) {
        while (!signal.aborted) {
          await sleep(cfg.frequency, signal);
          if (signal.aborted) break;
          if (cfg.max === 0 || n < cfg.max) {
            for (const r of cfg.forward_to) r.receiveInt(1);
            n++;
          }
        }
      },
    };
  },
});

const summationReceiver = defineComponent({
  name: "testcomponents.summation_receiver",
  stability: "public-preview",
  args: schema.block({}),
  exports: schema.block({ receiver: schema.attr(schema.capsule<IntReceiver>("testcomponents.IntReceiver")) }),
  build(ctx) {
    let sum = 0;
    ctx.publish({ receiver: { receiveInt: (n: number) => void (sum += n) } });
    // The sum is debug info rather than an export, to avoid an evaluation loop (as in Alloy).
    return { update() {}, debugInfo: () => sum };
  },
});

const experimental = defineComponent({
  name: "testcomponents.experimental",
  stability: "experimental",
  args: schema.block({}),
  build: () => ({ update() {} }),
});

const community = defineComponent({
  name: "testcomponents.community",
  stability: "experimental",
  community: true,
  args: schema.block({}),
  build: () => ({ update() {} }),
});

export const alloyTestComponents: ComponentDefinition[] = [count, passthrough, summation, pulse, summationReceiver, experimental, community];
