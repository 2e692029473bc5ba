// Reads the WAL for one queue (Prometheus's WAL watcher): the checkpoint's series
// first, then every segment in order, tailing the newest one. Series records build
// the ref → series map; samples, histograms and exemplars are handed to the queue
// with their WAL position (the queue skips what it had finished before a restart);
// metadata feeds the queue's metadata. Damaged records are logged, counted and
// skipped, and reading goes on.

import type { Logger } from "../../../runtime/logger.ts";
import type { Labels } from "../../../telemetry/prometheus/labels.ts";
import { latestCheckpoint, readCheckpoint, WalReader, type WalEntry } from "../../../telemetry/prometheus/wal/reader.ts";
import type { Corruption } from "../../../telemetry/prometheus/wal/segment.ts";
import type { WalMetrics } from "./metrics.ts";
import type { QueueManager } from "./queue.ts";

export class WalWatcher {
  /**
   * Series as sent, by WAL ref less #firstRef (refs are dense increasing integers):
   * null when write relabeling dropped it, undefined when unknown or pruned.
   */
  #series: (Labels | null | undefined)[] = [];
  #firstRef = 0;
  #seriesCount = 0;
  #wake: (() => void) | undefined;
  #abort = new AbortController();
  #running: Promise<void> | undefined;
  /** True once the watcher has read everything written when it started. */
  caughtUp = false;
  #reader: WalReader | undefined;

  /** The segment being read; every earlier one was read completely. -1 before reading starts. */
  get segment(): number {
    return this.#reader?.segment ?? -1;
  }

  constructor(
    private readonly dir: string,
    private readonly queue: QueueManager,
    private readonly metrics: WalMetrics,
    private readonly logger: Logger,
    private readonly onCorruption: (c: Corruption) => void,
    /** The storage's labels for a ref, so the watcher does not keep a second copy of each series. */
    private readonly sharedLabels: (ref: number) => Labels | undefined = () => undefined,
    /** A value that changes whenever the WAL is written (undefined: always read). */
    private readonly probe: () => string | undefined = () => undefined,
  ) {}

  /** New data was written to the WAL. */
  notify(): void {
    this.#wake?.();
  }

  start(): void {
    this.#running ??= this.#run().catch((e) => {
      if (!this.#abort.signal.aborted) this.logger.error("WAL watcher stopped", { remote_name: this.queue.name, err: e instanceof Error ? e.message : String(e) });
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    const consumer = this.queue.name;
    const report = (c: Corruption) => {
      this.metrics.watcherDecodeFailures.inc({ consumer });
      this.onCorruption(c);
    };
    const cp = await latestCheckpoint(this.dir);
    let from = 0;
    if (cp !== undefined) {
      // Samples in a checkpoint were sent before it was written; only its series matter.
      const { entries } = await readCheckpoint(cp.dir, report);
      for (const e of entries) if (e.record.type === "series") this.#handle(e);
      from = cp.index + 1;
    }
    const reader = new WalReader(this.dir, from, report);
    // Series the storage wrote (or replayed) are taken from it instead of decoded a second time.
    reader.knownSeries = this.sharedLabels;
    this.#reader = reader;
    // Each read lists the directory and opens the segment; skip it when the WAL has not changed since a read that reached its end.
    let seen: string | undefined;
    let poll = false;
    while (!signal.aborted) {
      const before = this.probe();
      if (!poll && before !== undefined && before === seen) {
        poll = await new Promise<boolean>((r) => {
          this.#wake = () => r(false);
          setTimeout(() => r(true), 1000);
        });
        this.#wake = undefined;
        continue;
      }
      poll = false;
      const entries = await reader.read();
      // A read returning few records was not cut short by the reader's chunk size: it reached the end.
      if (entries.length < 64) seen = before;
      if (entries.length === 0) {
        this.caughtUp = true;
        continue;
      }
      for (const e of entries) {
        if (signal.aborted) return;
        this.metrics.watcherRecordsRead.inc({ type: e.record.type, consumer });
        const wait = this.#handle(e);
        if (wait !== undefined) await wait;
        if (signal.aborted || this.queue.stopped) return;
        this.queue.recordDone({ segment: e.segment, offset: e.offset });
        await this.queue.betweenRecords();
      }
    }
  }

  #lookup(ref: number): Labels | null | undefined {
    return this.#series[ref - this.#firstRef];
  }

