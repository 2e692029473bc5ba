// Runtime floor 4: the default config's job (examples/config.alloy) with no configuration
// language, component runtime, write-ahead log or UI: prom-client metrics served by Hono,
// scraped in process every 15 s, parsed into samples, snappy-compressed and POSTed to a
// second server that decompresses them.
import { Hono } from "hono";
import { Counter, Gauge, Registry } from "prom-client";
import { snappyCompress, snappyDecompress } from "../../../wasm/snappy.ts";

const registry = new Registry();
new Counter({ name: "alloy_config_load_failures_total", help: "Config loads that failed.", registers: [registry] }).inc(0);
new Gauge({ name: "alloy_build_info", help: "Build information.", labelNames: ["version", "revision"], registers: [registry] }).set({ version: "v1", revision: "0" }, 1);
for (let i = 0; i < 40; i++) {
  new Gauge({ name: `alloy_component_metric_${i}`, help: "A component metric.", labelNames: ["component_id"], registers: [registry] }).set({ component_id: "prometheus.scrape.self" }, i);
}
const app = new Hono();
app.get("/-/ready", (c) => c.text("Alloy is ready.\n"));
app.get("/metrics", async (c) => c.text(await registry.metrics()));
Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });

let receivedBytes = 0;
const receiver = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    receivedBytes += snappyDecompress(new Uint8Array(await req.arrayBuffer())).length;
    return new Response(null, { status: 204 });
  },
});

async function scrape(): Promise<void> {
  const text = await (await app.fetch(new Request("http://alloy.internal:12345/metrics"))).text();
  const samples: [string, number][] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.push([line.slice(0, space), Number(line.slice(space + 1))]);
  }
  const body = snappyCompress(new TextEncoder().encode(JSON.stringify(samples)));
  await (await fetch(`http://127.0.0.1:${receiver.port}/api/v1/write`, { method: "POST", body: body as Uint8Array<ArrayBuffer> })).arrayBuffer();
}

await scrape();
setInterval(scrape, 15_000);
console.log(receivedBytes > 0 ? "ready" : "nothing received");
