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
import { WriteAheadLog } from "./wal.ts";
import { join } from "node:path";

/** A directory name per endpoint that stays the same across restarts: its name, else its URL. */
function walDirName(name: string, url: string, index: number): string {
  const base = name !== "" ? name : url;
  return `${index}-${base.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100)}`;
}

const Exports = schema.block({ receiver: schema.attr(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE)) });

class LokiWrite implements ComponentInstance<Args>, LogsReceiver {
  private clients: EndpointClient[] = [];
  private readonly metrics: WriteMetrics;
  private external: LabelSet = newLabelSet();
  private merged = new WeakMap<LabelSet, LabelSet>();
  private walEnabled = false;
  private switching: Promise<void> | undefined;

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.metrics = new WriteMetrics(ctx.registry);
    this.configure(args);
    ctx.publish({ receiver: this });
  }

  private configure(args: Args): void {
    this.walEnabled = args.wal.enabled;
    this.external = newLabelSet(args.external_labels);
    this.merged = new WeakMap();
    this.clients = args.endpoint.map((e, i) => {
      const wal = args.wal.enabled ? new WriteAheadLog(join(this.ctx.dataDir, "wal", walDirName(e.name, e.url, i))) : undefined;
      return new EndpointClient(e, { maxStreams: args.max_streams, logger: this.ctx.logger, fetch: this.ctx.fetch, metrics: this.metrics, wal });
    });
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
    if (this.switching) return this.switching.then(() => this.send(entries));
    let out = entries;
    if (Object.keys(this.external).length > 0) {
      out = entries.map((e) => ({ labels: this.withExternal(e.labels), timestamp: e.timestamp, line: e.line, structuredMetadata: e.structuredMetadata }));
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
    if (!this.walEnabled && !args.wal.enabled) {
      this.configure(args);
      await Promise.all(old.map((c) => c.stop(c.cfg.queue_config.drain_timeout)));
      return;
    }
    // The old clients hand over through the WAL: they stop at once (what they did not send stays
    // logged) and the new ones replay it; entries arriving meanwhile wait for the switch.
    let done: () => void = () => {};
    this.switching = new Promise<void>((resolve) => (done = resolve));
    try {
      await Promise.all(old.map((c) => c.stop(0)));
      this.configure(args);
    } finally {
      this.switching = undefined;
      done();
    }
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
