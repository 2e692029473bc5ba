// One shard of a queue: collects samples into batches of max_samples_per_send,
// sends a batch when it is full or batch_send_deadline passed since its first
// sample, one request at a time, retrying recoverable errors with exponential
// backoff (min_backoff doubling to max_backoff, or the server's Retry-After).
// It tracks which WAL records it has finished, for progress.ts.

import { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../../telemetry/prometheus/labels.ts";
import type { Exemplar } from "../../../telemetry/prometheus/exemplar.ts";
import type { NativeHistogram } from "../../../telemetry/prometheus/histogram.ts";
import type { WalPosition } from "./progress.ts";

export interface ShardSettings {
  maxSamplesPerSend: number;
  capacity: number;
  batchSendDeadlineMs: number;
}

/** What a shard needs from its queue: sending one batch until done (sent or failed). */
export type SendBatch = (batch: MetricsBatch, signal: AbortSignal) => Promise<void>;

interface Marker {
  /** Samples enqueued on this shard when the record was finished. */
  cumulative: number;
  pos: WalPosition;
}

export class Shard {
  #current!: MetricsBatch;
  #words!: Uint32Array;
  #ready: MetricsBatch[] = [];
  #pending = 0;
  #enqueued = 0;
  #completed = 0;
  #markers: Marker[] = [];
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;
  #spaceWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #flushNow = false;
  #running: Promise<void> | undefined;
  #abort = new AbortController();
  /** Every sample of this shard at or before `done` is finished. */
  done: WalPosition;

  constructor(
    readonly index: number,
    private readonly settings: ShardSettings,
    private readonly sendBatch: SendBatch,
    done: WalPosition,
    private readonly onProgress: () => Promise<void>,
  ) {
    this.done = done;
    this.#newBatch();
  }

  #newBatch(): void {
    // Sized for a full send so the value column never moves while samples are copied in.
    this.#current = new MetricsBatch(this.settings.maxSamplesPerSend);
    this.#words = new Uint32Array(this.#current.values.buffer);
  }

  /** Samples (and histograms, exemplars) enqueued and not yet finished. */
  get pending(): number {
    return this.#pending;
  }

  hasSpace(): boolean {
    return this.#pending < this.settings.capacity;
  }

  /** Resolves when the shard can take more. */
  waitForSpace(): Promise<void> {
    if (this.hasSpace()) return Promise.resolve();
    return new Promise((r) => this.#spaceWaiters.push(r));
  }

  /** Resolves when everything enqueued is finished. */
  waitIdle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    this.#flushNow = true;
    this.#wake?.();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  #added(): void {
    this.#pending++;
    this.#enqueued++;
    if (this.#current.totalCount >= this.settings.maxSamplesPerSend) this.#cut();
    else if (this.#deadline === undefined) this.#deadline = setTimeout(() => this.#onDeadline(), this.settings.batchSendDeadlineMs);
  }

  /** Appends sample `i` whose value bits are words[2i], words[2i+1] (staleness markers keep their bits). */
  appendSampleWords(series: Labels, timestamp: number, words: Uint32Array, i: number): void {
    const b = this.#current;
    const j = b.length;
    b.appendSample(series, timestamp, 0);
    let w = this.#words;
    if (w.buffer !== b.values.buffer) w = this.#words = new Uint32Array(b.values.buffer);
    w[2 * j] = words[2 * i]!;
    w[2 * j + 1] = words[2 * i + 1]!;
    this.#added();
  }

  appendHistogram(series: Labels, timestamp: number, histogram: NativeHistogram, stale: boolean): void {
    if (stale) this.#current.appendHistogramStaleMarker(series, timestamp, histogram);
    else this.#current.appendHistogram(series, timestamp, histogram);
    this.#added();
  }

  appendExemplar(series: Labels, exemplar: Exemplar): void {
    this.#current.appendExemplar(series, exemplar);
    this.#added();
  }

  /** The queue finished handing over the record at `pos`. */
  markRecord(pos: WalPosition): void {
    if (this.#pending === 0) {
      this.done = pos;
      return;
    }
    const last = this.#markers[this.#markers.length - 1];
    if (last !== undefined && last.cumulative === this.#enqueued) last.pos = pos;
    else this.#markers.push({ cumulative: this.#enqueued, pos });
  }

  #onDeadline(): void {
    this.#deadline = undefined;
    if (this.#current.totalCount > 0) this.#cut();
  }

  #cut(): void {
    if (this.#deadline !== undefined) {
      clearTimeout(this.#deadline);
      this.#deadline = undefined;
    }
    this.#ready.push(this.#current);
    this.#newBatch();
    this.#wake?.();
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  async #loop(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      if (this.#ready.length === 0 && this.#flushNow && this.#current.totalCount > 0) this.#cut();
      if (this.#ready.length === 0) {
        // stop() aborts and then wakes the loop.
        await new Promise<void>((r) => (this.#wake = r));
        this.#wake = undefined;
        continue;
      }
      // The batch lives only in #sendNext's frame, not in this suspended one's.
      await this.#sendNext(signal);
    }
  }

  async #sendNext(signal: AbortSignal): Promise<void> {
    const batch = this.#ready.shift()!;
    await this.sendBatch(batch, signal);
    if (signal.aborted) return;
    this.#finish(batch.totalCount);
    await this.onProgress();
  }

  #finish(n: number): void {
    this.#pending -= n;
    this.#completed += n;
    while (this.#markers.length > 0 && this.#markers[0]!.cumulative <= this.#completed) this.done = this.#markers.shift()!.pos;
    while (this.hasSpace() && this.#spaceWaiters.length > 0) this.#spaceWaiters.shift()!();
    if (this.#pending === 0) {
      this.#flushNow = false;
      for (const w of this.#idleWaiters.splice(0)) w();
    }
  }

  /** Stops sending; unfinished samples stay in the WAL for the next start. */
  async stop(): Promise<void> {
    this.#abort.abort();
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#wake?.();
    await this.#running;
    // Release anyone waiting on this shard; the queue checks whether it is stopping.
    for (const w of this.#spaceWaiters.splice(0)) w();
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}
