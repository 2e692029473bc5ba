// The metrics of Prometheus's refresh-based discoverers (discovery/refresh):
// refresh duration and failures, labelled with the mechanism ("http", "dns").

import { Counter, Histogram, type Registry } from "prom-client";

export class RefreshMetrics {
  private readonly duration: Histogram<"mechanism">;
  private readonly failures: Counter<"mechanism">;

  constructor(
    registry: Registry,
    private readonly mechanism: string,
  ) {
    const registers = [registry];
    this.duration = new Histogram({
      name: "prometheus_sd_refresh_duration_seconds",
      help: "The duration of a refresh for the given SD mechanism.",
      labelNames: ["mechanism"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.failures = new Counter({
      name: "prometheus_sd_refresh_failures_total",
      help: "Number of refresh failures for the given SD mechanism.",
      labelNames: ["mechanism"],
      registers,
    });
    // Present from the start, as Prometheus initialises its label values.
    this.failures.inc({ mechanism }, 0);
  }

  /** Times `refresh`; a returned error string (or a throw) counts as a failure. */
  async observe<T>(refresh: () => Promise<T>, failed: (r: T) => boolean = () => false): Promise<T> {
    const start = performance.now();
    try {
      const r = await refresh();
      if (failed(r)) this.failures.inc({ mechanism: this.mechanism });
      return r;
    } catch (err) {
      this.failures.inc({ mechanism: this.mechanism });
      throw err;
    } finally {
      this.duration.observe({ mechanism: this.mechanism }, (performance.now() - start) / 1000);
    }
  }
}
