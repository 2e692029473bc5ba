// prometheus.scrape's own metrics: Alloy's target gauges plus the Prometheus scrape
// manager metrics Alloy registers on the component's registerer.

import { Counter, Gauge, Summary, type Registry } from "prom-client";

export class ScrapeMetrics {
  readonly targets: Gauge;
  readonly movedTargets: Counter;
  readonly poolTargets: Gauge<"scrape_job">;
  readonly intervalLength: Summary<"interval">;
  readonly exceededSampleLimit: Counter;
  readonly exceededBodySizeLimit: Counter;
  readonly exceededBucketLimit: Counter;
  readonly duplicateTimestamp: Counter;
  readonly exceededTargetLimit: Counter;
  readonly exceededLabelLimits: Counter;
  readonly poolSyncs: Counter<"scrape_job">;
  readonly poolReloads: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.targets = new Gauge({ name: "prometheus_scrape_targets_gauge", help: "Number of targets this component is configured to scrape", registers });
    this.movedTargets = new Counter({
      name: "prometheus_scrape_targets_moved_total",
      help: "Number of targets that have moved from this cluster node to another one",
      registers,
    });
    this.poolTargets = new Gauge({
      name: "prometheus_target_scrape_pool_targets",
      help: "Current number of targets in this scrape pool.",
      labelNames: ["scrape_job"],
      registers,
    });
    this.intervalLength = new Summary({
      name: "prometheus_target_interval_length_seconds",
      help: "Actual intervals between scrapes.",
      labelNames: ["interval"],
      percentiles: [0.01, 0.05, 0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers,
    });
    this.exceededSampleLimit = new Counter({
      name: "prometheus_target_scrapes_exceeded_sample_limit_total",
      help: "Total number of scrapes that hit the sample limit and were rejected.",
      registers,
    });
    this.exceededBodySizeLimit = new Counter({
      name: "prometheus_target_scrapes_exceeded_body_size_limit_total",
      help: "Total number of scrapes that hit the body size limit",
      registers,
    });
    this.exceededBucketLimit = new Counter({
      name: "prometheus_target_scrapes_exceeded_native_histogram_bucket_limit_total",
      help: "Total number of scrapes that hit the native histogram bucket limit and were rejected.",
      registers,
    });
    this.duplicateTimestamp = new Counter({
      name: "prometheus_target_scrapes_sample_duplicate_timestamp_total",
      help: "Total number of samples rejected due to duplicate timestamps but different values.",
      registers,
    });
    this.exceededTargetLimit = new Counter({
      name: "prometheus_target_scrape_pool_exceeded_target_limit_total",
      help: "Total number of times scrape pools hit the target limit, during sync or config reload.",
      registers,
    });
    this.exceededLabelLimits = new Counter({
      name: "prometheus_target_scrape_pool_exceeded_label_limits_total",
      help: "Total number of times scrape pools hit the label limits, during sync or config reload.",
      registers,
    });
    this.poolSyncs = new Counter({
      name: "prometheus_target_scrape_pool_sync_total",
      help: "Total number of syncs that were executed on a scrape pool.",
      labelNames: ["scrape_job"],
      registers,
    });
    this.poolReloads = new Counter({
      name: "prometheus_target_scrape_pool_reloads_total",
      help: "Total number of scrape pool reloads.",
      registers,
    });
  }
}
