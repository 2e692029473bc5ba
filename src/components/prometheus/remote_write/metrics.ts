// Self-metrics of prometheus.remote_write, with the names Prometheus's remote
// storage (storage/remote/queue_manager.go, write.go) and Alloy's WAL storage use.
// Per-queue series carry `remote_name` and `url`; the registry adds component labels.

import { Counter, Gauge, Histogram, type Registry } from "prom-client";

const QUEUE_LABELS = ["remote_name", "url"] as const;

const counter = (registers: Registry[], name: string, help: string) => new Counter({ name, help, labelNames: QUEUE_LABELS, registers });
const gauge = (registers: Registry[], name: string, help: string) => new Gauge({ name, help, labelNames: QUEUE_LABELS, registers });

/** Metrics shared by every queue of one component; each queue takes its child series. */
export class RemoteStorageMetrics {
  readonly samplesTotal: Counter;
  readonly exemplarsTotal: Counter;
  readonly histogramsTotal: Counter;
  readonly metadataTotal: Counter;
  readonly samplesFailed: Counter;
  readonly exemplarsFailed: Counter;
  readonly histogramsFailed: Counter;
  readonly metadataFailed: Counter;
  readonly samplesRetried: Counter;
  readonly exemplarsRetried: Counter;
  readonly histogramsRetried: Counter;
  readonly metadataRetried: Counter;
  readonly samplesDropped: Counter;
  readonly exemplarsDropped: Counter;
  readonly histogramsDropped: Counter;
  readonly enqueueRetries: Counter;
  readonly samplesPending: Gauge;
  readonly exemplarsPending: Gauge;
  readonly histogramsPending: Gauge;
  readonly shards: Gauge;
  readonly shardsMax: Gauge;
  readonly shardsMin: Gauge;
  readonly shardsDesired: Gauge;
  readonly shardCapacity: Gauge;
  readonly maxSamplesPerSend: Gauge;
  readonly bytesTotal: Counter;
  readonly metadataBytesTotal: Counter;
  readonly highestSent: Gauge;
  readonly sentBatchDuration: Histogram;
  readonly highestTimestamp: Gauge;
  readonly samplesIn: Counter;
  readonly exemplarsIn: Counter;
  readonly histogramsIn: Counter;

