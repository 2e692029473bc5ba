// otelcol.receiver.loki: Loki entries → OTLP log records (the Collector's Loki translator):
// body = line, stream labels (except `__`-prefixed ones) and structured metadata become
// attributes (plus log.file.path/log.file.name from `filename`), the entry's time is the record's time and now its observed time.

import { basename } from "node:path";
import { create } from "@bufbuild/protobuf";
import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import {
  ExportLogsServiceRequestSchema,
  KeyValueSchema,
  LogRecordSchema,
  LogsBatch,
  ResourceLogsSchema,
  ScopeLogsSchema,
  type OtelConsumer,
} from "../../../telemetry/otlp/index.ts";
import { nowNs, type Entry } from "../../../telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { Output, outputConsumer } from "../common/output.ts";
import { observed } from "../common/live_debugging.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { stringValue } from "../processor/matching.ts";

const Arguments = schema.block({
  output: schema.block(Output),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
const Exports = schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) });
type Args = schema.Infer<typeof Arguments>;

/** One export request holding a log record per entry. */
export function entriesToLogs(entries: readonly Entry[]): LogsBatch {
  const observed = nowNs();
  const records = entries.map((e) => {
    const attributes = [];
    for (const name of Object.keys(e.labels).sort()) {
      if (!name.startsWith("__")) attributes.push(create(KeyValueSchema, { key: name, value: stringValue(e.labels[name]!) }));
    }
    // As Alloy: the file a line came from also goes under the log-media semantic conventions.
    const filename = e.labels.filename;
    if (filename !== undefined) {
      attributes.push(create(KeyValueSchema, { key: "log.file.path", value: stringValue(filename) }));
      attributes.push(create(KeyValueSchema, { key: "log.file.name", value: stringValue(basename(filename)) }));
    }
    for (const p of e.structuredMetadata) attributes.push(create(KeyValueSchema, { key: p.name, value: stringValue(p.value) }));
    return create(LogRecordSchema, {
      timeUnixNano: e.timestamp !== 0n ? e.timestamp : observed,
      observedTimeUnixNano: observed,
      body: stringValue(e.line),
      attributes,
    });
  });
  const request = create(ExportLogsServiceRequestSchema, {
    resourceLogs: [create(ResourceLogsSchema, { scopeLogs: [create(ScopeLogsSchema, { logRecords: records })] })],
  });
  return new LogsBatch(request);
}

class LokiReceiver implements ComponentInstance<Args>, LogsReceiver {
  private next: OtelConsumer;

  constructor(
    private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>,
    args: Args,
  ) {
    this.next = observed(ctx.liveDebugging, outputConsumer(args.output));
    ctx.publish({ receiver: this });
  }

  update(args: Args): void {
    this.next = observed(this.ctx.liveDebugging, outputConsumer(args.output));
  }

  async send(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.next.consumeLogs!(entriesToLogs(entries));
    } catch (err) {
      // Alloy logs and drops: the Loki side has no way to retry a converted batch.
      this.ctx.logger.error("failed to consume log entries", { err: err instanceof Error ? err.message : String(err) });
    }
  }
}

export default defineComponent({
  name: "otelcol.receiver.loki",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new LokiReceiver(ctx, args),
});
