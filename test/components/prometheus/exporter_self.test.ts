import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { MetricsHub } from "../../../src/runtime/metrics.ts";
import type { Runtime } from "../../../src/runtime/runtime.ts";
import { SelfMetrics } from "../../../src/service/http/metrics.ts";
import { createMemoryFetch } from "../../../src/service/http/memory_fetch.ts";
import { createHttpApp } from "../../../src/service/http/server.ts";
import { Logger } from "../../../src/runtime/logger.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { exported } from "../discovery/helpers.ts";
import { last, testMetricsReceiver } from "./scrape_test_receiver.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const MEMORY = "alloy.internal:12345";

/** A runtime wired like `alloy run`: the HTTP app reachable through the memory address, /metrics gathering everything. */
function wiredRuntime(): TestRuntime {
  const self = new SelfMetrics();
  const hub = new MetricsHub(self.registry);
  let runtime: Runtime | undefined;
  const app = createHttpApp({
    runtime: () => runtime,
    reload: async () => {},
    metrics: [{ contentType: hub.contentType, metrics: () => hub.metrics() }],
    uiPathPrefix: "/",
    enablePprof: false,
    logger: new Logger(),
    peers: () => [],
  });
  const r = testRuntime({ extra: [...components, testMetricsReceiver], metrics: hub, fetch: createMemoryFetch(MEMORY, (req) => app.fetch(req)), memoryAddress: MEMORY });
  runtime = r;
  return r;
}

test("prometheus.exporter.self exports an in-memory target, and scraping it yields Alloy's own metrics", async () => {
  rt = wiredRuntime();
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `prometheus.exporter.self "x" {}
test.metrics "out" {}
prometheus.scrape "self" {
  targets = prometheus.exporter.self.x.targets
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "90ms"
}
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  const targets = exported(rt, "prometheus.exporter.self.x", "targets") as Array<Record<string, string>>;
  expect(targets).toHaveLength(1);
  expect(targets[0]).toMatchObject({
    __address__: MEMORY,
    __metrics_path__: "/api/v0/component/prometheus.exporter.self.x/metrics",
    __scheme__: "http",
    job: "integrations/self",
    __meta_component_name: "prometheus.exporter.self",
    __meta_component_id: "prometheus.exporter.self.x",
  });
  expect(targets[0]!.instance).not.toBe("");
  await waitFor(() => last("test.metrics.out", "alloy_build_info") !== undefined, 3000, "self scrape");
  const build = last("test.metrics.out", "alloy_build_info")!;
  expect(build.v).toBe(1);
  expect(build.labels).toMatchObject({ job: "integrations/self", instance: targets[0]!.instance });
  expect(last("test.metrics.out", "up")!.v).toBe(1);
  // The scrape component's own metrics come back through the same path.
  await waitFor(() => last("test.metrics.out", "prometheus_scrape_targets_gauge") !== undefined, 3000, "component metrics");
  expect(last("test.metrics.out", "prometheus_scrape_targets_gauge")!.labels.component_id).toBe("prometheus.scrape.self");
});