  constructor(registry: Registry) {
    const r = [registry];
    const p = "prometheus_remote_storage_";
    this.samplesTotal = counter(r, `${p}samples_total`, "Total number of samples sent to remote storage.");
    this.exemplarsTotal = counter(r, `${p}exemplars_total`, "Total number of exemplars sent to remote storage.");
    this.histogramsTotal = counter(r, `${p}histograms_total`, "Total number of histograms sent to remote storage.");
    this.metadataTotal = counter(r, `${p}metadata_total`, "Total number of metadata entries sent to remote storage.");
    this.samplesFailed = counter(r, `${p}samples_failed_total`, "Total number of samples which failed on send to remote storage, non-recoverable errors.");
    this.exemplarsFailed = counter(r, `${p}exemplars_failed_total`, "Total number of exemplars which failed on send to remote storage, non-recoverable errors.");
    this.histogramsFailed = counter(r, `${p}histograms_failed_total`, "Total number of histograms which failed on send to remote storage, non-recoverable errors.");
    this.metadataFailed = counter(r, `${p}metadata_failed_total`, "Total number of metadata entries which failed on send to remote storage, non-recoverable errors.");
    this.samplesRetried = counter(r, `${p}samples_retried_total`, "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.");
    this.exemplarsRetried = counter(r, `${p}exemplars_retried_total`, "Total number of exemplars which failed on send to remote storage but were retried because the send error was recoverable.");
    this.histogramsRetried = counter(r, `${p}histograms_retried_total`, "Total number of histograms which failed on send to remote storage but were retried because the send error was recoverable.");
    this.metadataRetried = counter(r, `${p}metadata_retried_total`, "Total number of metadata entries which failed on send to remote storage but were retried because the send error was recoverable.");
    this.samplesDropped = counter(r, `${p}samples_dropped_total`, "Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling, due to being too old or unintentionally because of an unknown reference ID.");
    this.exemplarsDropped = counter(r, `${p}exemplars_dropped_total`, "Total number of exemplars which were dropped after being read from the WAL before being sent via remote write, either via relabelling or unintentionally because of an unknown reference ID.");
    this.histogramsDropped = counter(r, `${p}histograms_dropped_total`, "Total number of histograms which were dropped after being read from the WAL before being sent via remote write, either via relabelling or unintentionally because of an unknown reference ID.");
    this.enqueueRetries = counter(r, `${p}enqueue_retries_total`, "Total number of times enqueue has failed because a shards queue was full.");
    this.samplesPending = gauge(r, `${p}samples_pending`, "The number of samples pending in the queues shards to be sent to the remote storage.");
    this.exemplarsPending = gauge(r, `${p}exemplars_pending`, "The number of exemplars pending in the queues shards to be sent to the remote storage.");
    this.histogramsPending = gauge(r, `${p}histograms_pending`, "The number of histograms pending in the queues shards to be sent to the remote storage.");
    this.shards = gauge(r, `${p}shards`, "The number of shards used for parallel sending to the remote storage.");
    this.shardsMax = gauge(r, `${p}shards_max`, "The maximum number of shards that the queue is allowed to run.");
    this.shardsMin = gauge(r, `${p}shards_min`, "The minimum number of shards that the queue is allowed to run.");
    this.shardsDesired = gauge(r, `${p}shards_desired`, "The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.");
    this.shardCapacity = gauge(r, `${p}shard_capacity`, "The capacity of each shard of the queue used for parallel sending to the remote storage.");
    this.maxSamplesPerSend = gauge(r, `${p}max_samples_per_send`, "The maximum number of samples to be sent, in a single request, to the remote storage. Note that, when sending of exemplars over remote write is enabled, exemplars count towards this limt.");
    this.bytesTotal = counter(r, `${p}bytes_total`, "The total number of bytes of data (not metadata) sent by the queue after compression. Note that when exemplars over remote write is enabled the exemplars included in a remote write request count towards this metric.");
    this.metadataBytesTotal = counter(r, `${p}metadata_bytes_total`, "The total number of bytes of metadata sent by the queue after compression.");
    this.highestSent = gauge(r, `${p}queue_highest_sent_timestamp_seconds`, "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.");
    this.sentBatchDuration = new Histogram({
      name: `${p}sent_batch_duration_seconds`,
      help: "Duration of send calls to the remote storage.",
      labelNames: QUEUE_LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300],
      registers: r,
    });
    this.highestTimestamp = new Gauge({ name: `${p}highest_timestamp_in_seconds`, help: "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.", registers: r });
    this.samplesIn = new Counter({ name: `${p}samples_in_total`, help: "Samples in to remote storage, compare to samples out for queue managers.", registers: r });
    this.exemplarsIn = new Counter({ name: `${p}exemplars_in_total`, help: "Exemplars in to remote storage, compare to exemplars out for queue managers.", registers: r });
    this.histogramsIn = new Counter({ name: `${p}histograms_in_total`, help: "HistogramSamples in to remote storage, compare to histograms out for queue managers.", registers: r });
  }

  /** Creates a queue's counters at zero, as Prometheus does when a queue starts. */
  initQueue(labels: { remote_name: string; url: string }): void {
    for (const m of Object.values(this)) {
      if (m instanceof Counter && (m as unknown as { labelNames: string[] }).labelNames?.includes("remote_name")) m.inc(labels, 0);
    }
  }

  /** Removes the series of a queue that no longer exists (endpoint removed on reload). */
  removeQueue(labels: { remote_name: string; url: string }): void {
    for (const m of Object.values(this)) {
      if (m instanceof Counter || m instanceof Gauge || m instanceof Histogram) {
        try {
          (m as Counter).remove(labels);
        } catch {
          // Metrics without queue labels.
        }
      }
    }
  }
}

