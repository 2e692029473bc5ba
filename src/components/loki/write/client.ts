// One loki.write endpoint: entries are grouped into a batch per tenant; a batch
// is sent when it reaches batch_size or is batch_wait old, one request at a time
// (so order is kept), as snappy-compressed protobuf. 5xx, network errors and 429
// (retry_on_http_429) are retried with dskit's jittered exponential backoff up to
// max_backoff_retries (0 = forever); other 4xx drop the batch. Entries waiting
// to be sent are bounded by queue_config.capacity: beyond it `add` returns a
// promise (block_on_overflow) so producers slow down, or drops (queue_full).

import type { Entry, LabelSet } from "../../../telemetry/loki/entry.ts";
import { newLabelSet } from "../../../telemetry/loki/entry.ts";
import { formatLabels, streamKey } from "../../../telemetry/loki/labels.ts";
import { snappy } from "../../../telemetry/loki/snappy.ts";
import type { Logger } from "../../../runtime/logger.ts";
import { HTTPClient } from "../../common/http_client/client.ts";
import type { EndpointArgs } from "./arguments.ts";
import { BufferPool, PushBatch } from "./batch.ts";
import type { DropReason, WriteMetrics } from "./metrics.ts";
import type { WriteAheadLog } from "./wal.ts";

export const TENANT_LABEL = "__tenant_id__";

interface Keyed {
  key: string;
  tenant: string | undefined;
}

export interface ClientOptions {
  maxStreams: number;
  logger: Logger;
  fetch: typeof fetch;
  metrics: WriteMetrics;
  /** When the `wal` block is enabled: entries are logged before they are accepted. */
  wal?: WriteAheadLog;
}

/** dskit backoff: the n-th wait is uniformly in [min·2ⁿ, min·2ⁿ⁺¹), both capped at max. */
export class Backoff {
  private lo: number;
  private hi: number;
  retries = 0;
  constructor(private readonly min: number, private readonly max: number, private readonly maxRetries: number) {
    this.lo = min;
    this.hi = Math.min(min * 2, max);
  }
  nextDelay(): number {
    this.retries++;
    const d = this.lo >= this.hi ? this.lo : this.lo + Math.random() * (this.hi - this.lo);
    if (this.hi < this.max) {
      this.lo = Math.min(this.lo * 2, this.max);
      this.hi = Math.min(this.hi * 2, this.max);
    }
    return d;
  }
  get ongoing(): boolean {
    return this.maxRetries <= 0 || this.retries < this.maxRetries;
  }
}

export class EndpointClient {
  readonly host: string;
  private readonly http: HTTPClient;
  private readonly building = new Map<string, PushBatch>();
  private readonly ready: PushBatch[] = [];
  private queuedBytes = 0;
  private readonly roomWaiters: Array<() => void> = [];
  private wake: (() => void) | undefined;
  private readonly stopping = new AbortController();
  private readonly keys = new WeakMap<LabelSet, Keyed>();
  private readonly pool = new BufferPool();
  private readonly loop: Promise<void>;
  private draining = false;

  constructor(readonly cfg: EndpointArgs, private readonly opts: ClientOptions) {
    this.host = new URL(cfg.url).host;
    this.http = new HTTPClient(cfg, opts.fetch);
    const wal = opts.wal;
    if (wal) {
      const replayed = wal.replay((err) => opts.logger.warn("skipping unreadable WAL record", { err }));
      if (replayed.length > 0) {
        opts.logger.info("replaying entries from the WAL", { host: this.host, entries: replayed.length });
        void this.enqueue(replayed, wal.committedOffset);
      }
    }
    this.loop = this.sendLoop();
  }

  /** Stream key (the label text without `__tenant_id__`) and the tenant it named; cached per label object. */
  private keyed(labels: LabelSet): Keyed {
    let k = this.keys.get(labels);
    if (k === undefined) {
      const tenant = labels[TENANT_LABEL];
      let key: string;
      if (tenant === undefined) key = streamKey(labels);
      else {
        const ls = newLabelSet(labels);
        delete ls[TENANT_LABEL];
        key = formatLabels(ls);
      }
      k = { key, tenant };
      this.keys.set(labels, k);
    }
    return k;
  }

  add(entries: readonly Entry[]): void | Promise<void> {
    const walStart = this.opts.wal && entries.length > 0 ? this.opts.wal.append(entries) : Number.POSITIVE_INFINITY;
    return this.enqueue(entries, walStart);
  }

