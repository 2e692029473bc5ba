// Runtime floor 3: the Hono server of floor 2 with snappy-wasm loaded, the two pieces the
// design fixes for every config that sends remote write (serving, and snappy for the wire).
import { Hono } from "hono";
import { snappyCompress, snappyDecompress } from "../../../wasm/snappy.ts";

const app = new Hono();
app.get("/-/ready", (c) => c.text("Alloy is ready.\n"));
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
const body = await (await fetch(`http://127.0.0.1:${server.port}/-/ready`)).text();
const roundTrip = new TextDecoder().decode(snappyDecompress(snappyCompress(new TextEncoder().encode(body))));
console.log(roundTrip === body ? "ready" : "snappy round trip failed");
