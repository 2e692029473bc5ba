import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const root = join(import.meta.dir, "../../..");

/** Runs `body` in a fresh Bun process after importing the trace gateway's components; returns the descriptor modules loaded by then. */
function loadedDescriptorModules(body: string): string[] {
  const script = `
    await import(${JSON.stringify(join(root, "src/components/otelcol/receiver/otlp.ts"))});
    await import(${JSON.stringify(join(root, "src/components/otelcol/processor/batch.ts"))});
    await import(${JSON.stringify(join(root, "src/components/otelcol/exporter/otlphttp.ts"))});
    ${body}
    const ours = ${JSON.stringify(join(root, "src/telemetry/otlp"))};
    console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.startsWith(ours) && /(_pb|pdata|otlp_json)\\.ts$/.test(k)).map((k) => k.slice(ours.length + 1)).sort()));
  `;
  const r = Bun.spawnSync([process.execPath, "-e", script], { cwd: root, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString().trim().split("\n").at(-1)!) as string[];
}

describe("descriptors load on first use", () => {
  test("receiving, scanning, batching and answering protobuf traces loads none of them", () => {
    const loaded = loadedDescriptorModules(`
      const { scanExportRequest } = await import(${JSON.stringify(join(root, "src/telemetry/otlp/wire_scan.ts"))});
      const { encodedBatch } = await import(${JSON.stringify(join(root, "src/telemetry/otlp/batch.ts"))});
      const { fullSuccessBody } = await import(${JSON.stringify(join(root, "src/telemetry/otlp/response.ts"))});
      // One resource with one scope holding one span named "x".
      const span = [0x0a, 0x03, 0x32, 0x01, 0x78];
      const scope = [0x12, span.length, ...span];
      const rs = [0x12, scope.length, ...scope];
      const bytes = new Uint8Array([0x0a, rs.length, ...rs]);
      if (scanExportRequest("traces", bytes) !== 1) throw new Error("scan");
      if (encodedBatch("traces", bytes).itemCount() !== 1) throw new Error("batch");
      if (fullSuccessBody("protobuf").byteLength !== 0) throw new Error("response");
    `);
    expect(loaded).toEqual([]);
  });

  test("pdata() loads them", () => {
    const loaded = loadedDescriptorModules(`
      const { pdata } = await import(${JSON.stringify(join(root, "src/telemetry/otlp/schemas.ts"))});
      pdata().SIGNAL_DESCRIPTORS.traces.request;
    `);
    expect(loaded).toContain("pdata.ts");
    expect(loaded).toContain("gen/opentelemetry/proto/trace/v1/trace_pb.ts");
  });
});
