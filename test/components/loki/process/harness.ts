// Runs loki.process / loki.relabel configs in a test runtime: `test.loki_input`
// hands entries to whatever its forward_to lists, `test.loki_sink` records what
// reaches its receiver.

import { MetricsHub } from "../../../../src/runtime/metrics.ts";
import type { CreateRuntimeOptions } from "../../../../src/runtime/index.ts";
import { defineComponent } from "../../../../src/runtime/component.ts";
import { components } from "../../../../src/components/index.ts";
import * as schema from "../../../../src/syntax/schema/index.ts";
import { newEntry, type Entry, type LabelPair, type LabelSet } from "../../../../src/telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, sendToAll, type LogsReceiver } from "../../../../src/telemetry/loki/receiver.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../../runtime/helpers.ts";

const Receiver = schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE);
const inputs = new Map<string, readonly LogsReceiver[]>();
const sinks = new Map<string, Entry[]>();

const lokiInput = defineComponent({
  name: "test.loki_input",
  stability: "generally-available",
  args: schema.block({ forward_to: schema.attr(schema.list(Receiver)) }),
  build: (ctx, args) => {
    inputs.set(ctx.globalID, args.forward_to);
    return { update: (a) => void inputs.set(ctx.globalID, a.forward_to) };
  },
});

const lokiSink = defineComponent({
  name: "test.loki_sink",
  stability: "generally-available",
  args: schema.block({}),
  exports: schema.block({ receiver: schema.attr(Receiver) }),
  build: (ctx) => {
    const got: Entry[] = [];
    sinks.set(ctx.globalID, got);
    ctx.publish({ receiver: { send: (entries) => void got.push(...entries) } });
    return { update: () => {} };
  },
});

export interface Harness {
  rt: TestRuntime;
  hub: MetricsHub;
  push(entries: Entry[], input?: string): Promise<void>;
  received(sink?: string): Entry[];
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** Loads `config` (which may use test.loki_input "in" and test.loki_sink "out"). */
export async function startHarness(config: string, opts: Partial<CreateRuntimeOptions> = {}): Promise<Harness> {
  const hub = new MetricsHub();
  const rt = testRuntime({ extra: [...components, lokiInput, lokiSink], metrics: hub, ...opts });
  const res = await rt.load([{ name: "main.alloy", text: config }]);
  if (res.diagnostics.length > 0) {
    await rt.stop();
    throw new Error(res.diagnostics.map((d) => d.message).join("\n"));
  }
  return {
    rt,
    hub,
    async push(entries, input = "test.loki_input.in") {
      await waitFor(() => inputs.has(input), 2000, `${input} built`);
      await sendToAll(inputs.get(input)!, entries);
    },
    received: (sink = "test.loki_sink.out") => sinks.get(sink) ?? [],
    metrics: () => hub.metrics(),
    stop: () => rt.stop(),
  };
}

/** A process config: input → loki.process "p" (with `stages`) → sink. */
export function processConfig(stages: string): string {
  return `test.loki_sink "out" {}
loki.process "p" {
  forward_to = [test.loki_sink.out.receiver]
${stages}
}
test.loki_input "in" { forward_to = [loki.process.p.receiver] }
`;
}

export function entry(line: string, labels: LabelSet = {}, timestampNs = 1_700_000_000_000_000_000n, md: LabelPair[] = []): Entry {
  return newEntry(labels, timestampNs, line, md);
}

/** Runs entries through the stages and returns what came out (after the pipeline settles). */
export async function runStages(stages: string, entries: Entry[]): Promise<{ out: Entry[]; h: Harness }> {
  const h = await startHarness(processConfig(stages));
  await h.push(entries);
  return { out: h.received(), h };
}

/** The last value of a metric line in Prometheus text, matched by its name and label text. */
export function metricValue(text: string, nameWithLabels: RegExp): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^(\S+(?:\{.*\})?) (\S+)$/.exec(line);
    if (m && nameWithLabels.test(m[1]!)) return Number(m[2]);
  }
  return undefined;
}
