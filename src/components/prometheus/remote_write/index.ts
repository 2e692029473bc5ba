// prometheus.remote_write: exports a `receiver` that writes every batch to a WAL
// under the component's data directory (the batch is accepted once durable), and
// per `endpoint` a queue that reads the WAL and sends it with remote write 1.0. Data
// accepted before a crash or during an outage of the endpoint is sent afterwards
// (at least once). The WAL is checkpointed and truncated every truncate_frequency,
// never past what a queue has not finished (unless stuck for max_keepalive_time).

import { join } from "node:path";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import type { MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import type { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import { truncationMinTime } from "../../../telemetry/prometheus/wal/truncation.ts";
import { Arguments, Exports, type Args, type EndpointArgs } from "./arguments.ts";
import { RemoteStorageMetrics, WalMetrics } from "./metrics.ts";
import { comparePositions, type WalPosition } from "./progress.ts";
import { QueueManager, remoteName } from "./queue.ts";
import { WalStorage } from "./storage.ts";
import { WalWatcher } from "./watcher.ts";

type Ctx = ComponentContext<{ receiver: MetricsReceiver }>;

interface Endpoint {
  key: string;
  queue: QueueManager;
  watcher: WalWatcher;
  lowest: WalPosition;
  lowestSince: number;
}

/** Internal knobs for tests; not component arguments. */
export interface RemoteWriteTuning {
  shardUpdateIntervalMs?: number;
}
export const tuning: RemoteWriteTuning = {};

export class RemoteWrite implements ComponentInstance<Args>, MetricsReceiver {
  #endpoints = new Map<string, Endpoint>();
  #args: Args;
  #rsMetrics: RemoteStorageMetrics;
  #walMetrics: WalMetrics;
  #updating: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  #samplesIn = 0;

  private constructor(
    private readonly ctx: Ctx,
    args: Args,
    private readonly storage: WalStorage,
    rs: RemoteStorageMetrics,
    wm: WalMetrics,
  ) {
    this.#args = args;
    this.#rsMetrics = rs;
    this.#walMetrics = wm;
  }

  static async create(ctx: Ctx, args: Args): Promise<RemoteWrite> {
    const rs = new RemoteStorageMetrics(ctx.registry);
    const wm = new WalMetrics(ctx.registry);
    const storage = await WalStorage.open(join(ctx.dataDir, "wal"), wm, ctx.logger);
    const rw = new RemoteWrite(ctx, args, storage, rs, wm);
    await rw.#applyEndpoints(args);
    ctx.publish({ receiver: rw });
    return rw;
  }

  async appendBatch(batch: MetricsBatch): Promise<void> {
    const m = this.#rsMetrics;
    await this.storage.append(batch);
    m.samplesIn.inc(batch.length);
    this.#samplesIn += batch.totalCount;
    if (batch.histograms.length > 0) m.histogramsIn.inc(batch.histograms.length);
    if (batch.exemplars.length > 0) m.exemplarsIn.inc(batch.exemplars.length);
    m.highestTimestamp.set(this.storage.highestTimestamp / 1000);
    for (const e of this.#endpoints.values()) e.watcher.notify();
  }

  update(args: Args): Promise<void> {
    this.#args = args;
    this.#updating = this.#updating.then(() => this.#applyEndpoints(args));
    this.#wake?.();
    return this.#updating;
  }

  /** Starts new endpoints, stops removed ones and restarts changed ones; their progress is kept on disk. */
  async #applyEndpoints(args: Args): Promise<void> {
    const wanted = new Map<string, EndpointArgs>();
    for (const e of args.endpoint) wanted.set(remoteName(e), e);
    for (const [name, ep] of this.#endpoints) {
      const next = wanted.get(name);
      if (next !== undefined && endpointKey(next, args) === ep.key) continue;
      await ep.watcher.stop();
      await ep.queue.stop();
      this.#endpoints.delete(name);
      if (next === undefined) this.#rsMetrics.removeQueue({ remote_name: name, url: ep.queue.url });
    }
    for (const [name, e] of wanted) {
      if (this.#endpoints.has(name)) continue;
      const queue = new QueueManager({
        endpoint: e,
        externalLabels: args.external_labels,
        metrics: this.#rsMetrics,
        logger: this.ctx.logger,
        fetch: this.ctx.fetch,
        dataDir: this.ctx.dataDir,
        shardUpdateIntervalMs: tuning.shardUpdateIntervalMs,
        incoming: () => ({ samples: this.#samplesIn, highestTimestamp: this.storage.highestTimestamp }),
      });
      await queue.start();
      const watcher = new WalWatcher(
        this.storage.wal.dir,
        queue,
        this.#walMetrics,
        this.ctx.logger,
        (c) => this.ctx.logger.warn("WAL watcher skipped damaged records", { remote_name: queue.name, file: c.file, offset: c.offset, length: c.length, reason: c.reason }),
        (ref) => this.storage.labelsOf(ref),
        () => `${this.storage.wal.currentSegment}/${this.storage.wal.sizeBytes}`,
      );
      watcher.start();
      this.#endpoints.set(name, { key: endpointKey(e, args), queue, watcher, lowest: queue.lowestDone(), lowestSince: Date.now() });
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    let last = Date.now();
    while (!signal.aborted) {
      const freq = this.#args.wal.truncate_frequency;
      const wait = Math.max(0, last + freq - Date.now());
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(wait, 2 ** 31 - 1));
        this.#wake = () => (clearTimeout(t), r());
        signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
      });
      this.#wake = undefined;
      if (signal.aborted) break;
      if (Date.now() - last < this.#args.wal.truncate_frequency) continue;
      last = Date.now();
      await this.truncate().catch((e) => this.ctx.logger.error("could not truncate WAL", { err: e instanceof Error ? e.message : String(e) }));
    }
  }

  /** One truncation round: checkpoint what every queue has finished. */
  async truncate(): Promise<void> {
    const w = this.#args.wal;
    const now = Date.now();
    let lowestSent = Number.POSITIVE_INFINITY;
    let keepFrom = Number.POSITIVE_INFINITY;
    for (const ep of this.#endpoints.values()) {
      const low = ep.queue.lowestDone();
      if (comparePositions(low, ep.lowest) !== 0) {
        ep.lowest = low;
        ep.lowestSince = now;
      }
      // A queue stuck longer than max_keepalive_time no longer holds the WAL back.
      if (now - ep.lowestSince > w.max_keepalive_time) continue;
      // An idle queue has finished everything its watcher read, i.e. all segments before the one it reads.
      const watched = ep.watcher.segment;
      keepFrom = Math.min(keepFrom, ep.queue.idle() && watched >= 0 ? Math.max(watched, low.segment) : low.segment);
      lowestSent = Math.min(lowestSent, ep.queue.highestSentTimestamp);
    }
    if (lowestSent === Number.POSITIVE_INFINITY) lowestSent = now;
    const minTime = truncationMinTime(lowestSent, now, {
      truncateFrequencyMs: w.truncate_frequency,
      minKeepaliveMs: w.min_keepalive_time,
      maxKeepaliveMs: w.max_keepalive_time,
    });
    const res = await this.storage.truncate(minTime, keepFrom === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : keepFrom);
    if (res === undefined) return;
    this.ctx.logger.debug("WAL truncated", { checkpoint: res.checkpointedUpTo, series_removed: res.seriesRemoved });
    if (res.seriesRemoved === 0) return;
    const storage = this.storage;
    for (const ep of this.#endpoints.values()) ep.watcher.pruneSeries((ref) => storage.labelsOf(ref) !== undefined);
  }

  async stop(): Promise<void> {
    await this.#updating;
    for (const ep of this.#endpoints.values()) {
      await ep.watcher.stop();
      await ep.queue.stop();
    }
    this.#endpoints.clear();
    await this.storage.close();
  }

  debugInfo(): unknown {
    return {
      active_series: this.storage.activeSeries,
      endpoints: [...this.#endpoints.values()].map((ep) => {
        const s = ep.queue.status();
        return {
          name: s.name,
          url: s.url,
          shards: s.shards,
          desired_shards: s.desiredShards,
          pending_samples: s.pendingSamples,
          last_error: s.lastError,
        };
      }),
    };
  }
}

function endpointKey(e: EndpointArgs, args: Args): string {
  return JSON.stringify([e, args.external_labels]);
}

export default defineComponent({
  name: "prometheus.remote_write",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => RemoteWrite.create(ctx, args),
});
