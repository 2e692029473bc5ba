// Starting the compiled binary with an otelcol config for end-to-end tests.

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlloyProcess, eventually } from "../binary/alloy_process.ts";

export { canRunBinary, eventually } from "../binary/alloy_process.ts";
export { freePort, OtlpSink } from "../../components/otelcol/exporter_sink.ts";

/** Starts `alloy run` with this config and waits until every listed port accepts connections. */
export async function startAlloy(config: string, ports: number[], flags: string[] = []): Promise<AlloyProcess> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-otel-e2e-"));
  const file = join(dir, "config.alloy");
  await writeFile(file, config);
  const p = await AlloyProcess.start(["run", ...flags, file]);
  let exited = false;
  void p.exited.then(() => (exited = true));
  for (const port of ports) {
    await eventually(async () => {
      if (exited) throw new Error(`alloy exited:\n${p.stderr}`);
      const s = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      s.end();
      return true;
    }, `port ${port} to accept connections`, 60_000);
  }
  return p;
}

export async function stopAlloy(p: AlloyProcess | undefined): Promise<void> {
  if (!p) return;
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 10_000);
  await p.exited;
  clearTimeout(t);
}
