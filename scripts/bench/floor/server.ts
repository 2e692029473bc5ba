// Runtime floor 2: a Hono app on Bun.serve answering /-/ready, as `alloy run` does with no config.
import { Hono } from "hono";

const app = new Hono();
app.get("/-/ready", (c) => c.text("Alloy is ready.\n"));
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
const r = await fetch(`http://127.0.0.1:${server.port}/-/ready`);
await r.text();
console.log("ready");
