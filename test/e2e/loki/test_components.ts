// Test-only components for driving loki.* pipelines in-process:
// `testloki.sender "x" { forward_to = [...] }` hands entries given by the test
// to its receivers; `testloki.collector "x" {}` exports a receiver that records
// everything it gets.

import { defineComponent, type ComponentDefinition } from "../../../src/runtime/component.ts";
import * as schema from "../../../src/syntax/schema/index.ts";
import type { Entry } from "../../../src/telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, sendToAll, type LogsReceiver } from "../../../src/telemetry/loki/receiver.ts";

export class Sender {
  targets: LogsReceiver[] = [];
  send(entries: Entry[]): void | Promise<void> {
    return sendToAll(this.targets, entries);
  }
}

export class Collector implements LogsReceiver {
  readonly entries: Entry[] = [];
  send(entries: Entry[]): void {
    this.entries.push(...entries);
  }
}

export function lokiTestComponents(): { defs: ComponentDefinition[]; senders: Map<string, Sender>; collectors: Map<string, Collector> } {
  const senders = new Map<string, Sender>();
  const collectors = new Map<string, Collector>();
  const SenderArgs = schema.block({ forward_to: schema.attr(schema.list(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE))) });
  const sender = defineComponent({
    name: "testloki.sender",
    stability: "generally-available",
    args: SenderArgs,
    build: (ctx, args) => {
      const s = senders.get(ctx.id) ?? new Sender();
      s.targets = args.forward_to;
      senders.set(ctx.id, s);
      return { update: (a) => void (s.targets = a.forward_to) };
    },
  });
  const Exports = schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) });
  const collector = defineComponent({
    name: "testloki.collector",
    stability: "generally-available",
    args: schema.block({}),
    exports: Exports,
    build: (ctx) => {
      const c = new Collector();
      collectors.set(ctx.id, c);
      ctx.publish({ receiver: c });
      return { update: () => {} };
    },
  });
  return { defs: [sender, collector], senders, collectors };
}
