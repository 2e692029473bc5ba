// A queue manager per endpoint (Prometheus's QueueManager): series prepared for
// sending (external labels, write_relabel_config), samples spread over shards by
// series hash so each series stays in order, batches encoded and sent with
// retries, dynamic resharding by throughput between min_shards and max_shards, and
// metadata sent every metadata_config.send_interval. Progress through the WAL is
// saved after every finished batch (progress.ts).

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "../../../runtime/logger.ts";
import { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import type { Exemplar } from "../../../telemetry/prometheus/exemplar.ts";
import type { NativeHistogram } from "../../../telemetry/prometheus/histogram.ts";
import type { Labels } from "../../../telemetry/prometheus/labels.ts";
import type { Metadata } from "../../../telemetry/prometheus/metadata.ts";
import { relabel } from "../../../telemetry/prometheus/relabel/process.ts";
import type { RelabelRule } from "../../../telemetry/prometheus/relabel/rule.ts";
import type { MetricFamilyMetadata } from "../../../telemetry/prometheus/remotewrite/encode.ts";
import { RemoteWriteEncoder } from "../../../telemetry/prometheus/remotewrite/http.ts";
import { compileRuleBlocks } from "../../discovery/rules.ts";
import type { EndpointArgs } from "./arguments.ts";
import { RemoteWriteClient, type SendResult } from "./client.ts";
import type { RemoteStorageMetrics } from "./metrics.ts";
import { comparePositions, ProgressFile, START, type SavedProgress, type WalPosition } from "./progress.ts";
import { Shard } from "./shard.ts";


export interface QueueOptions {
  endpoint: EndpointArgs;
  externalLabels: Readonly<Record<string, string>>;
  metrics: RemoteStorageMetrics;
  logger: Logger;
  fetch: typeof fetch;
  /** Directory for progress files. */
  dataDir: string;
  /** Samples accepted into the WAL so far and the highest timestamp among them (the incoming side of resharding). */
  incoming: () => { samples: number; highestTimestamp: number };
  /** How often the desired shard count is recomputed (Prometheus: 10s). */
  shardUpdateIntervalMs?: number;
}

/** Prometheus's remote_name: the endpoint's name, or a short hash of its URL. */
export function remoteName(e: EndpointArgs): string {
  if (e.name !== "") return e.name;
  return createHash("sha256").update(e.url).digest("hex").slice(0, 6);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export interface QueueStatus {
  name: string;
  url: string;
  shards: number;
  desiredShards: number;
  pendingSamples: number;
  lastError: string;
  lastSendTime: number;
}

export class QueueManager {
  readonly name: string;
  readonly url: string;
  readonly #labels: { remote_name: string; url: string };
  readonly #client: RemoteWriteClient;
  readonly #rules: RelabelRule[];
  readonly #external: [string, string][];
  readonly #q: EndpointArgs["queue_config"];
  readonly #progress: ProgressFile;
  #shards: Shard[] = [];
  #restartSkip: SavedProgress | undefined;
  #lastPos: WalPosition = START;
  #desired = 0;
  #reshardTo: number | undefined;
  #abort = new AbortController();
  // A plain field: the watcher checks it per sample, and AbortSignal.aborted is a native call.
  #stopped = false;
  #timers: ReturnType<typeof setInterval>[] = [];
  #metadata = new Map<string, MetricFamilyMetadata>();
  // Throughput counters for resharding.
  #lastIncoming = -1;
  #out = 0;
  #sendMs = 0;
  #inRate = new Ewma();
  #outRate = new Ewma();
  #durRate = new Ewma();
  #highestSent = 0;
  #lastSendOk = Date.now();
  #lastError = "";

  constructor(private readonly opts: QueueOptions) {
    const e = opts.endpoint;
    this.name = remoteName(e);
    this.url = e.url;
    this.#labels = { remote_name: this.name, url: e.url };
    this.#client = new RemoteWriteClient(e, opts.fetch);
    this.#rules = compileRuleBlocks(e.write_relabel_config);
    this.#external = Object.entries(opts.externalLabels);
    this.#q = e.queue_config;
    const file = join(opts.dataDir, "queues", `${this.name.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`);
    this.#progress = new ProgressFile(file, () => ({ shards: this.#shards.length, done: this.#shards.map((s) => s.done) }));
  }

  get endpoint(): EndpointArgs {
    return this.opts.endpoint;
  }

  /** Loads saved progress and starts the shards. */
  async start(): Promise<void> {
    const m = this.opts.metrics;
    const saved = await ProgressFile.load(this.#progress.path);
    let n = this.#q.min_shards;
    if (saved !== undefined && saved.shards >= this.#q.min_shards && saved.shards <= this.#q.max_shards) n = saved.shards;
    if (saved !== undefined && saved.shards !== n) {
      // Another shard layout: resume from the lowest position (some samples may be sent twice).
      const low = saved.done.reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b), saved.done[0] ?? START);
      this.#restartSkip = { shards: n, done: Array.from({ length: n }, () => low) };
    } else this.#restartSkip = saved;
    this.#startShards(n, (i) => this.#restartSkip?.done[i] ?? START);
    this.#desired = n;
    m.initQueue(this.#labels);
    m.shardsMax.set(this.#labels, this.#q.max_shards);
    m.shardsMin.set(this.#labels, this.#q.min_shards);
    m.shardCapacity.set(this.#labels, this.#q.capacity);
    m.maxSamplesPerSend.set(this.#labels, this.#q.max_samples_per_send);
    m.shardsDesired.set(this.#labels, n);
    const interval = this.opts.shardUpdateIntervalMs ?? 10_000;
    this.#timers.push(setInterval(() => this.#updateShardsDesired(interval), interval));
    this.#timers.push(setInterval(() => this.#updatePendingGauges(), 1000));
    const md = this.opts.endpoint.metadata_config;
    if (md.send && md.send_interval > 0) this.#timers.push(setInterval(() => void this.#sendMetadata(), md.send_interval));
  }

  #startShards(n: number, done: (i: number) => WalPosition): void {
    const settings = { maxSamplesPerSend: this.#q.max_samples_per_send, capacity: this.#q.capacity, batchSendDeadlineMs: this.#q.batch_send_deadline };
    this.#shards = Array.from({ length: n }, (_, i) => {
      const enc = new RemoteWriteEncoder();
      return new Shard(i, settings, (b, sig) => this.#sendBatch(b, enc, sig), done(i), () => this.#progress.save().catch((e) => this.#logSaveError(e)));
    });
    for (const s of this.#shards) s.start();
    this.opts.metrics.shards.set(this.#labels, n);
  }

  #logSaveError(e: unknown): void {
    this.opts.logger.error("cannot save remote write progress", { remote_name: this.name, err: e instanceof Error ? e.message : String(e) });
  }

  /** The series as sent (external labels added where absent, then write relabeling); null when dropped. */
  prepareSeries(labels: Labels): Labels | null {
    let l = labels;
    if (this.#external.length > 0) {
      const b = l.builder();
      let changed = false;
      for (const [k, v] of this.#external) {
        if (!l.has(k)) {
          b.set(k, v);
          changed = true;
        }
      }
      if (changed) l = b.labels();
    }
    if (this.#rules.length > 0) {
      const r = relabel(l, this.#rules);
      if (r === undefined || r.size === 0) return null;
      l = r;
    }
    l.keyHash(); // computed once here; #shardFor reads the cached value per sample
    return l;
  }

  #shardFor(s: Labels, pos: WalPosition): Shard | undefined {
    const shards = this.#shards;
    // FNV-1a of the identity key: stable across restarts, which the shard assignment must be.
    const i = s.keyHash() % shards.length;
    const skip = this.#restartSkip;
    // Already acknowledged before a restart.
    if (skip !== undefined && comparePositions(pos, skip.done[i]!) <= 0) return undefined;
    return shards[i]!;
  }

  #tooOld(ts: number): boolean {
    const limit = this.#q.sample_age_limit;
    return limit > 0 && ts < Date.now() - limit;
  }

  /** Enqueues float sample `i` (value bits words[2i], words[2i+1]); returns a promise only when it has to wait for space. */
  enqueueSample(s: Labels, ts: number, words: Uint32Array, i: number, pos: WalPosition): Promise<void> | undefined {
    const shard = this.#shardFor(s, pos);
    if (shard === undefined) return undefined;
    if (this.#tooOld(ts)) {
      this.opts.metrics.samplesDropped.inc(this.#labels);
      return undefined;
    }
    if (!shard.hasSpace()) return this.#waitAnd(shard, () => this.enqueueSample(s, ts, words, i, pos));
    shard.appendSampleWords(s, ts, words, i);
    return undefined;
  }

  enqueueHistogram(s: Labels, ts: number, h: NativeHistogram, stale: boolean, pos: WalPosition): Promise<void> | undefined {
    if (!this.opts.endpoint.send_native_histograms) return undefined;
    const shard = this.#shardFor(s, pos);
    if (shard === undefined) return undefined;
    if (this.#tooOld(ts)) {
      this.opts.metrics.histogramsDropped.inc(this.#labels);
      return undefined;
    }
    if (!shard.hasSpace()) return this.#waitAnd(shard, () => this.enqueueHistogram(s, ts, h, stale, pos));
    shard.appendHistogram(s, ts, h, stale);
    return undefined;
  }

  enqueueExemplar(s: Labels, e: Exemplar, pos: WalPosition): Promise<void> | undefined {
    if (!this.opts.endpoint.send_exemplars) return undefined;
    const shard = this.#shardFor(s, pos);
    if (shard === undefined) return undefined;
    if (!shard.hasSpace()) return this.#waitAnd(shard, () => this.enqueueExemplar(s, e, pos));
    shard.appendExemplar(s, e);
    return undefined;
  }

  async #waitAnd(shard: Shard, retry: () => Promise<void> | undefined): Promise<void> {
    this.opts.metrics.enqueueRetries.inc(this.#labels);
    await shard.waitForSpace();
    if (this.#stopped) return;
    await retry();
  }

  /** A WAL entry without a series to send (unknown ref, or dropped by write relabeling). */
  dropped(kind: "sample" | "histogram" | "exemplar"): void {
    const m = this.opts.metrics;
    (kind === "sample" ? m.samplesDropped : kind === "histogram" ? m.histogramsDropped : m.exemplarsDropped).inc(this.#labels);
  }

  setMetadata(family: string, m: Metadata): void {
    this.#metadata.set(family, { metricFamilyName: family, ...m });
  }

  /** The record at `pos` was handed over completely. */
  recordDone(pos: WalPosition): void {
    this.#lastPos = pos;
    for (const s of this.#shards) s.markRecord(pos);
  }

  /** Called between records: applies a pending reshard once all shards are drained. */
  async betweenRecords(): Promise<void> {
    const to = this.#reshardTo;
    if (to === undefined || this.#abort.signal.aborted) return;
    this.#reshardTo = undefined;
    if (to === this.#shards.length) return;
    this.opts.logger.info("Remote storage resharding", { remote_name: this.name, from: this.#shards.length, to });
    await Promise.all(this.#shards.map((s) => s.waitIdle()));
    if (this.#abort.signal.aborted) return;
    await Promise.all(this.#shards.map((s) => s.stop()));
    const pos = this.#lastPos;
    this.#restartSkip = undefined;
    this.#startShards(to, () => pos);
    await this.#progress.save().catch((e) => this.#logSaveError(e));
  }

  /** Lowest WAL position some shard has not finished; segments before it may be truncated. */
  lowestDone(): WalPosition {
    let low: WalPosition | undefined;
    for (const s of this.#shards) if (low === undefined || comparePositions(s.done, low) < 0) low = s.done;
    return low ?? START;
  }

  /** Nothing enqueued is waiting to be sent. */
  idle(): boolean {
    return this.#shards.every((s) => s.pending === 0) && this.#reshardTo === undefined;
  }

  /** Highest sample timestamp sent (ms), 0 before the first send. */
  get highestSentTimestamp(): number {
    return this.#highestSent;
  }

  status(): QueueStatus {
    return {
      name: this.name,
      url: this.url,
      shards: this.#shards.length,
      desiredShards: this.#desired,
      pendingSamples: this.#shards.reduce((a, s) => a + s.pending, 0),
      lastError: this.#lastError,
      lastSendTime: this.#lastSendOk,
    };
  }

  async #sendBatch(batch: MetricsBatch, enc: RemoteWriteEncoder, signal: AbortSignal): Promise<void> {
    const m = this.opts.metrics;
    const L = this.#labels;
    let b = batch;
    let backoff = this.#q.min_backoff;
    for (let attempt = 0; !signal.aborted; attempt++) {
      if (attempt > 0 && this.#q.sample_age_limit > 0) b = this.#dropOld(b);
      const samples = b.length;
      const histograms = b.histograms.length;
      const exemplars = b.exemplars.length;
      if (samples + histograms + exemplars === 0) return;
      const { body } = enc.encode(b);
      const start = performance.now();
      const res: SendResult = await this.#client.send(body, this.#q.retry_on_http_429, signal);
      const took = performance.now() - start;
      if (signal.aborted) return;
      if (res.kind === "ok") {
        m.sentBatchDuration.observe(L, took / 1000);
        m.samplesTotal.inc(L, samples);
        if (histograms > 0) m.histogramsTotal.inc(L, histograms);
        if (exemplars > 0) m.exemplarsTotal.inc(L, exemplars);
        m.bytesTotal.inc(L, body.length);
        let hi = 0;
        for (let i = 0; i < samples; i++) if (b.timestamps[i]! > hi) hi = b.timestamps[i]!;
        for (const h of b.histograms) if (h.timestamp > hi) hi = h.timestamp;
        if (hi > this.#highestSent) {
          this.#highestSent = hi;
          m.highestSent.set(L, hi / 1000);
        }
        this.#out += samples + histograms + exemplars;
        this.#sendMs += took;
        this.#lastSendOk = Date.now();
        this.#lastError = "";
        return;
      }
      this.#lastError = res.message;
      if (res.kind === "failed") {
        m.samplesFailed.inc(L, samples);
        if (histograms > 0) m.histogramsFailed.inc(L, histograms);
        if (exemplars > 0) m.exemplarsFailed.inc(L, exemplars);
        this.opts.logger.error("non-recoverable error", { remote_name: this.name, url: this.url, count: samples + histograms + exemplars, exemplarCount: exemplars, err: res.message });
        return;
      }
      m.samplesRetried.inc(L, samples);
      if (histograms > 0) m.histogramsRetried.inc(L, histograms);
      if (exemplars > 0) m.exemplarsRetried.inc(L, exemplars);
      const wait = res.retryAfterMs !== undefined ? res.retryAfterMs : backoff;
      this.opts.logger.warn("Failed to send batch, retrying", { remote_name: this.name, url: this.url, err: res.message, backoff: `${wait}ms` });
      await sleep(wait, signal);
      backoff = Math.min(backoff * 2, this.#q.max_backoff);
    }
  }

  #dropOld(b: MetricsBatch): MetricsBatch {
    const limit = Date.now() - this.#q.sample_age_limit;
    const out = new MetricsBatch(Math.max(1, b.length));
    for (let i = 0; i < b.length; i++) {
      if (b.timestamps[i]! >= limit) out.copySample(b, i);
      else this.opts.metrics.samplesDropped.inc(this.#labels);
    }
    for (const h of b.histograms) {
      if (h.timestamp >= limit) out.histograms.push(h);
      else this.opts.metrics.histogramsDropped.inc(this.#labels);
    }
    out.exemplars.push(...b.exemplars.filter((e) => !e.exemplar.hasTimestamp || e.exemplar.timestamp >= limit));
    return out;
  }

  async #sendMetadata(): Promise<void> {
    const md = this.opts.endpoint.metadata_config;
    const all = [...this.#metadata.values()];
    const m = this.opts.metrics;
    const L = this.#labels;
    const enc = new RemoteWriteEncoder();
    const empty = new MetricsBatch(1);
    for (let i = 0; i < all.length && !this.#abort.signal.aborted; i += md.max_samples_per_send) {
      const chunk = all.slice(i, i + md.max_samples_per_send);
      const { body } = enc.encode(empty, chunk);
      let backoff = this.#q.min_backoff;
      for (;;) {
        const res = await this.#client.send(body, this.#q.retry_on_http_429, this.#abort.signal);
        if (this.#abort.signal.aborted) return;
        if (res.kind === "ok") {
          m.metadataTotal.inc(L, chunk.length);
          m.metadataBytesTotal.inc(L, body.length);
          break;
        }
        if (res.kind === "failed") {
          m.metadataFailed.inc(L, chunk.length);
          this.opts.logger.error("non-recoverable error while sending metadata", { remote_name: this.name, url: this.url, count: chunk.length, err: res.message });
          break;
        }
        m.metadataRetried.inc(L, chunk.length);
        await sleep(res.retryAfterMs ?? backoff, this.#abort.signal);
        backoff = Math.min(backoff * 2, this.#q.max_backoff);
      }
    }
  }

  #updatePendingGauges(): void {
    let n = 0;
    for (const s of this.#shards) n += s.pending;
    this.opts.metrics.samplesPending.set(this.#labels, n);
  }

  /** Prometheus's calculateDesiredShards, on rates smoothed over the update interval. */
  #updateShardsDesired(intervalMs: number): void {
    const secs = intervalMs / 1000;
    const incoming = this.opts.incoming();
    if (this.#lastIncoming < 0) this.#lastIncoming = incoming.samples;
    this.#inRate.update((incoming.samples - this.#lastIncoming) / secs);
    this.#lastIncoming = incoming.samples;
    this.#outRate.update(this.#out / secs);
    this.#durRate.update(this.#sendMs / 1000 / secs);
    this.#out = 0;
    this.#sendMs = 0;
    const inRate = this.#inRate.value;
    const outRate = this.#outRate.value;
    const current = this.#shards.length;
    if (outRate <= 0) return;
    const timePerSample = this.#durRate.value / outRate;
    const delaySecs = Math.max(0, (incoming.highestTimestamp - this.#highestSent) / 1000);
    const backlog = inRate * delaySecs;
    let desired = timePerSample * (inRate + 0.05 * backlog);
    const lower = current * 0.7;
    const upper = current * 1.3;
    if (desired > lower && desired < upper) desired = current;
    let n = Math.ceil(desired);
    n = Math.max(this.#q.min_shards, Math.min(this.#q.max_shards, n));
    this.#desired = n;
    this.opts.metrics.shardsDesired.set(this.#labels, n);
    // Do not reshard while sends are failing: it would not help and waits on a drain.
    if (n === current || Date.now() - this.#lastSendOk > 2 * this.#q.batch_send_deadline + intervalMs) return;
    this.#reshardTo = n;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    for (const t of this.#timers) clearInterval(t);
    await Promise.all(this.#shards.map((s) => s.stop()));
    await this.#progress.save().catch((e) => this.#logSaveError(e));
    this.#progress.close();
  }

  get stopped(): boolean {
    return this.#stopped;
  }
}

/** Exponentially weighted moving average with Prometheus's weight 0.2. */
class Ewma {
  value = 0;
  #init = false;
  update(x: number): void {
    if (!this.#init) {
      this.value = x;
      this.#init = true;
    } else this.value += 0.2 * (x - this.value);
  }
}
