// Alloy's own metrics outside the component graph: alloy_build_info, the config
// load metrics, process_* and alloy_resources_* (read from /proc on Linux,
// because process.memoryUsage().rss under-reports under Bun), and the JS heap.

import { readdirSync, readFileSync } from "node:fs";
import { Counter, Gauge, Registry } from "prom-client";
import { buildInfo } from "../../buildinfo.ts";

const isLinux = process.platform === "linux";
const startTimeSeconds = Math.floor(Date.now() / 1000 - process.uptime());

export class SelfMetrics {
  readonly registry = new Registry();
  private readonly configHash: Gauge<"sha256" | "cluster_name">;
  private readonly lastLoadSuccessful: Gauge;
  private readonly lastLoadSuccessTimestamp: Gauge;
  private readonly loadFailures: Counter;

  constructor(private readonly clusterName = "") {
    const registers = [this.registry];
    new Gauge({
      name: "alloy_build_info",
      help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which alloy was built, and the goos and goarch for the build.",
      labelNames: ["version", "revision", "branch", "goversion", "goos", "goarch", "tags"],
      registers,
    }).set(
      {
        version: buildInfo.version,
        revision: buildInfo.revision,
        branch: buildInfo.branch,
        goversion: buildInfo.runtimeVersion,
        goos: buildInfo.goos,
        goarch: buildInfo.goarch,
        tags: buildInfo.tags,
      },
      1,
    );
    this.configHash = new Gauge({ name: "alloy_config_hash", help: "Hash of the currently active config file.", labelNames: ["sha256", "cluster_name"], registers });
    this.lastLoadSuccessful = new Gauge({ name: "alloy_config_last_load_successful", help: "Config loaded successfully.", registers });
    this.lastLoadSuccessTimestamp = new Gauge({
      name: "alloy_config_last_load_success_timestamp_seconds",
      help: "Timestamp of the last successful configuration load.",
      registers,
    });
    this.loadFailures = new Counter({ name: "alloy_config_load_failures_total", help: "Configuration load failures.", registers });
    registerProcessMetrics(this.registry);
  }

  /** Alloy's InstrumentConfig: the hash always follows the newest sources, success or not. */
  recordConfigLoad(success: boolean, sha256Hex: string): void {
    if (success) {
      this.lastLoadSuccessTimestamp.set(Date.now() / 1000);
      this.lastLoadSuccessful.set(1);
    } else {
      this.lastLoadSuccessful.set(0);
      this.loadFailures.inc();
    }
    this.configHash.reset();
    this.configHash.set({ sha256: sha256Hex, cluster_name: this.clusterName }, 1);
  }
}

function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  const cpuSeconds = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const gauge = (name: string, help: string, read: () => number | undefined): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const v = read();
        if (v !== undefined) this.set(v);
      },
    });
  };
  // prom-client counters cannot be set; a totals read from the OS is written as reset + inc at collect time.
  const cpuCounter = (name: string, help: string): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(cpuSeconds());
      },
    });
  };

  cpuCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
  gauge("process_resident_memory_bytes", "Resident memory size in bytes.", residentMemoryBytes);
  gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", virtualMemoryBytes);
  gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", () => startTimeSeconds);
  if (isLinux) {
    gauge("process_open_fds", "Number of open file descriptors.", openFds);
    gauge("process_max_fds", "Maximum number of open file descriptors.", maxFds);
  }

  cpuCounter("alloy_resources_process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
  gauge("alloy_resources_process_resident_memory_bytes", "Current resident memory size in bytes.", residentMemoryBytes);
  gauge("alloy_resources_process_virtual_memory_bytes", "Current virtual memory size in bytes.", virtualMemoryBytes);
  gauge("alloy_resources_process_start_time_seconds", "Start time of the process since Unix epoch in seconds.", () => startTimeSeconds);
  if (isLinux) {
    const netCounter = (name: string, help: string, field: "rx" | "tx"): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          const now = networkBytes()?.[field];
          if (now === undefined) return;
          this.reset();
          this.inc(now);
        },
      });
    };
    netCounter("alloy_resources_machine_rx_bytes_total", "Total bytes, host-wide, received by all network interfaces.", "rx");
    netCounter("alloy_resources_machine_tx_bytes_total", "Total bytes, host-wide, sent by all network interfaces.", "tx");
  }

  gauge("bun_js_heap_used_bytes", "Bytes of the JavaScript heap in use (JavaScriptCore heap size).", () => process.memoryUsage().heapUsed);
  gauge("bun_js_heap_capacity_bytes", "Bytes reserved for the JavaScript heap (JavaScriptCore heap capacity).", () => process.memoryUsage().heapTotal);
  gauge("bun_js_external_memory_bytes", "Bytes held outside the JavaScript heap by JavaScript objects (buffers, strings).", () => process.memoryUsage().external);
}

function procStatusKiB(field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function residentMemoryBytes(): number {
  return (isLinux ? procStatusKiB("VmRSS") : undefined) ?? process.memoryUsage().rss;
}

function virtualMemoryBytes(): number | undefined {
  return isLinux ? procStatusKiB("VmSize") : undefined;
}

function openFds(): number | undefined {
  try {
    // The directory listing itself holds one descriptor while it runs.
    return readdirSync("/proc/self/fd").length - 1;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    if (!m) return undefined;
    return m[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return undefined;
  }
}

function networkBytes(): { rx: number; tx: number } | undefined {
  try {
    let rx = 0;
    let tx = 0;
    for (const line of readFileSync("/proc/net/dev", "utf8").split("\n").slice(2)) {
      const [, counters] = line.split(":");
      if (!counters) continue;
      const f = counters.trim().split(/\s+/).map(Number);
      rx += f[0] ?? 0;
      tx += f[8] ?? 0;
    }
    return { rx, tx };
  } catch {
    return undefined;
  }
}
