// Runtime benchmark: 1,000 components as 100 chains of 10. Prints load time,
// resident memory, and how long one export change takes to reach the end of a chain.
//   bun scripts/bench/runtime.ts

import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineComponent, type ComponentContext } from "../../src/runtime/component.ts";
import { createRuntime } from "../../src/runtime/index.ts";
import { Logger, LogSettings } from "../../src/runtime/logger.ts";
import * as schema from "../../src/syntax/schema/index.ts";

const Exports = schema.block({ output: schema.attr(schema.string) });
const publishers = new Map<string, (v: string) => void>();
let reached: ((v: string) => void) | undefined;

const source = defineComponent({
  name: "bench.source",
  stability: "generally-available",
  args: schema.block({}),
  exports: Exports,
  build(ctx: ComponentContext<schema.Infer<typeof Exports>>) {
    publishers.set(ctx.id, (v) => ctx.publish({ output: v }));
    ctx.publish({ output: "0" });
    return { update() {} };
  },
});

const link = defineComponent({
  name: "bench.link",
  stability: "generally-available",
  args: schema.block({ input: schema.attr(schema.string) }),
  exports: Exports,
  build(ctx: ComponentContext<schema.Infer<typeof Exports>>, args) {
    const last = ctx.id.endsWith("_9");
    ctx.publish({ output: args.input });
    return {
      update(a: { input: string }) {
        ctx.publish({ output: a.input });
        if (last) reached?.(a.input);
      },
    };
  },
});

const chains = 100;
const length = 10;
let text = "";
for (let c = 0; c < chains; c++) {
  text += `bench.source "c${c}_0" {}\n`;
  for (let i = 1; i < length; i++) {
    const prev = i === 1 ? `bench.source.c${c}_0.output` : `bench.link.c${c}_${i - 1}.output`;
    text += `bench.link "c${c}_${i}" { input = ${prev} }\n`;
  }
}

function rssMB(): number {
  try {
    const pages = Number(readFileSync("/proc/self/statm", "utf8").split(" ")[1]);
    return (pages * 4096) / 1024 / 1024;
  } catch {
    return process.memoryUsage().rss / 1024 / 1024;
  }
}

const settings = new LogSettings(() => {});
settings.level = "warn";
const rt = createRuntime({
  stability: "generally-available",
  storagePath: mkdtempSync(join(tmpdir(), "alloy-bench-")),
  communityComponents: false,
  fetch: globalThis.fetch,
  memoryAddress: "alloy.internal:12345",
  components: [source, link],
  logger: new Logger(settings),
});

const rssBefore = rssMB();
const t0 = performance.now();
const res = await rt.load([{ name: "bench.alloy", text }]);
const loadMs = performance.now() - t0;
if (res.diagnostics.length > 0) throw new Error(res.diagnostics.map((d) => d.message).join("\n"));
console.log(`components:        ${chains * length}`);
console.log(`load:              ${loadMs.toFixed(1)} ms (target < 1000 ms)`);
console.log(`rss:               ${rssMB().toFixed(1)} MB (before load ${rssBefore.toFixed(1)} MB)`);

const samples: number[] = [];
const warmup = 50;
for (let i = 1; i <= 250; i++) {
  const value = `v${i}`;
  const done = new Promise<void>((resolve) => {
    reached = (v) => {
      if (v === value) resolve();
    };
  });
  const start = performance.now();
  publishers.get(`bench.source.c${i % chains}_0`)!(value);
  await done;
  if (i > warmup) samples.push(performance.now() - start);
}
samples.sort((a, b) => a - b);
const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!.toFixed(3);
console.log(`propagation (10):  p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms (target < 5 ms)`);
await rt.stop();
