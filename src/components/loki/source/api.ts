// loki.source.api: a Loki-compatible push endpoint. POST /loki/api/v1/push (and
// /api/v1/push) takes snappy-compressed protobuf or JSON, optionally gzip or
// deflate encoded; POST /loki/api/v1/raw (and /api/v1/raw) takes one entry per
// line; GET /ready answers 200. 204 once every forward_to receiver took the
// entries; 400 with the reason for a body that does not decode; 413 beyond
// max_send_message_size; 500 when a receiver refuses, so clients retry.
// Invalid UTF-8 in lines or labels is replaced with U+FFFD while decoding.
// The `grpc` block is accepted for compatibility; no gRPC push server runs.

import { Histogram } from "prom-client";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { newLabelSet, nowNs, type Entry, type LabelSet } from "../../../telemetry/loki/entry.ts";
import { PushDecodeError } from "../../../telemetry/loki/push.ts";
import { decodePushBody } from "../../../telemetry/loki/push_http.ts";
import { LOGS_RECEIVER_TYPE, sendToAll, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { ServerHTTP, ServerTLS } from "../../common/http_server/config.ts";
import { ComponentHTTPServer } from "../../common/http_server/server.ts";
import { byteSize } from "../../common/byte_size.ts";
import { finalLabels, relabelRulesAttr } from "./labels.ts";

const ServerGRPC = schema.block({
  listen_address: schema.attr(schema.string, { default: "" }),
  listen_port: schema.attr(schema.int, { default: 0 }),
  conn_limit: schema.attr(schema.int, { default: 0 }),
  max_connection_age: schema.attr(schema.duration, { optional: true }),
  max_connection_age_grace: schema.attr(schema.duration, { optional: true }),
  max_connection_idle: schema.attr(schema.duration, { optional: true }),
  server_max_recv_msg_size: schema.attr(schema.int, { default: 4 * 1024 * 1024 }),
  server_max_send_msg_size: schema.attr(schema.int, { default: 4 * 1024 * 1024 }),
  server_max_concurrent_streams: schema.attr(schema.int, { default: 100 }),
  tls: schema.block(ServerTLS, { optional: true }),
});

const Arguments = schema.block({
  forward_to: schema.attr(schema.list(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE))),
  labels: schema.attr(schema.map(schema.string), { default: {} }),
  relabel_rules: relabelRulesAttr,
  use_incoming_timestamp: schema.attr(schema.bool, { default: false }),
  max_send_message_size: schema.attr(byteSize, { default: "100MiB" }),
  graceful_shutdown_timeout: schema.attr(schema.duration, { default: "30s" }),
  http: schema.block(ServerHTTP, { default: "defaults" }),
  grpc: schema.block(ServerGRPC, { optional: true }),
});
type Args = schema.Infer<typeof Arguments>;

const PUSH_PATHS = new Set(["/loki/api/v1/push", "/api/v1/push"]);
const RAW_PATHS = new Set(["/loki/api/v1/raw", "/api/v1/raw"]);

class BodyTooLarge extends Error {}