/** Alloy's WAL storage metrics (prometheus_remote_write_wal_*) and the WAL's own. */
export class WalMetrics {
  readonly activeSeries: Gauge;
  readonly createdSeries: Counter;
  readonly removedSeries: Counter;
  readonly deletedSeries: Gauge;
  readonly samplesAppended: Counter;
  readonly exemplarsAppended: Counter;
  readonly corruptions: Counter;
  readonly truncations: Counter;
  readonly truncationsFailed: Counter;
  readonly checkpointsCreated: Counter;
  readonly checkpointsFailed: Counter;
  readonly segmentCurrent: Gauge;
  readonly storageSize: Gauge;
  readonly writesFailed: Counter;
  readonly watcherRecordsRead: Counter;
  readonly watcherDecodeFailures: Counter;

  constructor(registry: Registry) {
    const r = [registry];
    this.activeSeries = new Gauge({ name: "prometheus_remote_write_wal_storage_active_series", help: "Current number of active series being tracked by the WAL storage", registers: r });
    this.createdSeries = new Counter({ name: "prometheus_remote_write_wal_storage_created_series_total", help: "Total number of created series appended to the WAL", registers: r });
    this.removedSeries = new Counter({ name: "prometheus_remote_write_wal_storage_removed_series_total", help: "Total number of created series removed from the WAL", registers: r });
    this.deletedSeries = new Gauge({ name: "prometheus_remote_write_wal_storage_deleted_series", help: "Current number of series marked for deletion from memory", registers: r });
    this.samplesAppended = new Counter({ name: "prometheus_remote_write_wal_samples_appended_total", help: "Total number of samples appended to the WAL", labelNames: ["type"], registers: r });
    this.exemplarsAppended = new Counter({ name: "prometheus_remote_write_wal_exemplars_appended_total", help: "Total number of exemplars appended to the WAL", registers: r });
    this.corruptions = new Counter({ name: "prometheus_tsdb_wal_corruptions_total", help: "Total number of WAL corruptions.", registers: r });
    this.truncations = new Counter({ name: "prometheus_tsdb_wal_truncations_total", help: "Total number of write log truncations attempted.", registers: r });
    this.truncationsFailed = new Counter({ name: "prometheus_tsdb_wal_truncations_failed_total", help: "Total number of write log truncations that failed.", registers: r });
    this.checkpointsCreated = new Counter({ name: "prometheus_tsdb_checkpoint_creations_total", help: "Total number of checkpoint creations attempted.", registers: r });
    this.checkpointsFailed = new Counter({ name: "prometheus_tsdb_checkpoint_creations_failed_total", help: "Total number of checkpoint creations that failed.", registers: r });
    this.segmentCurrent = new Gauge({ name: "prometheus_tsdb_wal_segment_current", help: "Write log segment index that TSDB is currently writing to.", registers: r });
    this.storageSize = new Gauge({ name: "prometheus_tsdb_wal_storage_size_bytes", help: "Size of the write log directory.", registers: r });
    this.writesFailed = new Counter({ name: "prometheus_tsdb_wal_writes_failed_total", help: "Total number of write log writes that failed.", registers: r });
    this.watcherRecordsRead = new Counter({ name: "prometheus_wal_watcher_records_read_total", help: "Number of records read by the WAL watcher from the WAL.", labelNames: ["type", "consumer"], registers: r });
    this.watcherDecodeFailures = new Counter({ name: "prometheus_wal_watcher_record_decode_failures_total", help: "Number of records read by the WAL watcher that resulted in an error when decoding.", labelNames: ["consumer"], registers: r });
  }
}