  #store(ref: number, s: Labels | null): void {
    if (ref < this.#firstRef) {
      // A ref below the pruned range (only when a WAL written elsewhere reuses one): reopen the range.
      this.#series = [...new Array<undefined>(this.#firstRef - ref), ...this.#series];
      this.#firstRef = ref;
    }
    const i = ref - this.#firstRef;
    if (this.#series[i] === undefined) this.#seriesCount++;
    this.#series[i] = s;
  }

  /** Series the watcher holds (sent or dropped by write relabeling). */
  get seriesCount(): number {
    return this.#seriesCount;
  }

  /**
   * Forgets the series a WAL truncation dropped (Prometheus's SeriesReset): `kept`
   * tells whether the WAL still has a ref. A dropped series has no samples after the
   * checkpoint, and the segments up to it are gone, so no later record needs it.
   */
  pruneSeries(kept: (ref: number) => boolean): number {
    const series = this.#series;
    let removed = 0;
    for (let i = 0; i < series.length; i++) {
      if (series[i] === undefined || kept(i + this.#firstRef)) continue;
      series[i] = undefined;
      removed++;
    }
    this.#seriesCount -= removed;
    let lead = 0;
    while (lead < series.length && series[lead] === undefined) lead++;
    if (lead > 0) {
      this.#series = series.slice(lead);
      this.#firstRef += lead;
    }
    return removed;
  }

  /** Hands one record to the queue; returns a promise only when the queue made it wait. */
  #handle(e: WalEntry): Promise<void> | undefined {
    const r = e.record;
    const q = this.queue;
    const pos = { segment: e.segment, offset: e.offset };
    switch (r.type) {
      case "series":
        for (const s of r.series) {
          const shared = this.sharedLabels(s.ref);
          this.#store(s.ref, q.prepareSeries(shared !== undefined && shared.equals(s.labels) ? shared : s.labels));
        }
        return undefined;
      case "samples": {
        const words = new Uint32Array(r.values.buffer, r.values.byteOffset, r.length * 2);
        for (let i = 0; i < r.length; i++) {
          const s = this.#lookup(r.refs[i]!);
          if (s == null) {
            q.dropped("sample");
            continue;
          }
          const w = q.enqueueSample(s, r.timestamps[i]!, words, i, pos);
          if (w !== undefined) return this.#continueSamples(w, e, i + 1);
        }
        return undefined;
      }
      case "histograms":
        return (async () => {
          for (const h of r.histograms) {
            const s = this.#lookup(h.ref);
            if (s == null) q.dropped("histogram");
            else await q.enqueueHistogram(s, h.timestamp, h.histogram, h.stale, pos);
          }
        })();
      case "exemplars":
        return (async () => {
          for (const x of r.exemplars) {
            const s = this.#lookup(x.ref);
            if (s == null) q.dropped("exemplar");
            else await q.enqueueExemplar(s, x.exemplar, pos);
          }
        })();
      case "metadata":
        for (const m of r.metadata) {
          const s = this.#lookup(m.ref);
          if (s != null) q.setMetadata(s.metricName(), m.metadata);
        }
        return undefined;
    }
  }

  async #continueSamples(wait: Promise<void>, e: WalEntry, from: number): Promise<void> {
    await wait;
    const r = e.record;
    if (r.type !== "samples") return;
    const q = this.queue;
    const pos = { segment: e.segment, offset: e.offset };
    const words = new Uint32Array(r.values.buffer, r.values.byteOffset, r.length * 2);
    for (let i = from; i < r.length; i++) {
      if (q.stopped) return;
      const s = this.#lookup(r.refs[i]!);
      if (s == null) {
        q.dropped("sample");
        continue;
      }
      const w = q.enqueueSample(s, r.timestamps[i]!, words, i, pos);
      if (w !== undefined) await w;
    }
  }
}