async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  if (req.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of req.body) {
    size += c.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(c);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

class SourceAPI implements ComponentInstance<Args> {
  private readonly server: ComponentHTTPServer;
  private readonly duration: Histogram;
  private args: Args;

  constructor(private readonly ctx: ComponentContext<Record<string, never>>, args: Args) {
    this.args = args;
    this.duration = new Histogram({
      name: "loki_source_api_request_duration_seconds",
      help: "Time (in seconds) spent serving HTTP requests.",
      labelNames: ["method", "route", "status_code", "ws"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [ctx.registry],
    });
    this.server = new ComponentHTTPServer((req) => this.handle(req));
  }

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  private async listen(): Promise<void> {
    const before = this.server.address;
    await this.server.listen(this.args.http);
    if (this.server.address !== before) this.ctx.logger.info("server listening", { addr: this.server.address });
    if (this.args.grpc !== undefined) this.ctx.logger.warn("the grpc block is accepted but no gRPC push server runs; use the http endpoint");
  }

  get port(): number {
    return this.server.port;
  }

  async update(args: Args): Promise<void> {
    this.args = args;
    await this.listen();
  }

  private async handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const start = performance.now();
    let route: string;
    let res: Response;
    if (path === "/ready") {
      route = "ready";
      res = new Response("ready\n", { status: 200 });
    } else if (PUSH_PATHS.has(path) || RAW_PATHS.has(path)) {
      const raw = RAW_PATHS.has(path);
      route = raw ? "api_v1_raw" : "api_v1_push";
      res = req.method !== "POST" ? new Response("method not allowed\n", { status: 405, headers: { Allow: "POST" } }) : await this.push(req, raw);
    } else {
      return new Response("404 page not found\n", { status: 404 });
    }
    this.duration.observe({ method: req.method, route, status_code: String(res.status), ws: "false" }, (performance.now() - start) / 1000);
    return res;
  }

  private async push(req: Request, raw: boolean): Promise<Response> {
    const max = this.args.max_send_message_size;
    if (Number(req.headers.get("content-length") ?? "0") > max) return this.tooLarge();
    let body: Uint8Array;
    try {
      body = await readLimited(req, max);
    } catch (e) {
      if (e instanceof BodyTooLarge) return this.tooLarge();
      return new Response(`error reading request body: ${(e as Error).message}\n`, { status: 400 });
    }
    let entries: Entry[];
    try {
      entries = raw ? this.rawEntries(body) : this.pushEntries(body, req.headers);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.ctx.logger.warn("failed to parse incoming push request", { err: msg });
      // Decompressing past the limit is "too large", not "malformed".
      if (/exceeds the limit|maxOutputLength|larger than|too large/i.test(msg)) return new Response(`${msg}\n`, { status: 413 });
      return new Response(`${msg}\n`, { status: 400 });
    }
    if (entries.length > 0) {
      try {
        await sendToAll(this.args.forward_to, entries);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        this.ctx.logger.error("error forwarding entries", { err: msg });
        return new Response(`${msg}\n`, { status: 500 });
      }
    }
    return new Response(null, { status: 204 });
  }

  private tooLarge(): Response {
    return new Response(`request body too large: exceeds max_send_message_size of ${this.args.max_send_message_size} bytes\n`, { status: 413 });
  }

  private streamLabels(ls: LabelSet): LabelSet | undefined {
    const merged = newLabelSet(ls);
    for (const [k, v] of Object.entries(this.args.labels)) merged[k] = v;
    return finalLabels(merged, this.args.relabel_rules);
  }

  private pushEntries(body: Uint8Array, headers: Headers): Entry[] {
    const streams = decodePushBody(body, headers.get("content-type"), headers.get("content-encoding"), {
      maxDecodedBytes: this.args.max_send_message_size,
    });
    const now = nowNs();
    const useTs = this.args.use_incoming_timestamp;
    const out: Entry[] = [];
    for (const s of streams) {
      const labels = this.streamLabels(s.labels);
      if (labels === undefined) continue;
      for (const e of s.entries) {
        out.push({ labels, timestamp: useTs ? e.timestamp : now, line: e.line, structuredMetadata: e.structuredMetadata });
      }
    }
    return out;
  }

  private rawEntries(body: Uint8Array): Entry[] {
    const labels = this.streamLabels(newLabelSet());
    if (labels === undefined) return [];
    const now = nowNs();
    const out: Entry[] = [];
    for (const line of new TextDecoder().decode(body).split("\n")) {
      const l = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (l !== "") out.push({ labels, timestamp: now, line: l, structuredMetadata: [] });
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }
}

export default defineComponent({
  name: "loki.source.api",
  stability: "generally-available",
  args: Arguments,
  build: (ctx, args) => new SourceAPI(ctx, args).start(),
});
