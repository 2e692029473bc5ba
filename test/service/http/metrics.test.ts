import { describe, expect, test } from "bun:test";
import { SelfMetrics, residentMemoryBytes } from "../../../src/service/http/metrics.ts";
import { buildInfo } from "../../../src/buildinfo.ts";

const promtool = Bun.which("promtool");
if (!promtool) console.warn("promtool not found (Debian package `prometheus`): skipping the promtool check of /metrics");

describe("self metrics", () => {
  test("alloy_build_info carries version, revision, branch, the Bun version and Go platform names", async () => {
    const text = await new SelfMetrics().registry.metrics();
    expect(text).toContain(
      `alloy_build_info{version="${buildInfo.version}",revision="${buildInfo.revision}",branch="${buildInfo.branch}",goversion="bun${Bun.version}",goos="${buildInfo.goos}",goarch="${buildInfo.goarch}",tags="builtinassets"} 1`,
    );
    if (process.platform === "linux" && process.arch === "x64") expect(text).toContain(`goos="linux",goarch="amd64"`);
  });

  test("config loads update the hash, success flag, timestamp and failure count", async () => {
    const m = new SelfMetrics("prod");
    m.recordConfigLoad(true, "ab".repeat(32));
    let text = await m.registry.metrics();
    expect(text).toContain(`alloy_config_hash{sha256="${"ab".repeat(32)}",cluster_name="prod"} 1`);
    expect(text).toContain("alloy_config_last_load_successful 1");
    expect(text).toMatch(/alloy_config_last_load_success_timestamp_seconds \d+/);
    m.recordConfigLoad(false, "cd".repeat(32));
    text = await m.registry.metrics();
    expect(text).not.toContain("ab".repeat(32));
    expect(text).toContain("alloy_config_last_load_successful 0");
    expect(text).toContain("alloy_config_load_failures_total 1");
  });

  test("process metrics are read from the OS", async () => {
    const text = await new SelfMetrics().registry.metrics();
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_start_time_seconds",
      "alloy_resources_process_cpu_seconds_total",
      "alloy_resources_process_resident_memory_bytes",
      "alloy_resources_process_start_time_seconds",
      "bun_js_heap_used_bytes",
    ]) {
      expect(text).toMatch(new RegExp(`^${name} [0-9.e+]+$`, "m"));
    }
    if (process.platform === "linux") {
      for (const name of ["process_open_fds", "process_max_fds", "process_virtual_memory_bytes", "alloy_resources_machine_rx_bytes_total"]) {
        expect(text).toMatch(new RegExp(`^${name} [0-9.e+]+$`, "m"));
      }
      // RSS from /proc is at least what the allocator reports for the JS heap alone.
      expect(residentMemoryBytes()).toBeGreaterThan(process.memoryUsage().heapUsed / 2);
    }
  });

  test.skipIf(!promtool)("promtool check metrics accepts the exposition", async () => {
    const m = new SelfMetrics();
    m.recordConfigLoad(true, "ab".repeat(32));
    const proc = Bun.spawn([promtool!, "check", "metrics"], { stdin: new TextEncoder().encode(await m.registry.metrics()), stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    expect(out + err).toBe("");
    expect(code).toBe(0);
  });
});
