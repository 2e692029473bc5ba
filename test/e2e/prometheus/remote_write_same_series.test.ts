// Our binary and a real Prometheus scrape the same static target; ours sends with
// prometheus.remote_write to a receiving Prometheus. The series the receiver holds
// (names and every label, up and scrape_* included) must be the series Prometheus
// stored from its own scrape, with equal values (the target does not change).

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatOpenMetricsFloat, parseGoFloat } from "../../../src/telemetry/prometheus/textparse/float.ts";
import { AlloyRun, canRunPeers, prometheusBin, PrometheusProcess, until, type PromResult } from "./remote_write_peers.ts";

setDefaultTimeout(120_000);

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const EXPOSITION = `# HELP requests_total Requests.
# TYPE requests_total counter
requests_total{code="200",method="get"} 1027
requests_total{code="500",method="post"} 3
# TYPE temperature gauge
temperature{room="a"} -3.25
temperature{room="b"} 1e+06
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.1"} 4
latency_seconds_bucket{le="1"} 9
latency_seconds_bucket{le="+Inf"} 10
latency_seconds_sum 3.5
latency_seconds_count 10
# TYPE rpc summary
rpc{quantile="0.5"} 0.25
rpc_sum 12
rpc_count 48
`;

const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));

test.skipIf(!canRunPeers)("the receiver holds the same series and values as Prometheus scraping the same target", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-same-"));
  const target = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(EXPOSITION, { headers: { "Content-Type": "text/plain; version=0.0.4" } }) });
  cleanup.push(() => target.stop(true));
  const addr = `127.0.0.1:${target.port}`;
  const p = await PrometheusProcess.start(
    join(dir, "p"),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: same
    static_configs:
      - targets: ["${addr}"]
`,
  );
  cleanup.push(() => p.kill());
  const r = await PrometheusProcess.start(join(dir, "r"), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver"]);
  cleanup.push(() => r.kill());
  const cfg = join(dir, "same.alloy");
  writeFileSync(
    cfg,
    `prometheus.scrape "same" {
  job_name = "same"
  targets = [{"__address__" = "${addr}"}]
  forward_to = [prometheus.remote_write.r.receiver]
  scrape_interval = "1s"
  scrape_timeout = "1s"
}
prometheus.remote_write "r" {
  endpoint {
    url = "${r.base}/api/v1/write"
    queue_config {
      batch_send_deadline = "500ms"
    }
  }
}
`,
  );
  const alloy = await AlloyRun.start(cfg, join(dir, "data"));
  cleanup.push(() => alloy.kill("SIGKILL"));

  // Both have scraped at least twice once scrape_series_added is 0.
  const latest = async (prom: PrometheusProcess) => prom.query('{job="same"}');
  await until(async () => (await p.query('scrape_series_added{job="same"} == 0')).length === 1, 60_000, "Prometheus to scrape twice");
  await until(async () => (await r.query('scrape_series_added{job="same"} == 0')).length === 1, 60_000, `our scrapes at the receiver\n${alloy.stderr.slice(-2000)}`);
  const ours: PromResult[] = await latest(r);
  const theirs: PromResult[] = await latest(p);

  // Prometheus 3 (whose scrape code Alloy runs) writes le/quantile of text scrapes in float form; Prometheus 2 keeps them as exposed.
  const promMajor = Number(/version (\d+)/.exec(execFileSync(prometheusBin!, ["--version"]).toString())?.[1] ?? "3");
  const normalize = (m: Record<string, string>) => {
    if (promMajor >= 3) return m;
    const out = { ...m };
    for (const l of ["le", "quantile"]) if (out[l] !== undefined) out[l] = formatOpenMetricsFloat(parseGoFloat(out[l]) as number);
    return out;
  };
  const oursByKey = new Map(ours.map((s) => [key(s.metric), s.value![1]]));
  const theirsByKey = new Map(theirs.map((s) => [key(normalize(s.metric)), s.value![1]]));
  expect([...oursByKey.keys()].sort()).toEqual([...theirsByKey.keys()].sort());
  expect(oursByKey.size).toBe(5 + 2 + 2 + 5 + 3);
  for (const [k, v] of theirsByKey) {
    if (k.includes('"scrape_duration_seconds"')) continue;
    expect({ series: k, value: oursByKey.get(k) }).toEqual({ series: k, value: v });
  }
});
