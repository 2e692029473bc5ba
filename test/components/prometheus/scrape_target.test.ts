import { expect, test } from "bun:test";
import type { ScrapeConfig } from "../../../src/components/prometheus/scrape/arguments.ts";
import {
  discoveredLabels,
  formatModelDuration,
  parseModelDuration,
  populateLabels,
  ScrapeTarget,
} from "../../../src/components/prometheus/scrape/target.ts";

const cfg = {
  jobName: "job",
  intervalMs: 1000,
  timeoutMs: 1000,
  metricsPath: "/metrics",
  scheme: "http",
  params: {},
} as unknown as ScrapeConfig;

function populate(target: Record<string, string>, c: ScrapeConfig = cfg) {
  return populateLabels(discoveredLabels(target, c));
}

test("target labels get the scrape config's defaults, an instance from the address, and lose __meta_ labels", () => {
  const { labels } = populate({ __address__: "1.2.3.4:1000", custom: "value", __meta_x: "gone" });
  expect(labels.toObject()).toEqual({
    __address__: "1.2.3.4:1000",
    __metrics_path__: "/metrics",
    __scheme__: "http",
    __scrape_interval__: "1s",
    __scrape_timeout__: "1s",
    custom: "value",
    instance: "1.2.3.4:1000",
    job: "job",
  });
});

test("labels on the target override the scrape config's defaults", () => {
  const { labels, intervalMs, timeoutMs } = populate({
    __address__: "h:1",
    __scheme__: "https",
    __metrics_path__: "/custom",
    job: "custom-job",
    instance: "named",
    __scrape_interval__: "2s",
    __scrape_timeout__: "500ms",
  });
  expect(labels.get("__scheme__")).toBe("https");
  expect(labels.get("job")).toBe("custom-job");
  expect(labels.get("instance")).toBe("named");
  expect(intervalMs).toBe(2000);
  expect(timeoutMs).toBe(500);
});

test("invalid targets are refused with Prometheus's messages", () => {
  expect(() => populate({ custom: "x" })).toThrow("no address");
  expect(() => populate({ __address__: "h:1/path" })).toThrow('"h:1/path" is not a valid hostname');
  expect(() => populate({ __address__: "h:1", __scrape_interval__: "0s" })).toThrow("scrape interval cannot be 0");
  expect(() => populate({ __address__: "h:1", __scrape_timeout__: "0s" })).toThrow("scrape timeout cannot be 0");
  expect(() => populate({ __address__: "h:1", __scrape_interval__: "bogus" })).toThrow('error parsing scrape interval: not a valid duration string: "bogus"');
  expect(() => populate({ __address__: "h:1", __scrape_timeout__: "2s" })).toThrow('scrape timeout cannot be greater than scrape interval ("2s" > "1s")');
});

test("Prometheus durations print and parse in their own units", () => {
  expect(formatModelDuration(60_000)).toBe("1m");
  expect(formatModelDuration(90_000)).toBe("1m30s");
  expect(formatModelDuration(1_500)).toBe("1s500ms");
  expect(formatModelDuration(0)).toBe("0s");
  expect(formatModelDuration(7 * 24 * 3600 * 1000)).toBe("1w");
  expect(parseModelDuration("1h30m")).toBe(5_400_000);
  expect(parseModelDuration("0")).toBe(0);
  expect(typeof parseModelDuration("1.5s")).toBe("string");
});

test("the scrape URL carries metrics_path, params and __param_ labels (the label wins for the first value)", () => {
  const c = { ...cfg, params: { module: ["a", "b"], q: ["x y"] } } as ScrapeConfig;
  const disc = discoveredLabels({ __address__: "h:9", __param_module: "m" }, c);
  const { labels, intervalMs, timeoutMs } = populateLabels(disc);
  const t = new ScrapeTarget(labels, disc, intervalMs, timeoutMs, c.params);
  expect(t.url).toBe("http://h:9/metrics?module=m&module=b&q=x+y");
  expect(t.publicLabels.toObject()).toEqual({ instance: "h:9", job: "job" });
});

test("a target's scrape offset is stable and within its interval", () => {
  const disc = discoveredLabels({ __address__: "h:9" }, cfg);
  const { labels } = populateLabels(disc);
  const t = new ScrapeTarget(labels, disc, 60_000, 10_000, {});
  const now = 1_700_000_000_000;
  const o = t.offsetMs(now);
  expect(o).toBeGreaterThanOrEqual(0);
  expect(o).toBeLessThanOrEqual(60_000);
  // The slot is pinned to absolute time: asking later points at the same wall-clock instant.
  expect((now + o) % 60_000).toBe((now + 5_000 + t.offsetMs(now + 5_000)) % 60_000);
});
