// Durability of prometheus.remote_write on the compiled binary against a real
// Prometheus receiver: the receiver is down for a while (ALLOY_E2E_OUTAGE_SECONDS,
// default 120) while scraping goes on; our process is killed with SIGKILL in the
// middle of the outage and restarted with the same --storage.path; once the
// receiver is back, every sample scraped before and during the outage arrives.
// The target is a counter that increments per scrape, so the values it served
// are exactly the samples that must arrive.

import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeRecord } from "../../../src/telemetry/prometheus/wal/records.ts";
import { scanSegment } from "../../../src/telemetry/prometheus/wal/segment.ts";
import { AlloyRun, canRunPeers, PrometheusProcess, until } from "./remote_write_peers.ts";

const OUTAGE_MS = Number(process.env.ALLOY_E2E_OUTAGE_SECONDS ?? "120") * 1000;
setDefaultTimeout(OUTAGE_MS + 180_000);

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** A target whose counter goes up by one per scrape; remembers what it served and when. */
function counterTarget() {
  const served: { value: number; at: number }[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => {
      const value = served.length + 1;
      served.push({ value, at: Date.now() });
      return new Response(`# TYPE durable_counter counter\ndurable_counter ${value}\n`);
    },
  });
  cleanup.push(() => server.stop(true));
  return { served, address: `127.0.0.1:${server.port}` };
}

function alloyConfig(dir: string, target: string, receiver: string): string {
  const file = join(dir, "durable.alloy");
  writeFileSync(
    file,
    `prometheus.scrape "t" {
  job_name = "durable"
  targets = [{"__address__" = "${target}"}]
  forward_to = [prometheus.remote_write.r.receiver]
  scrape_interval = "1s"
  scrape_timeout = "900ms"
}
prometheus.remote_write "r" {
  endpoint {
    name = "receiver"
    url = "${receiver}/api/v1/write"
    queue_config {
      batch_send_deadline = "500ms"
      max_backoff = "1s"
    }
  }
}
`,
  );
  return file;
}

async function stored(r: PrometheusProcess): Promise<[number, number][]> {
  const res = await r.query('durable_counter{job="durable"}[1h]');
  return (res[0]?.values ?? []).map(([t, v]) => [Math.round(t * 1000), Number(v)]);
}

test.skipIf(!canRunPeers)(`receiver down ${OUTAGE_MS / 1000}s, SIGKILL and restart mid-outage: every sample scraped before and during the outage arrives`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-durable-"));
  const target = counterTarget();
  const r = await PrometheusProcess.start(join(dir, "r"), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver"]);
  cleanup.push(() => r.kill());
  const cfg = alloyConfig(dir, target.address, r.base);
  const storage = join(dir, "alloy-data");
  let alloy = await AlloyRun.start(cfg, storage);
  cleanup.push(() => alloy.kill("SIGKILL"));
  await until(async () => (await stored(r)).length >= 3, 60_000, "first samples at the receiver");

  // The outage lasts OUTAGE_MS by design (the scenario, not a wait for something to
  // happen): scraping into the WAL goes on while the receiver is away, and the kill
  // falls in its middle.
  await r.stop();
  const outageStart = Date.now();
  await until(() => target.served.filter((s) => s.at > outageStart).length >= 2, 60_000, "scrapes during the outage");
  await Bun.sleep(Math.max(0, outageStart + OUTAGE_MS / 2 - Date.now()));
  alloy.kill("SIGKILL");
  await alloy.exited;
  const killedAt = Date.now();
  alloy = await AlloyRun.start(cfg, storage);
  await alloy.baseURL();
  // The restarted process scrapes too before the receiver comes back.
  await until(() => target.served.filter((s) => s.at > killedAt).length >= 2, 60_000, "scrapes after the restart");
  await Bun.sleep(Math.max(0, killedAt + OUTAGE_MS / 2 - Date.now()));
  const outageEnd = Date.now();
  await r.restart();

  // Everything served up to the end of the outage, except a scrape cut off by the kill.
  const mustArrive = target.served.filter((s) => s.at <= outageEnd && (s.at < killedAt - 1000 || s.at > killedAt));
  await until(
    async () => {
      const values = new Set((await stored(r)).map(([, v]) => v));
      return mustArrive.every((s) => values.has(s.value));
    },
    120_000,
    "every scraped value at the receiver",
    1000,
  );
  const got = await stored(r);
  const values = got.map(([, v]) => v);
  // Nothing twice, nothing that was never served, and in order.
  expect(new Set(values).size).toBe(values.length);
  expect(values.every((v) => v >= 1 && v <= target.served.length)).toBe(true);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  const missing = target.served.filter((s) => s.at <= outageEnd && !values.includes(s.value));
  expect(missing.length).toBeLessThanOrEqual(1);
  console.log(`outage ${OUTAGE_MS / 1000}s: ${target.served.filter((s) => s.at <= outageEnd).length} values served until the receiver returned, ${missing.length} lost to the SIGKILL'd scrape`);
  const metrics = await alloy.metrics();
  expect(metrics).toMatch(/prometheus_remote_storage_samples_total\{[^}]*remote_name="receiver"[^}]*\} [1-9]/);
});

