// loki.echo: logs every entry it receives at info level (a debugging sink).

import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";
import * as schema from "../../syntax/schema/index.ts";
import type { Entry } from "../../telemetry/loki/entry.ts";
import { formatLabels } from "../../telemetry/loki/labels.ts";
import { LOGS_RECEIVER_TYPE, type LogsReceiver } from "../../telemetry/loki/receiver.ts";

const Arguments = schema.block({});
const Exports = schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) });

class Echo implements ComponentInstance<Record<string, never>>, LogsReceiver {
  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>) {
    ctx.publish({ receiver: this });
  }

  send(entries: Entry[]): void {
    for (const e of entries) {
      const fields: Record<string, string> = { receiver: this.ctx.id, entry: e.line, labels: formatLabels(e.labels) };
      if (e.structuredMetadata.length > 0) {
        fields.structured_metadata = formatLabels(Object.fromEntries(e.structuredMetadata.map((p) => [p.name, p.value])));
      }
      this.ctx.logger.info("Receiving logs entry", fields);
    }
  }

  update(): void {}
}

export default defineComponent({
  name: "loki.echo",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx) => new Echo(ctx),
});
