import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { Registry } from "prom-client";
import { WalMetrics } from "../../../src/components/prometheus/remote_write/metrics.ts";
import type { QueueManager } from "../../../src/components/prometheus/remote_write/queue.ts";
import { WalStorage } from "../../../src/components/prometheus/remote_write/storage.ts";
import { WalWatcher } from "../../../src/components/prometheus/remote_write/watcher.ts";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { tempDir, waitFor } from "../../runtime/helpers.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A queue that records the metric names of the samples it is handed. */
function recordingQueue(got: string[]): QueueManager {
  const q = {
    name: "q",
    stopped: false,
    prepareSeries: (l: Labels) => l,
    enqueueSample: (s: Labels) => void got.push(s.metricName()),
    dropped: () => {},
    recordDone: () => {},
    betweenRecords: async () => {},
    setMetadata: () => {},
  };
  return q as unknown as QueueManager;
}

function batchOf(t: number, ...names: string[]): MetricsBatch {
  const b = new MetricsBatch();
  for (const n of names) b.appendSample(Labels.fromStrings("__name__", n, "job", "j"), t, 1);
  return b;
}

test("the watcher forgets the series a WAL truncation dropped and keeps reading the others", async () => {
  const dir = tempDir("alloy-rw-watcher-");
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const metrics = new WalMetrics(new Registry());
  const storage = await WalStorage.open(dir, metrics, discardLogger());
  cleanup.push(() => storage.close());
  const got: string[] = [];
  const watcher = new WalWatcher(storage.wal.dir, recordingQueue(got), metrics, discardLogger(), () => {}, (ref) => storage.labelsOf(ref));
  watcher.start();
  cleanup.push(() => watcher.stop());

  const now = Date.now();
  await storage.append(batchOf(1000, "old_a", "old_b", "old_c"));
  await storage.append(batchOf(now, "live"));
  watcher.notify();
  await waitFor(() => got.length === 4, 5000, "every sample read");
  expect(watcher.seriesCount).toBe(4);

  const res = await storage.truncate(now - 1000, Number.MAX_SAFE_INTEGER);
  expect(res?.seriesRemoved).toBe(3);
  expect(watcher.pruneSeries((ref) => storage.labelsOf(ref) !== undefined)).toBe(3);
  expect(watcher.seriesCount).toBe(1);

  // The kept series and a new one are still sent after the prune.
  await storage.append(batchOf(now + 1, "live", "fresh"));
  watcher.notify();
  await waitFor(() => got.length === 6, 5000, "samples after the prune");
  expect(got.slice(4).sort()).toEqual(["fresh", "live"]);
  expect(watcher.seriesCount).toBe(2);
});
