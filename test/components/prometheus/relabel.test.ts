import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { last, samples, testMetricsReceiver } from "./scrape_test_receiver.ts";

let rt: TestRuntime | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.stop(true);
  server = undefined;
});

function serve(text: () => string): number {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(text(), { headers: { "Content-Type": "text/plain; version=0.0.4" } }) });
  return server.port!;
}

function config(port: number, rules: string, extra = ""): string {
  return `test.metrics "out" {}
prometheus.relabel "r" {
  forward_to = [test.metrics.out.receiver]
${rules}
${extra}
}
prometheus.scrape "s" {
  targets = [{"__address__" = "127.0.0.1:${port}"}]
  forward_to = [prometheus.relabel.r.receiver]
  scrape_interval = "100ms"
  scrape_timeout = "80ms"
}
`;
}

const OUT = "test.metrics.out";

test("prometheus.relabel rewrites, drops and forwards series; counts cache hits and misses", async () => {
  const port = serve(() => 'keep_me{code="200"} 1\ndrop_me 2\n');
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: config(
        port,
        `  rule {
    source_labels = ["__name__"]
    regex = "drop_me"
    action = "drop"
  }
  rule {
    source_labels = ["code"]
    target_label = "status"
  }
  rule {
    regex = "code"
    action = "labeldrop"
  }`,
      ),
    },
  ]);
  expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  await waitFor(() => samples(OUT).filter((s) => s.name === "up").length >= 2, 3000, "two scrapes");
  expect(last(OUT, "keep_me")!.labels).toEqual({
    __name__: "keep_me",
    status: "200",
    job: "prometheus.scrape.s",
    instance: `127.0.0.1:${port}`,
  });
  expect(last(OUT, "drop_me")).toBeUndefined();
  expect(last(OUT, "up")!.v).toBe(1);
  const metrics = await rt.env.hub.metrics();
  const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*component_id="prometheus.relabel.r"[^}]*\\} (\\S+)`, "m").exec(metrics)?.[1]);
  expect(value("prometheus_relabel_metrics_processed")).toBeGreaterThanOrEqual(14);
  // Each scrape brings 7 series (keep_me, drop_me and 5 report series); drop_me is not written.
  expect(value("prometheus_relabel_metrics_written")).toBe((value("prometheus_relabel_metrics_processed") / 7) * 6);
  expect(value("prometheus_relabel_cache_misses")).toBe(7);
  expect(value("prometheus_relabel_cache_hits")).toBe(value("prometheus_relabel_metrics_processed") - 7);
  expect(value("prometheus_relabel_cache_size")).toBe(7);
});

test("prometheus.relabel passes staleness markers through", async () => {
  let text = "a 1\nb 1\n";
  const port = serve(() => text);
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(port, `  rule {\n    target_label = "via"\n    replacement = "relabel"\n  }`) }]);
  await waitFor(() => last(OUT, "b") !== undefined, 3000, "scrape");
  text = "a 1\n";
  await waitFor(() => samples(OUT).some((s) => s.name === "b" && s.stale), 3000, "stale b");
  expect(samples(OUT).find((s) => s.name === "b" && s.stale)!.labels.via).toBe("relabel");
});

test("prometheus.relabel validates max_cache_size", async () => {
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([{ name: "main.alloy", text: `prometheus.relabel "r" {\n  forward_to = []\n  max_cache_size = 0\n}\n` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("max_cache_size must be greater than 0 and is 0");
});

test("prometheus.relabel forgets series that went stale and evicts expired entries on cache_ttl", async () => {
  let text = "a 1\nb 1\n";
  const port = serve(() => text);
  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  await rt.load([{ name: "main.alloy", text: config(port, "", '  cache_ttl = "150ms"') }]);
  await waitFor(() => last(OUT, "b") !== undefined, 3000, "scrape");
  const metric = async (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*component_id="prometheus.relabel.r"[^}]*\\} (\\S+)`, "m").exec(await rt!.env.hub.metrics())?.[1]);
  expect(await metric("prometheus_relabel_cache_size")).toBeGreaterThan(0);
  expect(await metric("prometheus_relabel_cache_size")).toBeLessThanOrEqual(7);
  text = "a 1\n";
  await waitFor(() => samples(OUT).some((s) => s.name === "b" && s.stale), 3000, "stale b");
  // The scrape is still running, so entries keep being re-added; b's entry is gone for good.
  await waitFor(async () => (await metric("prometheus_relabel_cache_ttl_evictions_total")) > 0, 3000, "ttl evictions");
  expect(await metric("prometheus_relabel_cache_size")).toBeLessThanOrEqual(6);
});
