// Helpers for prometheus.remote_write tests: a `test.push` component whose
// forward_to receivers tests can hand batches to, and a fake remote write server
// that decodes what it gets and answers with a scripted status.

import { fromBinary } from "@bufbuild/protobuf";
import * as schema from "../../../src/syntax/schema/index.ts";
import { defineComponent } from "../../../src/runtime/component.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../../src/telemetry/prometheus/appendable.ts";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { WriteRequestSchema } from "../../../src/telemetry/prometheus/gen/prometheus/remote_pb.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { decodeRemoteWriteBody } from "../../../src/telemetry/prometheus/remotewrite/http.ts";
import { snappyDecompress } from "../../../wasm/snappy.ts";

/** forward_to receivers of each `test.push` component, by local ID. */
export const pushTargets = new Map<string, readonly MetricsReceiver[]>();

export const testPush = defineComponent({
  name: "test.push",
  stability: "generally-available",
  args: schema.block({ forward_to: schema.attr(schema.list(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE))) }),
  build(ctx, args) {
    pushTargets.set(ctx.id, args.forward_to);
    return {
      update(a) {
        pushTargets.set(ctx.id, a.forward_to);
      },
    };
  },
});

/** Hands a batch to every receiver of `test.push.<name>`. */
export async function push(name: string, batch: MetricsBatch): Promise<void> {
  const rs = pushTargets.get(`test.push.${name}`);
  if (rs === undefined) throw new Error(`test.push.${name} has not been built`);
  await Promise.all(rs.map((r) => r.appendBatch(batch)));
}

/** A batch of `n` samples of series `name{i="k"}` (k < series), timestamps from `t0` in steps of 1000. */
export function counterBatch(name: string, series: number, t0: number, value: (k: number) => number = () => 1): MetricsBatch {
  const b = new MetricsBatch(series);
  for (let k = 0; k < series; k++) b.appendSample(Labels.fromStrings("__name__", name, "i", String(k)), t0, value(k));
  return b;
}

export interface ReceivedSample {
  labels: Record<string, string>;
  t: number;
  v: number;
}

export interface ReceivedRequest {
  headers: Headers;
  body: Uint8Array;
  at: number;
  samples: ReceivedSample[];
  status: number;
}

/** A remote write endpoint on 127.0.0.1; `respond` picks the status of each request (204 by default). */
export class FakeRemoteWrite {
  readonly requests: ReceivedRequest[] = [];
  server: ReturnType<typeof Bun.serve>;
  respond: (req: Request, n: number) => Response | Promise<Response> = () => new Response(null, { status: 204 });

  readonly port: number;

  constructor(port = 0) {
    this.server = this.#serve(port);
    this.port = this.server.port!;
  }

  #serve(port: number): ReturnType<typeof Bun.serve> {
    return Bun.serve({
      hostname: "127.0.0.1",
      port,
      fetch: async (req) => {
        const body = new Uint8Array(await req.arrayBuffer());
        const res = await this.respond(req, this.requests.length);
        const decoded = decodeRemoteWriteBody(body, req.headers);
        const samples: ReceivedSample[] = [];
        decoded.batch.forEachSample((s, t, v) => samples.push({ labels: s.toObject(), t, v }));
        this.requests.push({ headers: req.headers, body, at: Date.now(), samples, status: res.status });
        return res;
      },
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v1/write`;
  }

  /** Samples of requests answered with 2xx. */
  accepted(): ReceivedSample[] {
    return this.requests.filter((r) => r.status < 300).flatMap((r) => r.samples);
  }

  async stop(): Promise<void> {
    await this.server.stop(true);
  }

  /** Listens again on the same port (after stop). */
  restart(): void {
    this.server = this.#serve(this.port);
  }
}

/** The independent decode path: @bufbuild/protobuf's generated WriteRequest. */
export function decodeWithProtobufES(body: Uint8Array) {
  return fromBinary(WriteRequestSchema, snappyDecompress(body));
}

/** A metric value from a Prometheus text exposition, matching a name and label substrings. */
export function metricValue(text: string, name: string, ...contains: string[]): number | undefined {
  let sum: number | undefined;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!contains.every((c) => line.includes(c))) continue;
    sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}
