// prometheus.receive_http: serves `POST /api/v1/metrics/write` (remote write 1.0,
// snappy-compressed protobuf) on the `http` block's address and forwards each
// request as one MetricsBatch to forward_to. 204 once every receiver took it; 400
// with the reason for a payload that does not decode; 413 over the body limit; 415
// for another encoding or message; 500 when a receiver refuses, so senders retry.

import { Gauge, Histogram } from "prom-client";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";
import * as schema from "../../syntax/schema/index.ts";
import { concatBytes } from "../../telemetry/concat_bytes.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../telemetry/prometheus/appendable.ts";
import { Labels } from "../../telemetry/prometheus/labels.ts";
import { decodeRemoteWriteBody, RemoteWriteRequestError } from "../../telemetry/prometheus/remotewrite/http.ts";
import { ServerHTTP } from "../common/http_server/config.ts";
import { ComponentHTTPServer } from "../common/http_server/server.ts";
import { ForwardingReceiver } from "./scrape/forward.ts";

const Arguments = schema.block({
  forward_to: schema.attr(schema.list(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE))),
  http: schema.block(ServerHTTP, { default: "defaults" }),
  accepted_remote_write_protobuf_messages: schema.attr(schema.list(schema.string), { default: ["prometheus.WriteRequest"] }),
  append_metadata: schema.attr(schema.bool, { default: false }),
  enable_type_and_unit_labels: schema.attr(schema.bool, { default: false }),
}, {
  validate: (a) => {
    for (const m of a.accepted_remote_write_protobuf_messages) {
      if (m !== "prometheus.WriteRequest" && m !== "io.prometheus.write.v2.Request") return `unknown remote write protobuf message ${JSON.stringify(m)}`;
    }
    if (a.accepted_remote_write_protobuf_messages.length === 0) return "accepted_remote_write_protobuf_messages must not be empty";
    return undefined;
  },
});

type Args = schema.Infer<typeof Arguments>;

export const WRITE_PATH = "/api/v1/metrics/write";
/** Largest compressed body accepted. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Largest decompressed body accepted. */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;
const ROUTE = "api_v1_metrics_write";

class ReceiveHTTP implements ComponentInstance<Args> {
  readonly #server: ComponentHTTPServer;
  readonly #forward: ForwardingReceiver;
  readonly #duration: Histogram;
  readonly #requestBytes: Histogram;
  readonly #inflight: Gauge;
  #args: Args;

  constructor(
    private readonly ctx: ComponentContext<Record<string, never>>,
    args: Args,
  ) {
    this.#args = args;
    const registers = [ctx.registry];
    const p = "prometheus_receive_http_";
    this.#duration = new Histogram({
      name: `${p}request_duration_seconds`,
      help: "Time (in seconds) spent serving HTTP requests.",
      labelNames: ["method", "route", "status_code", "ws"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#requestBytes = new Histogram({
      name: `${p}request_message_bytes`,
      help: "Size (in bytes) of messages received in the request.",
      labelNames: ["method", "route"],
      buckets: [1024, 8192, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
      registers,
    });
    this.#inflight = new Gauge({ name: `${p}inflight_requests`, help: "Current number of inflight requests.", labelNames: ["method", "route"], registers });
    this.#forward = new ForwardingReceiver(ctx.registry, ctx.liveDebugging);
    this.#forward.setChildren(args.forward_to);
    this.#server = new ComponentHTTPServer((req) => this.#handle(req));
  }

  async start(): Promise<this> {
    await this.#listen(this.#args);
    return this;
  }

  async #listen(args: Args): Promise<void> {
    const before = this.#server.address;
    await this.#server.listen(args.http);
    if (this.#server.address !== before) this.ctx.logger.info("server listening", { addr: this.#server.address });
  }

  async update(args: Args): Promise<void> {
    this.#args = args;
    this.#forward.setChildren(args.forward_to);
    await this.#listen(args);
  }

  /** The bound port (useful when listen_port is 0). */
  get port(): number {
    return this.#server.port;
  }

  async #handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (path !== WRITE_PATH) return new Response("404 page not found\n", { status: 404 });
    const method = req.method;
    const start = performance.now();
    this.#inflight.inc({ method, route: ROUTE });
    let res: Response;
    try {
      res = method === "POST" ? await this.#write(req) : new Response("method not allowed\n", { status: 405, headers: { Allow: "POST" } });
    } finally {
      this.#inflight.dec({ method, route: ROUTE });
    }
    this.#duration.observe({ method, route: ROUTE, status_code: String(res.status), ws: "false" }, (performance.now() - start) / 1000);
    return res;
  }

  async #write(req: Request): Promise<Response> {
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > MAX_BODY_BYTES) return tooLarge(declared);
    let body: Uint8Array;
    try {
      body = await readLimited(req, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) return tooLarge(e.size);
      return new Response(`error reading request body: ${(e as Error).message}\n`, { status: 400 });
    }
    this.#requestBytes.observe({ method: "POST", route: ROUTE }, body.length);
    const proto = protoParam(req.headers.get("content-type"));
    if (proto !== undefined && !this.#args.accepted_remote_write_protobuf_messages.includes(proto)) {
      return new Response(`unsupported protobuf message ${JSON.stringify(proto)}\n`, { status: 415 });
    }
    let decoded;
    try {
      decoded = decodeRemoteWriteBody(body, req.headers, MAX_DECODED_BYTES);
    } catch (e) {
      const status = e instanceof RemoteWriteRequestError ? e.status : 400;
      const msg = e instanceof Error ? e.message : String(e);
      this.ctx.logger.warn("rejected remote write request", { status, err: msg });
      return new Response(`${msg}\n`, { status });
    }
    const batch = decoded.batch;
    if (this.#args.append_metadata) {
      for (const m of decoded.metadata) batch.updateMetadata(Labels.fromStrings("__name__", m.metricFamilyName), { type: m.type, help: m.help, unit: m.unit });
    }
    if (batch.isEmpty()) return new Response(null, { status: 204 });
    try {
      await this.#forward.appendBatch(batch);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.ctx.logger.error("error forwarding remote write request", { err: msg });
      return new Response(`${msg}\n`, { status: 500 });
    }
    return new Response(null, { status: 204 });
  }

  async stop(): Promise<void> {
    await this.#server.close();
  }
}

class BodyTooLarge extends Error {
  constructor(readonly size: number) {
    super(`request body of at least ${size} bytes exceeds the limit`);
  }
}

function tooLarge(size: number): Response {
  return new Response(`request body too large: ${size} bytes exceeds the limit of ${MAX_BODY_BYTES} bytes\n`, { status: 413 });
}

function protoParam(ct: string | null): string | undefined {
  if (ct === null) return undefined;
  for (const p of ct.split(";").slice(1)) {
    const [k, v] = p.split("=").map((s) => s.trim());
    if (k === "proto" && v !== undefined) return v;
  }
  return undefined;
}

async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  if (req.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of req.body) {
    size += c.length;
    if (size > limit) throw new BodyTooLarge(size);
    chunks.push(c);
  }
  return concatBytes(chunks, size);
}

export default defineComponent({
  name: "prometheus.receive_http",
  stability: "generally-available",
  args: Arguments,
  build: (ctx, args) => new ReceiveHTTP(ctx, args).start(),
});
