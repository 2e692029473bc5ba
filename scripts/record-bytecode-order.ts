// Records which functions the executable runs for its common workloads, for the
// profile-guided bytecode layout of build.ts (compile.bytecodeOrder): the bytecode a run
// uses is placed together at the front of the executable, so fewer of its pages are read
// into memory. Run it after changes that move a lot of code; an older profile still
// applies to the functions that did not change.
//   bun scripts/record-bytecode-order.ts      (ALLOY_BINARY=<path> to record another build)
//
// Workloads, most common first (build.ts passes the profiles in this order):
//   default-config.txt  examples/config.alloy until remote_write has sent samples
//   otlp-gateway.txt    otelcol.receiver.otlp → processor.batch → exporter.otlphttp with
//                       OTLP/HTTP and then OTLP/gRPC traces flowing

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { alloyBinary } from "../test/e2e/binary/alloy_process.ts";
import { freePort } from "../test/components/otelcol/exporter_sink.ts";
import { waitFor } from "../test/runtime/helpers.ts";
import { traceGatewayConfig, traceRequest } from "./bench/trace_gateway.ts";

const root = join(import.meta.dir, "..");
const out = join(import.meta.dir, "bytecode-order");

/** Runs alloy on `config` while `work` runs, then stops it; the profile is written at exit. */
async function record(name: string, config: string, work: (httpPort: number) => Promise<void>): Promise<void> {
  const bin = await alloyBinary();
  const dir = mkdtempSync(join(tmpdir(), "alloy-order-"));
  const httpPort = freePort();
  const profile = join(out, name);
  const proc = Bun.spawn([bin, "run", config, `--server.http.listen-addr=127.0.0.1:${httpPort}`, `--storage.path=${join(dir, "data")}`], {
    cwd: root,
    env: { ...process.env, BUN_BYTECODE_ORDER_OUT: profile },
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    await waitFor(() => fetch(`http://127.0.0.1:${httpPort}/-/ready`).then((r) => r.ok, () => false), 60_000, "alloy to be ready");
    await work(httpPort);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
  console.log(`${name}: ${(await Bun.file(profile).text()).split("\n").length - 1} lines`);
}

async function metric(httpPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(name)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  return sum;
}

await record("default-config.txt", join(root, "examples/config.alloy"), async (httpPort) => {
  await waitFor(async () => (await metric(httpPort, "prometheus_remote_storage_samples_total")) > 0, 120_000, "remote_write to send samples");
  for (const path of ["/", "/api/v0/web/components", "/metrics"]) await (await fetch(`http://127.0.0.1:${httpPort}${path}`)).arrayBuffer();
});

let received = 0;
const sink = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    await req.arrayBuffer();
    received++;
    return new Response(new Uint8Array(0), { headers: { "Content-Type": "application/x-protobuf" } });
  },
});
const [otlpGrpc, otlpHttp] = [freePort(), freePort()];
const gatewayDir = mkdtempSync(join(tmpdir(), "alloy-order-otlp-"));
const gatewayConfig = join(gatewayDir, "config.alloy");
writeFileSync(gatewayConfig, traceGatewayConfig({ grpc: otlpGrpc, http: otlpHttp, sink: sink.port! }, "none"));
const body = traceRequest(0);
await record("otlp-gateway.txt", gatewayConfig, async () => {
  const client = new grpc.Client(`127.0.0.1:${otlpGrpc}`, grpc.credentials.createInsecure());
  const viaGrpc = () =>
    new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest("/opentelemetry.proto.collector.trace.v1.TraceService/Export", (x: Buffer) => x, (x: Buffer) => x, Buffer.from(body), (err) => (err ? reject(err) : resolve())),
    );
  const viaHttp = async () => {
    const r = await fetch(`http://127.0.0.1:${otlpHttp}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
  };
  try {
    // A few seconds of 10k spans/s over one transport, then the other: each transport's
    // functions end up together, so a gateway fed by one of them reads fewer pages.
    for (const send of [viaHttp, viaGrpc]) {
      const end = Date.now() + 3000;
      while (Date.now() < end) {
        await send();
        await Bun.sleep(10);
      }
    }
    await waitFor(() => received > 0, 60_000, "the exporter to forward");
  } finally {
    client.close();
  }
});
sink.stop(true);
