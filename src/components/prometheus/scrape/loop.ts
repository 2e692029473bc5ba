// One target's scrape loop: scrape at a stable offset within the interval, append
// the samples and the report series (up, scrape_duration_seconds, ...) in one
// batch, and write staleness markers when series or the target go away.

import { appendFileSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import { gunzipSync } from "node:zlib";
import type { Logger } from "../../../runtime/logger.ts";
import { formatDuration } from "../../../syntax/duration.ts";
import { concatBytes } from "../../../telemetry/concat_bytes.ts";
import type { MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import type { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import type { Labels } from "../../../telemetry/prometheus/labels.ts";
import {
  acceptEncodingHeader,
  acceptHeader,
  chooseFormat,
  type ExpositionFormat,
} from "../../../telemetry/prometheus/textparse/negotiation.ts";
import type { HTTPClient } from "../../common/http_client/client.ts";
import { appendScrape, reportLabels, SeriesCache, type AppendResult } from "./append.ts";
import type { ScrapeConfig } from "./arguments.ts";
import type { ScrapeMetrics } from "./metrics.ts";
import type { ScrapeTarget } from "./target.ts";

export type TargetHealth = "up" | "down" | "unknown";

/** Samples within this many ms of the scheduled time get the scheduled time (Prometheus's ScrapeTimestampTolerance). */
const TIMESTAMP_TOLERANCE_MS = 2;

const BODY_SIZE_LIMIT_ERROR = "body size limit exceeded";

const REPORT_NAMES = [
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
] as const;
const EXTRA_REPORT_NAMES = ["scrape_timeout_seconds", "scrape_sample_limit", "scrape_body_size_bytes"] as const;

export interface ScrapeLoopDeps {
  client: HTTPClient;
  receiver: MetricsReceiver;
  logger: Logger;
  metrics: ScrapeMetrics;
  /** Aborted when the component stops: pending end-of-run staleness markers are then not written. */
  parentSignal: AbortSignal;
}

/** What a later loop for the same target takes over on a config reload. */
export interface LoopState {
  cache: SeriesCache;
  /** Report series appended by the last scrape (for their staleness markers). */
  reported: Labels[];
  lastScrapeTime: number;
}

class BodyError extends Error {}

export class ScrapeLoop {
  health: TargetHealth = "unknown";
  lastError = "";
  /** Wall-clock ms of the last scrape start; 0 before the first. */
  lastScrape = 0;
  lastScrapeDurationMs = 0;
  /** Set by the pool when target_limit is exceeded: scrapes are reported as failed with this error. */
  forcedError: string | undefined;

  private state: LoopState;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly report: Labels[];
  private readonly accept: string;
  /** When the next scrape is due (wall-clock ms). */
  private nextTick = 0;

  constructor(
    readonly target: ScrapeTarget,
    readonly cfg: ScrapeConfig,
    private readonly deps: ScrapeLoopDeps,
    state?: LoopState,
  ) {
    this.state = state ?? { cache: new SeriesCache(), reported: [], lastScrapeTime: 0 };
    const names: readonly string[] = cfg.extraMetrics ? [...REPORT_NAMES, ...EXTRA_REPORT_NAMES] : REPORT_NAMES;
    this.report = names.map((n) => reportLabels(n, target.publicLabels));
    this.accept = acceptHeader(cfg.protocols, cfg.escaping);
  }

  /** Starts scraping at this target's offset within the interval. */
  start(): void {
    const interval = this.target.intervalMs;
    const first = this.target.offsetMs();
    this.nextTick = Date.now() + first;
    const tick = (): void => {
      if (this.stopped) return;
      const scheduled = this.nextTick;
      this.nextTick += interval;
      // Skip missed slots (a long pause) rather than scraping in a burst.
      while (this.nextTick <= Date.now()) this.nextTick += interval;
      this.running = this.scrapeOnce(scheduled).catch((err: unknown) => {
        this.deps.logger.error("scrape loop failed", { target: this.target.url, err: String(err) });
      });
      this.timer = setTimeout(tick, this.nextTick - Date.now());
    };
    this.timer = setTimeout(tick, first);
  }

  /** What a replacement loop (config reload) inherits. */
  handOver(): LoopState {
    return this.state;
  }

  /**
   * Stops the loop. With `staleness` (the target went away), every series of the
   * last scrape and the report series get staleness markers, written in the
   * background as Prometheus's endOfRunStaleness does: stamped with the time the
   * next scrape would have been, after waiting just over two intervals in case the
   * target comes back, and not at all if the component stops meanwhile.
   */
  async stop(staleness: boolean): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
    if (staleness && this.state.lastScrapeTime !== 0) void this.endOfRunStaleness();
  }

  private async endOfRunStaleness(): Promise<void> {
    const interval = this.target.intervalMs;
    const staleTime = Math.max(this.nextTick, this.state.lastScrapeTime + 1);
    const writeAt = staleTime + interval + interval / 10;
    const parent = this.deps.parentSignal;
    const cancelled = await new Promise<boolean>((resolve) => {
      if (parent.aborted) return resolve(true);
      const onAbort = () => {
        clearTimeout(t);
        resolve(true);
      };
      const t = setTimeout(() => {
        parent.removeEventListener("abort", onAbort);
        resolve(false);
      }, Math.max(0, writeAt - Date.now()));
      parent.addEventListener("abort", onAbort, { once: true });
    });
    if (cancelled) return;
    const { batch } = appendScrape(undefined, undefined, this.target.publicLabels, this.cfg, this.state.cache, staleTime);
    for (const l of this.state.reported) batch.appendStaleMarker(l, staleTime);
    this.state.reported = [];
    try {
      await this.deps.receiver.appendBatch(batch);
    } catch (err) {
      this.deps.logger.warn("appending staleness markers failed", { target: this.target.url, err: String(err) });
    }
  }

  /** One scrape, its append and its report, handed to the receiver as one batch. */
  async scrapeOnce(scheduled = Date.now()): Promise<void> {
    const start = Date.now();
    const appendTime = Math.abs(start - scheduled) <= TIMESTAMP_TOLERANCE_MS ? scheduled : start;
    if (this.lastScrape !== 0) {
      this.deps.metrics.intervalLength.observe({ interval: formatDuration(this.target.intervalMs) }, (start - this.lastScrape) / 1000);
    }
    let scrapeErr: string | undefined = this.forcedError;
    let body: Uint8Array | undefined;
    let format: ExpositionFormat | undefined;
    let formatErr: string | undefined;
    let bytesRead = 0;
    if (scrapeErr === undefined) {
      try {
        const r = await this.fetchBody();
        body = r.body;
        bytesRead = body.length;
        // Choosing the parser belongs to the append step, as in Prometheus: a bad Content-Type is not a failed scrape request.
        const choice = chooseFormat(r.contentType, this.cfg.fallbackProtocol);
        if (choice.warning) this.deps.logger.debug(choice.warning, { target: this.target.url });
        if (choice.error) {
          formatErr = choice.error;
          body = undefined;
        } else format = choice.format;
      } catch (err) {
        scrapeErr = err instanceof Error ? err.message : String(err);
        body = undefined;
        if (scrapeErr === BODY_SIZE_LIMIT_ERROR) {
          bytesRead = -1;
          this.deps.metrics.exceededBodySizeLimit.inc();
        }
        this.deps.logger.debug("scrape failed", { target: this.target.url, err: scrapeErr });
        this.logFailure(scrapeErr);
      }
    }
    if (this.stopped && this.abort.signal.aborted && scrapeErr !== undefined) return;
    const { batch, result } = appendScrape(body, format, this.target.publicLabels, this.cfg, this.state.cache, appendTime);
    if (formatErr !== undefined) result.error ??= formatErr;
    if (result.error !== undefined) {
      this.deps.logger.debug("append failed", { target: this.target.url, err: result.error });
      if (result.limit === "sample") this.deps.metrics.exceededSampleLimit.inc();
      if (result.limit === "label") this.deps.metrics.exceededLabelLimits.inc();
      if (result.limit === "bucket") this.deps.metrics.exceededBucketLimit.inc();
    }
    if (result.duplicates > 0) {
      this.deps.metrics.duplicateTimestamp.inc(result.duplicates);
      this.deps.logger.warn("error on ingesting samples with different value but same timestamp", { num_dropped: result.duplicates });
    }
    scrapeErr ??= result.error;
    const duration = Date.now() - start;
    this.appendReport(batch, appendTime, duration, result, bytesRead, scrapeErr);
    this.state.lastScrapeTime = appendTime;
    this.lastScrape = start;
    this.lastScrapeDurationMs = duration;
    this.health = scrapeErr === undefined ? "up" : "down";
    this.lastError = scrapeErr ?? "";
    try {
      await this.deps.receiver.appendBatch(batch);
    } catch (err) {
      this.deps.logger.warn("append failed", { target: this.target.url, err: err instanceof Error ? err.message : String(err) });
    }
  }

  private appendReport(batch: MetricsBatch, t: number, durationMs: number, r: AppendResult, bytesRead: number, err: string | undefined): void {
    const values = [err === undefined ? 1 : 0, durationMs / 1000, r.total, r.added, r.seriesAdded];
    if (this.cfg.extraMetrics) values.push(this.target.timeoutMs / 1000, this.cfg.sampleLimit, bytesRead);
    for (let i = 0; i < this.report.length; i++) batch.appendSample(this.report[i]!, t, values[i]!);
    this.state.reported = this.report;
  }

  private async fetchBody(): Promise<{ body: Uint8Array; contentType: string | null }> {
    const url = this.target.url;
    const timeout = AbortSignal.timeout(this.target.timeoutMs);
    const signal = AbortSignal.any([timeout, this.abort.signal]);
    let res: Response;
    try {
      res = await this.deps.client.request(url, {
        headers: {
          Accept: this.accept,
          "Accept-Encoding": acceptEncodingHeader(this.cfg.enableCompression),
          "X-Prometheus-Scrape-Timeout-Seconds": String(this.target.timeoutMs / 1000),
        },
        signal,
        decompress: false,
      });
    } catch (err) {
      if (timeout.aborted) throw new Error(`Get ${JSON.stringify(url)}: context deadline exceeded`);
      throw new Error(`Get ${JSON.stringify(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`server returned HTTP status ${res.status} ${res.statusText || STATUS_CODES[res.status] || ""}`.trimEnd());
    }
    const limit = this.cfg.bodySizeLimit;
    let raw: Uint8Array;
    try {
      raw = await readLimited(res, res.headers.get("Content-Encoding") === "gzip" ? 0 : limit);
    } catch (err) {
      if (err instanceof BodyError) throw new Error(BODY_SIZE_LIMIT_ERROR);
      if (timeout.aborted) throw new Error(`Get ${JSON.stringify(url)}: context deadline exceeded`);
      throw err;
    }
    let body = raw;
    if (res.headers.get("Content-Encoding") === "gzip") {
      try {
        body = limit > 0 ? gunzipSync(raw, { maxOutputLength: limit + 1 }) : gunzipSync(raw);
      } catch (err) {
        if (err instanceof RangeError || (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new Error(BODY_SIZE_LIMIT_ERROR);
        throw new Error(`gzip: invalid header`);
      }
      if (limit > 0 && body.length > limit) throw new Error(BODY_SIZE_LIMIT_ERROR);
    }
    return { body, contentType: res.headers.get("Content-Type") };
  }

  private logFailure(err: string): void {
    const file = this.cfg.failureLogFile;
    if (!file) return;
    try {
      // slog's JSON shape, as Prometheus's scrape failure logger writes it.
      appendFileSync(file, JSON.stringify({ time: new Date().toISOString(), level: "ERROR", msg: err, target: this.target.url }) + "\n");
    } catch (e) {
      this.deps.logger.warn("writing scrape failure log failed", { file, err: String(e) });
    }
  }
}

async function readLimited(res: Response, limit: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (limit > 0 && size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyError();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, size);
}
