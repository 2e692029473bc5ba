// The `logging` block's write_to: every line this process logs is also sent, as
// a Loki entry labelled {component="alloy"}, to the listed logs receivers.
// Like Alloy's writer it never waits: a receiver that pushes back loses the line.

import { isLogsReceiver, type LogsReceiver } from "../telemetry/loki/receiver.ts";
import { Capsule, type Value } from "../syntax/value.ts";
import type { LogSettings, LogSink } from "./logger.ts";

const nsPerMs = 1_000_000n;

const forwarders = new WeakMap<LogSettings, LogForwarder>();

export class LogForwarder {
  private sink: LogSink | undefined;
  private sending = false;

  private constructor(private readonly settings: LogSettings) {}

  /** One forwarder per settings, so a logging node rebuilt on reload replaces, not adds, the sink. */
  static for(settings: LogSettings): LogForwarder {
    let f = forwarders.get(settings);
    if (!f) forwarders.set(settings, (f = new LogForwarder(settings)));
    return f;
  }

  /** Replaces the receivers; an empty list removes the forwarding sink. */
  setTargets(writeTo: readonly Value[]): void {
    const receivers = receiversOf(writeTo);
    this.remove();
    if (receivers.length === 0) return;
    const sink: LogSink = (text) => {
      // A receiver that logs while taking a line must not feed itself forever.
      if (this.sending) return;
      this.sending = true;
      try {
        const line = text.endsWith("\n") ? text.slice(0, -1) : text;
        const timestamp = BigInt(Date.now()) * nsPerMs;
        for (const r of receivers) {
          const entry = { labels: { component: "alloy" }, timestamp, line, structuredMetadata: [] };
          try {
            const pending = r.send([entry]);
            if (pending) pending.catch(() => {});
          } catch {
            // dropped, as Alloy drops a line a receiver cannot take
          }
        }
      } finally {
        this.sending = false;
      }
    };
    this.sink = sink;
    this.settings.sinks.push(sink);
  }

  remove(): void {
    if (!this.sink) return;
    const i = this.settings.sinks.indexOf(this.sink);
    if (i >= 0) this.settings.sinks.splice(i, 1);
    this.sink = undefined;
  }
}

function receiversOf(values: readonly Value[]): LogsReceiver[] {
  const out: LogsReceiver[] = [];
  for (const v of values) {
    const inner = v instanceof Capsule ? v.value : v;
    if (isLogsReceiver(inner)) out.push(inner);
  }
  return out;
}