  private enqueue(entries: readonly Entry[], walStart: number): void | Promise<void> {
    const { capacity, block_on_overflow: blockOnOverflow } = this.cfg.queue_config;
    const batchSize = this.cfg.batch_size;
    const maxStreams = this.opts.maxStreams;
    // Entries come in runs of one label set and tenant: their key and batch are looked up once per run.
    let labels: LabelSet | undefined;
    let k: Keyed = { key: "", tenant: undefined };
    let tenant: string | undefined;
    let b: PushBatch | undefined;
    for (const e of entries) {
      if (e.labels !== labels) {
        labels = e.labels;
        k = this.keyed(labels);
      }
      const t = k.tenant ?? this.cfg.tenant_id;
      if (t !== tenant) {
        tenant = t;
        b = this.building.get(t);
      }
      const size = PushBatch.sizeOf(e);
      if (!blockOnOverflow && capacity > 0 && this.queuedBytes + size > capacity) {
        this.opts.metrics.dropped(this.host, t, "queue_full", 1, size);
        continue;
      }
      if (b !== undefined && b.entries > 0 && b.bytes + size > batchSize) {
        this.ready.push(b);
        b = undefined;
      }
      if (b === undefined) {
        b = new PushBatch(t, this.pool);
        this.building.set(t, b);
      }
      if (maxStreams > 0 && !b.hasStream(k.key) && b.streamCount >= maxStreams) {
        this.opts.metrics.dropped(this.host, t, "stream_limited", 1, size);
        continue;
      }
      b.add(k.key, e, size);
      if (walStart < b.walStart) b.walStart = walStart;
      this.queuedBytes += size;
    }
    this.notify();
    if (capacity > 0 && this.queuedBytes > capacity && blockOnOverflow) {
      return new Promise((resolve) => this.roomWaiters.push(resolve));
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The next batch due: a full one, else the oldest past batch_wait (any, when draining). */
  private nextDue(now: number): PushBatch | number | undefined {
    const b = this.ready.shift();
    if (b !== undefined) return b;
    let oldest: PushBatch | undefined;
    for (const cand of this.building.values()) if (oldest === undefined || cand.createdAt < oldest.createdAt) oldest = cand;
    if (oldest === undefined) return undefined;
    const due = oldest.createdAt + this.cfg.batch_wait;
    if (!this.draining && due > now) return due - now;
    this.building.delete(oldest.tenant);
    return oldest;
  }

  private async sendLoop(): Promise<void> {
    for (;;) {
      const next = this.nextDue(performance.now());
      if (next instanceof PushBatch) {
        // Sent from a call of its own, so this suspended frame does not keep the batch alive.
        await this.sendAndRelease(next);
        continue;
      }
      if (next === undefined && this.draining) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (next !== undefined) setTimeout(() => this.notify(), Math.max(1, next));
      });
    }
  }

  private async sendAndRelease(batch: PushBatch): Promise<void> {
    const settled = await this.send(batch);
    this.queuedBytes -= batch.bytes;
    if (settled && this.opts.wal) this.commitWal(this.opts.wal);
    const capacity = this.cfg.queue_config.capacity;
    if (capacity <= 0 || this.queuedBytes <= capacity) for (const w of this.roomWaiters.splice(0)) w();
  }

  /** Everything before the oldest batch still waiting is done with. */
  private commitWal(wal: WriteAheadLog): void {
    let oldest = wal.size;
    for (const b of this.ready) oldest = Math.min(oldest, b.walStart);
    for (const b of this.building.values()) oldest = Math.min(oldest, b.walStart);
    try {
      wal.commit(oldest);
    } catch (e) {
      this.opts.logger.error("cannot record WAL progress", { err: (e as Error).message });
    }
  }

  /** Sends with retries; false when given up because the client is stopping (the batch stays in the WAL). */
  private async send(b: PushBatch): Promise<boolean> {
    const t = b.tenant;
    const m = this.opts.metrics;
    const body = b.encodeCompressed(snappy.compress);
    m.encodedBytes.inc({ host: this.host, tenant: t }, body.length);
    m.requestSize.observe({ host: this.host, tenant: t }, body.length);
    const backoff = new Backoff(this.cfg.min_backoff_period, this.cfg.max_backoff_period, this.cfg.max_backoff_retries);
    let reason: DropReason = "ingester_error";
    for (;;) {
      const { status, error } = await this.post(body, t);
      if (status >= 200 && status < 300) {
        m.sentBytes.inc({ host: this.host, tenant: t }, body.length);
        m.sentEntries.inc({ host: this.host, tenant: t }, b.entries);
        return true;
      }
      if (this.stopping.signal.aborted && this.opts.wal) return false;
      const retryable = status === 0 || status >= 500 || (status === 429 && this.cfg.retry_on_http_429);
      reason = status === 429 ? "rate_limited" : "ingester_error";
      this.opts.logger.warn("error sending batch, will retry", { status, tenant: t, host: this.host, error: error ?? "" });
      if (!retryable) break;
      m.batchRetries.inc({ host: this.host, tenant: t });
      if (!backoff.ongoing) break;
      if (!(await this.sleep(backoff.nextDelay()))) {
        if (this.opts.wal) return false;
        break;
      }
    }
    this.opts.logger.error("final error sending batch", { tenant: t, host: this.host, entries: b.entries, reason });
    m.dropped(this.host, t, reason, b.entries, b.bytes);
    return true;
  }

  private async post(body: Uint8Array, tenant: string): Promise<{ status: number; error?: string }> {
    const headers: Record<string, string> = { ...this.cfg.headers, "Content-Type": "application/x-protobuf" };
    if (tenant !== "") headers["X-Scope-OrgID"] = tenant;
    const start = performance.now();
    const timeout = AbortSignal.timeout(Math.max(1, this.cfg.remote_timeout));
    let status = 0;
    let error: string | undefined;
    try {
      const res = await this.http.request(this.cfg.url, {
        method: "POST",
        headers,
        // fetch takes bytes; ClientRequest's body is typed as text only.
        body,
        signal: AbortSignal.any([timeout, this.stopping.signal]),
      });
      status = res.status;
      if (status < 200 || status >= 300) error = (await res.text().catch(() => "")).slice(0, 1024).trim();
      else await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.opts.metrics.requestDuration.observe({ status_code: String(status), host: this.host, tenant }, (performance.now() - start) / 1000);
    return { status, error };
  }

  /** Waits; false when the client was stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    const sig = this.stopping.signal;
    if (sig.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => (sig.removeEventListener("abort", onAbort), resolve(true)), ms);
      const onAbort = () => (clearTimeout(t), resolve(false));
      sig.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Sends what is queued (up to `drainMs`), then stops; anything left is dropped and counted. */
  async stop(drainMs: number): Promise<void> {
    this.draining = true;
    this.notify();
    const timer = setTimeout(() => this.stopping.abort(), Math.max(0, drainMs));
    await this.loop;
    clearTimeout(timer);
    this.opts.wal?.close();
    for (const w of this.roomWaiters.splice(0)) w();
  }
}