test.skipIf(!canRunPeers)("a corrupted WAL segment is reported in logs and metrics, and the rest is still sent", async () => {
  const dir = mkdtempSync(join(tmpdir(), "alloy-e2e-corrupt-"));
  const target = counterTarget();
  const r = await PrometheusProcess.start(join(dir, "r"), "global:\n  scrape_interval: 1h\n", ["--web.enable-remote-write-receiver"]);
  cleanup.push(() => r.kill());
  const cfg = alloyConfig(dir, target.address, r.base);
  const storage = join(dir, "alloy-data");
  let alloy = await AlloyRun.start(cfg, storage);
  cleanup.push(() => alloy.kill("SIGKILL"));
  await until(async () => (await stored(r)).length >= 2, 60_000, "first samples at the receiver");
  await r.stop();
  const down = Date.now();
  await until(() => target.served.filter((s) => s.at > down + 500).length >= 6, 20_000, "scrapes while the receiver is down");
  alloy.kill("SIGTERM");
  await alloy.exited;

  // Damage one samples record written while the receiver was down.
  const wal = join(storage, "prometheus.remote_write.r", "wal");
  const seg = join(wal, readdirSync(wal).filter((n) => /^\d+$/.test(n)).sort()[0]!);
  const bytes = new Uint8Array(readFileSync(seg));
  const records = scanSegment(bytes, seg, 0, true).records.map((rec) => ({ offset: rec.offset, record: decodeRecord(rec.payload) }));
  let ref = -1;
  for (const { record } of records) {
    if (record.type === "series") for (const s of record.series) if (s.labels.metricName() === "durable_counter") ref = s.ref;
  }
  // Samples records carrying a real (non-stale) durable_counter value scraped while the receiver was down.
  const counterTs = (record: ReturnType<typeof decodeRecord>): number | undefined => {
    if (record.type !== "samples") return undefined;
    for (let i = 0; i < record.length; i++) {
      if (record.refs[i] === ref && !Number.isNaN(record.values[i]!) && record.timestamps[i]! > down + 500) return record.timestamps[i]!;
    }
    return undefined;
  };
  const sampleRecords = records.filter((r) => counterTs(r.record) !== undefined).map((r) => ({ offset: r.offset, ts: counterTs(r.record)! }));
  expect(sampleRecords.length).toBeGreaterThanOrEqual(3);
  const victim = sampleRecords[1]!;
  const victimTs = victim.ts;
  bytes[victim.offset + 14] = bytes[victim.offset + 14]! ^ 0x5a;
  writeFileSync(seg, bytes);

  alloy = await AlloyRun.start(cfg, storage);
  await alloy.baseURL();
  await until(() => /WAL corruption/.test(alloy.stderr), 20_000, "the corruption in the log");
  expect(alloy.stderr).toContain(seg);
  expect(await alloy.metrics()).toMatch(/prometheus_tsdb_wal_corruptions_total\{[^}]*\} [1-9]/);
  const restartedAt = Date.now();
  await r.restart();
  await until(async () => (await stored(r)).some(([t]) => t > restartedAt + 2000), 60_000, "samples after the restart");
  const got = await stored(r);
  const times = new Set(got.map(([t]) => t));
  expect(times.has(victimTs)).toBe(false);
  // Every other scrape while the receiver was down arrived (before and after the damaged record).
  for (const rec of sampleRecords) if (rec.ts !== victimTs) expect(times.has(rec.ts)).toBe(true);
});
