// LogsReceiver: the handle loki.* components pass to each other (Alloy's
// loki.LogsReceiver, a channel of entries), exported as a capsule.
//
// Backpressure: `send` returns either nothing (accepted synchronously) or a
// promise that settles once the receiver has taken the entries — the moral
// equivalent of a blocking channel send. A sender must await it before
// sending again, so a slow consumer slows its producers instead of growing an
// unbounded queue. A rejected promise means the receiver is shutting down and
// did not take the entries; the sender decides whether to retry or drop.
//
// Ownership: receivers may share the same Entry objects (fan-out does not
// copy), so a receiver must treat received entries as read-only and
// cloneEntry() before changing one. Senders must not change entries after
// sending them. Label sets and structured-metadata lists are shared further
// still (entries of one stream share one label set, also after loki.process
// and loki.relabel): a component that changes labels gives the entry a new set
// rather than changing the one it has, and caches keyed by a label set's
// identity (streamKey, loki.write's stream keys) rely on that.
//
// Order: entries of one batch are in send order and a receiver keeps it. Fan-out
// (sendToAll/FanOut) hands a batch to every target at once rather than one after
// the other as Alloy's loop over forward_to does; each target still sees batches
// in order because the sender awaits the fan-out before the next batch.

import { Capsule } from "../../syntax/value.ts";
import type { Entry } from "./entry.ts";

export interface LogsReceiver {
  send(entries: Entry[]): void | Promise<void>;
}

/** The capsule type name Alloy shows for receivers: `capsule("loki.LogsReceiver")`. */
export const LOGS_RECEIVER_TYPE = "loki.LogsReceiver";

export function logsReceiverCapsule(r: LogsReceiver): Capsule<LogsReceiver> {
  return new Capsule(LOGS_RECEIVER_TYPE, r);
}

/** True for a capsule holding a LogsReceiver (what `forward_to` elements must be). */
export function isLogsReceiverCapsule(v: unknown): v is Capsule<LogsReceiver> {
  return v instanceof Capsule && v.typeName === LOGS_RECEIVER_TYPE && isLogsReceiver(v.value);
}

export function isLogsReceiver(v: unknown): v is LogsReceiver {
  return typeof v === "object" && v !== null && typeof (v as { send?: unknown }).send === "function";
}

/**
 * Sends the same entries to every receiver and settles when all have taken
 * them (like Alloy's loop over forward_to). Synchronous receivers cost no
 * promise. If any receiver rejects, the returned promise rejects after all
 * others have settled, so one failing receiver does not starve the others.
 */
export function sendToAll(receivers: readonly LogsReceiver[], entries: Entry[]): void | Promise<void> {
  let pending: Promise<void>[] | undefined;
  for (const r of receivers) {
    const p = r.send(entries);
    if (p) (pending ??= []).push(p);
  }
  if (!pending) return;
  return Promise.allSettled(pending).then((results) => {
    const failed = results.find((x): x is PromiseRejectedResult => x.status === "rejected");
    if (failed) throw failed.reason;
  });
}

/** A receiver that forwards to a list that may be replaced later (on `update(args)`). */
export class FanOut implements LogsReceiver {
  private targets: readonly LogsReceiver[];
  constructor(targets: readonly LogsReceiver[] = []) {
    this.targets = targets;
  }
  setTargets(targets: readonly LogsReceiver[]): void {
    this.targets = targets;
  }
  send(entries: Entry[]): void | Promise<void> {
    return sendToAll(this.targets, entries);
  }
}

/**
 * A receiver with a bounded queue drained by its owner: `send` resolves when
 * there is room (backpressure), `receive` waits for the next batch. Used by
 * components whose run loop consumes entries at its own pace.
 */
export class QueueReceiver implements LogsReceiver {
  private readonly batches: Entry[][] = [];
  private readonly waitingSenders: Array<() => void> = [];
  private waitingReader: ((b: Entry[] | undefined) => void) | undefined;
  private closed = false;

  constructor(private readonly capacity = 1) {}

  send(entries: Entry[]): void | Promise<void> {
    if (this.closed) return Promise.reject(new Error("logs receiver is closed"));
    if (this.waitingReader) {
      const r = this.waitingReader;
      this.waitingReader = undefined;
      r(entries);
      return;
    }
    if (this.batches.length < this.capacity) {
      this.batches.push(entries);
      return;
    }
    return new Promise<void>((resolve, reject) => {
      this.waitingSenders.push(() => {
        if (this.closed) return reject(new Error("logs receiver is closed"));
        this.batches.push(entries);
        resolve();
      });
    });
  }

  /** The next batch, or undefined once closed and drained. */
  receive(): Promise<Entry[] | undefined> {
    const b = this.batches.shift();
    if (b) {
      this.waitingSenders.shift()?.();
      return Promise.resolve(b);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waitingReader = resolve));
  }

  /** Stops accepting entries; blocked senders are rejected, queued batches can still be received. */
  close(): void {
    this.closed = true;
    for (const w of this.waitingSenders.splice(0)) w();
    const r = this.waitingReader;
    this.waitingReader = undefined;
    r?.(undefined);
  }
}
