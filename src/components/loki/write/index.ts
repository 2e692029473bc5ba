// loki.write: receives entries from other loki.* components and pushes them to
// every `endpoint` (see client.ts). external_labels are added to each entry's
// labels (the entry's own value wins, as in Loki's client). The receiver stays
// the same object across updates; new arguments replace the endpoint clients,
// the old ones draining what they hold.

import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { newLabelSet, type Entry, type LabelSet } from "../../../telemetry/loki/entry.ts";
import { formatLabels } from "../../../telemetry/loki/labels.ts";
import { LOGS_RECEIVER_TYPE, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { Arguments, type Args } from "./arguments.ts";
import { EndpointClient } from "./client.ts";
import { WriteMetrics } from "./metrics.ts";

const Exports = schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) });

class LokiWrite implements ComponentInstance<Args>, LogsReceiver {
  private clients: EndpointClient[] = [];
  private readonly metrics: WriteMetrics;
  private external: LabelSet = newLabelSet();
  private merged = new WeakMap<LabelSet, LabelSet>();

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.metrics = new WriteMetrics(ctx.registry);
    this.configure(args);
    ctx.publish({ receiver: this });
  }

  private configure(args: Args): void {
    this.external = newLabelSet(args.external_labels);
    this.merged = new WeakMap();
    this.clients = args.endpoint.map(
      (e) => new EndpointClient(e, { maxStreams: args.max_streams, logger: this.ctx.logger, fetch: this.ctx.fetch, metrics: this.metrics }),
    );
    if (args.wal.enabled) this.ctx.logger.warn("the wal block is accepted but not in effect: entries are held in memory until sent");
    if (args.endpoint.length === 0) this.ctx.logger.warn("no endpoint blocks: entries received are discarded");
  }

  private withExternal(labels: LabelSet): LabelSet {
    let m = this.merged.get(labels);
    if (m === undefined) {
      m = newLabelSet(this.external);
      for (const k of Object.keys(labels)) m[k] = labels[k]!;
      this.merged.set(labels, m);
    }
    return m;
  }

  send(entries: Entry[]): void | Promise<void> {
    let out = entries;
    if (Object.keys(this.external).length > 0) {
      out = entries.map((e) => ({ ...e, labels: this.withExternal(e.labels) }));
    }
    if (this.ctx.liveDebugging.isActive()) {
      for (const e of out) {
        this.ctx.liveDebugging.publish({ type: "loki_log", count: 1, text: () => `ts=${e.timestamp}, labels=${formatLabels(e.labels)}, line=${e.line}` });
      }
    }
    let pending: Promise<void>[] | undefined;
    for (const c of this.clients) {
      const p = c.add(out);
      if (p) (pending ??= []).push(p);
    }
    if (pending) return Promise.all(pending).then(() => undefined);
  }

  async update(args: Args): Promise<void> {
    const old = this.clients;
    this.configure(args);
    await Promise.all(old.map((c) => c.stop(c.cfg.queue_config.drain_timeout)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.stop(Math.min(c.cfg.queue_config.drain_timeout, 5000))));
  }
}

export default defineComponent({
  name: "loki.write",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new LokiWrite(ctx, args),
});
