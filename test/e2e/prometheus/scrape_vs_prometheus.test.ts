// prometheus.scrape against a real Prometheus (Debian's /usr/bin/prometheus): both
// scrape the same static target; the label sets and values of what we forward
// must match what Prometheus stores, report series (up, scrape_*) included.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { components } from "../../../src/components/index.ts";
import { formatOpenMetricsFloat, parseGoFloat } from "../../../src/telemetry/prometheus/textparse/float.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { samples, testMetricsReceiver } from "../../components/prometheus/scrape_test_receiver.ts";

setDefaultTimeout(60_000);

const prometheusBin = Bun.which("prometheus") ?? (Bun.file("/usr/bin/prometheus").size > 0 ? "/usr/bin/prometheus" : undefined);
if (!prometheusBin) console.warn("prometheus not found (Debian package `prometheus`): skipping the comparison with a real Prometheus");

const EXPOSITION = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",method="get"} 1027
http_requests_total{code="400",method="post"} 3
# TYPE conflicting gauge
conflicting{job="theirs",instance="elsewhere"} 5
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 0.05
rpc_duration_seconds{quantile="0.9"} 0.1
rpc_duration_seconds_sum 17
rpc_duration_seconds_count 100
# TYPE req_size_bytes histogram
req_size_bytes_bucket{le="100"} 10
req_size_bytes_bucket{le="1000"} 25
req_size_bytes_bucket{le="+Inf"} 30
req_size_bytes_sum 12345
req_size_bytes_count 30
weird_value 1.5e-3
`;

let prom: ChildProcess | undefined;
let rt: TestRuntime | undefined;
let target: ReturnType<typeof Bun.serve> | undefined;
afterAll(async () => {
  prom?.kill("SIGKILL");
  await rt?.stop();
  await target?.stop(true);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(base: string, q: string): Promise<PromSeries[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: PromSeries[] } };
  return body.status === "success" ? body.data.result : [];
}

const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));

test.skipIf(!prometheusBin)("series, labels, report values and staleness match a real Prometheus scraping the same targets (plain, honor_labels, sample_limit, failing)", async () => {
  let exposition = EXPOSITION;
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) =>
      new URL(req.url).pathname === "/down"
        ? new Response("unavailable", { status: 503 })
        : new Response(exposition, { headers: { "Content-Type": "text/plain; version=0.0.4" } }),
  });
  const addr = `127.0.0.1:${target.port}`;
  const dir = mkdtempSync(join(tmpdir(), "alloy-vs-prom-"));
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: cmp
    static_configs:
      - targets: ["${addr}"]
        labels:
          team: a
  - job_name: honor
    honor_labels: true
    static_configs:
      - targets: ["${addr}"]
  - job_name: limited
    sample_limit: 3
    static_configs:
      - targets: ["${addr}"]
  - job_name: down
    metrics_path: /down
    static_configs:
      - targets: ["${addr}"]
`,
  );
  const port = await freePort();
  prom = spawn(prometheusBin!, [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;

  rt = testRuntime({ extra: [...components, testMetricsReceiver] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `test.metrics "out" {}
prometheus.scrape "cmp" {
  job_name = "cmp"
  targets = [{"__address__" = "${addr}", "team" = "a"}]
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "1s"
  scrape_timeout = "1s"
}
prometheus.scrape "honor" {
  job_name = "honor"
  honor_labels = true
  targets = [{"__address__" = "${addr}"}]
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "1s"
  scrape_timeout = "1s"
}
prometheus.scrape "limited" {
  job_name = "limited"
  sample_limit = 3
  targets = [{"__address__" = "${addr}"}]
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "1s"
  scrape_timeout = "1s"
}
prometheus.scrape "down" {
  job_name = "down"
  metrics_path = "/down"
  targets = [{"__address__" = "${addr}"}]
  forward_to = [test.metrics.out.receiver]
  scrape_interval = "1s"
  scrape_timeout = "1s"
}
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);

  // Prometheus has scraped at least twice once scrape_series_added has gone to 0.
  let promSeries: PromSeries[] = [];
  await waitFor(
    async () => {
      try {
        const added = await query(base, "scrape_series_added == 0");
        if (added.length !== 4) return false;
        promSeries = await query(base, '{__name__=~".+"}');
        return promSeries.length > 0;
      } catch {
        return false;
      }
    },
    30_000,
    "Prometheus to scrape the target twice",
  );
  await waitFor(() => samples("test.metrics.out").filter((s) => s.name === "up").length >= 8, 10_000, "two scrapes of each of ours");

  // Our latest sample per series.
  const ours = new Map<string, number>();
  for (const s of samples("test.metrics.out")) if (!s.stale) ours.set(key(s.labels), s.v);

  // Prometheus 3 (whose scrape code Alloy runs) writes le and quantile values of text
  // scrapes in float form (le="100.0"); Prometheus 2 keeps them as exposed.
  const promMajor = Number(/version (\d+)/.exec(execFileSync(prometheusBin!, ["--version"]).toString())?.[1] ?? "3");
  const normalize = (m: Record<string, string>) => {
    if (promMajor >= 3) return m;
    const out = { ...m };
    for (const l of ["le", "quantile"]) if (out[l] !== undefined) out[l] = formatOpenMetricsFloat(parseGoFloat(out[l]) as number);
    return out;
  };
  const theirs = new Map(promSeries.map((s) => [key(normalize(s.metric)), Number(s.value[1])]));
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  const timing = new Set(["scrape_duration_seconds"]);
  for (const [k, v] of theirs) {
    const name = JSON.parse(k).find(([n]: [string]) => n === "__name__")[1] as string;
    if (timing.has(name)) continue;
    expect({ series: k, value: ours.get(k) }).toEqual({ series: k, value: v });
  }

  // A series that disappears: Prometheus no longer returns it, and we sent a staleness marker.
  exposition = EXPOSITION.replace("weird_value 1.5e-3\n", "");
  await waitFor(async () => (await query(base, 'weird_value{job="cmp"}')).length === 0, 10_000, "Prometheus to mark weird_value stale");
  await waitFor(
    () => samples("test.metrics.out").some((s) => s.name === "weird_value" && s.stale && s.labels.job === "cmp"),
    10_000,
    "our staleness marker",
  );
});
