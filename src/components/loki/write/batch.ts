// One push request in the making: the entries of one tenant grouped by stream,
// in arrival order, with their size counted as Loki's client does (line bytes
// plus structured metadata).

import type { Entry, LabelSet, Stream } from "../../../telemetry/loki/entry.ts";

export class PushBatch {
  readonly streams = new Map<string, Stream>();
  bytes = 0;
  entries = 0;
  readonly createdAt = performance.now();

  constructor(readonly tenant: string) {}

  /** Bytes an entry adds to a batch. */
  static sizeOf(e: Entry): number {
    let n = e.line.length;
    for (const p of e.structuredMetadata) n += p.name.length + p.value.length;
    return n;
  }

  hasStream(key: string): boolean {
    return this.streams.has(key);
  }

  add(key: string, labels: LabelSet, e: Entry, size: number): void {
    let s = this.streams.get(key);
    if (s === undefined) {
      s = { labels, entries: [] };
      this.streams.set(key, s);
    }
    s.entries.push({ timestamp: e.timestamp, line: e.line, structuredMetadata: e.structuredMetadata });
    this.bytes += size;
    this.entries++;
  }

  streamList(): Stream[] {
    return [...this.streams.values()];
  }
}
