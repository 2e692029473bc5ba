import { afterEach, expect, test } from "bun:test";
import { defineComponent } from "../../src/runtime/component.ts";
import * as schema from "../../src/syntax/schema/index.ts";
import type { Entry } from "../../src/telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, logsReceiverCapsule, type LogsReceiver } from "../../src/telemetry/loki/receiver.ts";
import { testRuntime, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const received: Entry[] = [];
const collector = defineComponent({
  name: "test.logs_collector",
  stability: "generally-available",
  args: schema.block({}),
  exports: schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) }),
  build(ctx) {
    const r: LogsReceiver = {
      send(entries) {
        received.push(...entries);
        // A receiver that logs while taking a line must not loop.
        ctx.logger.info("took entries", { n: entries.length });
      },
    };
    ctx.publish({ receiver: logsReceiverCapsule(r).value });
    return { update() {} };
  },
});

test("logging.write_to sends this process's own log lines to logs receivers, labelled component=alloy", async () => {
  received.length = 0;
  rt = testRuntime({ extra: [collector] });
  const res = await rt.load([
    { name: "main.alloy", text: `logging {\n  write_to = [test.logs_collector.c.receiver]\n}\ntest.logs_collector "c" {}\n` },
  ]);
  expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  received.length = 0;
  rt.env.logger.warn("a line for loki", { k: "v" });
  const mine = received.filter((e) => e.line.includes("a line for loki"));
  expect(mine).toHaveLength(1);
  expect(mine[0]!.labels).toEqual({ component: "alloy" });
  expect(mine[0]!.line).toMatch(/^ts=\S+ level=warn msg="a line for loki" k=v$/);
  expect(mine[0]!.timestamp).toBeGreaterThan(0n);
  // The collector's own "took entries" line was not fed back to it.
  expect(received.filter((e) => e.line.includes("took entries"))).toHaveLength(0);

  // Removing write_to on reload stops the forwarding.
  await rt.load([{ name: "main.alloy", text: `test.logs_collector "c" {}\n` }]);
  received.length = 0;
  rt.env.logger.warn("after reload");
  expect(received).toHaveLength(0);
});
