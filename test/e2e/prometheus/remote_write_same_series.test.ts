// Our binary and a real Prometheus scrape the same static target; ours sends with
// prometheus.remote_write to a receiving Prometheus. The series the receiver holds
// (names and every label, up and scrape_* included) must be the series Prometheus
// stored from its own scrape, with equal values (the target does not change). The same
// holds for a real prometheus-node-exporter, whose values move: there the series sets
// are compared, and the values of the series that stay constant.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatOpenMetricsFloat, parseGoFloat } from "../../../src/telemetry/prometheus/textparse/float.ts";
import { AlloyRun, canRunPeers, freePort, prometheusBin, PrometheusProcess, until, type PromResult } from "./remote_write_peers.ts";

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

// Prometheus 3 (whose scrape code Alloy runs) writes le/quantile of text scrapes in float form; Prometheus 2 keeps them as exposed.
let promMajor: number | undefined;
function normalize(m: Record<string, string>): Record<string, string> {
  promMajor ??= Number(/version (\d+)/.exec(execFileSync(prometheusBin!, ["--version"]).toString())?.[1] ?? "3");
  if (promMajor >= 3) return m;
  const out = { ...m };
  for (const l of ["le", "quantile"]) if (out[l] !== undefined) out[l] = formatOpenMetricsFloat(parseGoFloat(out[l]) as number);
  return out;
}

/**
 * A Prometheus server scraping `addr` as `job`, and our binary scraping the same
 * address and remote-writing to a second Prometheus, until both have scraped at
 * least twice (scrape_series_added is then 0). Returns both servers.
 */
async function scrapeBothWays(addr: string, job: string): Promise<{ theirs: PrometheusProcess; ours: PrometheusProcess }> {
  const dir = mkdtempSync(join(tmpdir(), `alloy-e2e-${job}-`));
  const theirs = await PrometheusProcess.start(
    join(dir, "p"),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: ${job}
    static_configs:
      - targets: ["${addr}"]
`,
  );
  cleanup.push(() => theirs.kill());
  const ours = await PrometheusProcess.start(join(dir, "r"), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver"]);
  cleanup.push(() => ours.kill());
  const cfg = join(dir, `${job}.alloy`);
  writeFileSync(
    cfg,
    `prometheus.scrape "${job}" {
  job_name = "${job}"
  targets = [{"__address__" = "${addr}"}]
  forward_to = [prometheus.remote_write.r.receiver]
  scrape_interval = "1s"
  scrape_timeout = "1s"
}
prometheus.remote_write "r" {
  endpoint {
    url = "${ours.base}/api/v1/write"
    queue_config {
      batch_send_deadline = "500ms"
    }
  }
}
`,
  );
  const alloy = await AlloyRun.start(cfg, join(dir, "data"));
  cleanup.push(() => alloy.kill("SIGKILL"));
  await until(async () => (await theirs.query(`scrape_series_added{job="${job}"} == 0`)).length === 1, 60_000, "Prometheus to scrape twice");
  await until(async () => (await ours.query(`scrape_series_added{job="${job}"} == 0`)).length === 1, 60_000, `our scrapes at the receiver\n${alloy.stderr.slice(-2000)}`);
  return { theirs, ours };
}

test.skipIf(!canRunPeers)("the receiver holds the same series and values as Prometheus scraping the same target", async () => {
  const target = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(EXPOSITION, { headers: { "Content-Type": "text/plain; version=0.0.4" } }) });
  cleanup.push(() => target.stop(true));
  const { theirs: p, ours: r } = await scrapeBothWays(`127.0.0.1:${target.port}`, "same");
  const ours: PromResult[] = await r.query('{job="same"}');
  const theirs: PromResult[] = await p.query('{job="same"}');

  const oursByKey = new Map(ours.map((s) => [key(s.metric), s.value![1]]));
  const theirsByKey = new Map(theirs.map((s) => [key(normalize(s.metric)), s.value![1]]));
  expect([...oursByKey.keys()].sort()).toEqual([...theirsByKey.keys()].sort());
  expect(oursByKey.size).toBe(5 + 2 + 2 + 5 + 3);
  for (const [k, v] of theirsByKey) {
    if (k.includes('"scrape_duration_seconds"')) continue;
    expect({ series: k, value: oursByKey.get(k) }).toEqual({ series: k, value: v });
  }
});

const nodeExporterBin = Bun.which("prometheus-node-exporter") ?? Bun.which("node_exporter");

test.skipIf(!canRunPeers || nodeExporterBin === null)("the receiver holds the same series as Prometheus scraping the same node-exporter", async () => {
  const addr = `127.0.0.1:${await freePort()}`;
  // A fixed set of collectors whose series do not come and go between scrapes; the
  // exporter's own go_*, process_* and promhttp_* metrics stay in.
  const exporter = Bun.spawn(
    [nodeExporterBin!, `--web.listen-address=${addr}`, "--collector.disable-defaults", "--collector.cpu", "--collector.loadavg", "--collector.meminfo", "--collector.stat", "--collector.time", "--collector.uname"],
    { stdout: "ignore", stderr: "pipe" },
  );
  cleanup.push(() => exporter.kill());
  await until(async () => (await fetch(`http://${addr}/metrics`).catch(() => undefined))?.ok === true, 30_000, "node-exporter to serve /metrics");
  const { theirs: p, ours: r } = await scrapeBothWays(addr, "node");

  const ours = (await r.query('{job="node"}')).map((s) => key(s.metric));
  const theirs = (await p.query('{job="node"}')).map((s) => key(normalize(s.metric)));
  console.log(`node-exporter: ${ours.length} series from our remote_write, ${theirs.length} from Prometheus's own scrape`);
  expect(ours.length).toBeGreaterThan(50);
  expect(ours.sort()).toEqual(theirs.sort());
  // Values that do not change between the two scrapes are equal.
  for (const q of ['up{job="node"}', 'node_uname_info{job="node"}', 'scrape_samples_scraped{job="node"}']) {
    const [a, b] = [await r.query(q), await p.query(q)];
    expect({ q, value: a[0]?.value?.[1] }).toEqual({ q, value: b[0]?.value?.[1] });
  }
});
