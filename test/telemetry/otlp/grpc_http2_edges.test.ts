// OTLP/gRPC server behaviour at the HTTP/2 level, with a raw node:http2 client: framing
// corner cases, header compression churn, corrupt compression and connection keepalive.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import http2 from "node:http2";
import zlib from "node:zlib";
import type { AnyBatch } from "../../../src/telemetry/otlp/batch.ts";
import { encodeExportRequest } from "../../../src/telemetry/otlp/codec.ts";
import type { OtelConsumer } from "../../../src/telemetry/otlp/consumer.ts";
import { startOtlpGrpcServer, type OtlpServerHandle } from "../../../src/telemetry/otlp/grpc_server.ts";
import { tracesRequest, waitFor } from "./fixtures.ts";

const got: AnyBatch[] = [];
const consumer: OtelConsumer = {
  async consumeTraces(b) {
    got.push(b);
  },
};

let server: OtlpServerHandle;
beforeAll(async () => {
  server = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", includeMetadata: true }, consumer);
});
afterAll(() => server.close());

function frame(message: Uint8Array, compressed = false): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

interface RawResult {
  status: string | undefined;
  message: string | undefined;
}

/** One Export call; `write` decides how the request body is put on the wire. */
function call(session: http2.ClientHttp2Session, write: (s: http2.ClientHttp2Stream) => void, headers: Record<string, string> = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      ":path": "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    let headerStatus: string | undefined;
    let headerMessage: string | undefined;
    stream.on("response", (h) => {
      headerStatus = h["grpc-status"] as string | undefined;
      headerMessage = h["grpc-message"] as string | undefined;
    });
    stream.on("trailers", (t) => resolve({ status: t["grpc-status"] as string, message: t["grpc-message"] as string | undefined }));
    stream.on("data", () => {});
    stream.on("end", () => resolve({ status: headerStatus, message: headerMessage }));
    stream.on("error", reject);
    write(stream);
  });
}

function connect(): http2.ClientHttp2Session {
  const s = http2.connect(`http://${server.address}`);
  s.on("error", () => {});
  return s;
}

describe("OTLP/gRPC server at the HTTP/2 level", () => {
  test("an empty request message and an END_STREAM on an empty DATA frame are accepted", async () => {
    const session = connect();
    try {
      expect((await call(session, (s) => s.end(frame(new Uint8Array(0))))).status).toBe("0");
      const body = frame(encodeExportRequest("traces", tracesRequest(20), "protobuf"));
      const res = await call(session, (s) => {
        // Many small DATA frames, then END_STREAM alone in an empty one.
        for (let i = 0; i < body.length; i += 1000) s.write(body.subarray(i, i + 1000));
        s.end();
      });
      expect(res.status).toBe("0");
      expect(got.at(-1)!.itemCount()).toBe(20);
    } finally {
      session.close();
    }
  });

  test("header compression stays in sync across many requests with large, changing metadata", async () => {
    const session = connect();
    try {
      got.length = 0;
      const body = frame(encodeExportRequest("traces", tracesRequest(1), "protobuf"));
      for (let i = 0; i < 300; i++) {
        const value = `${i}-`.padEnd(2048, String.fromCharCode(97 + (i % 26)));
        const res = await call(session, (s) => s.end(body), { "x-tenant": value, [`x-extra-${i % 40}`]: String(i) });
        expect(res.status).toBe("0");
      }
      expect(got.length).toBe(300);
      got.forEach((b, i) => {
        expect(b.client?.metadata?.get("x-tenant")?.[0]?.startsWith(`${i}-`)).toBe(true);
        expect(b.client?.metadata?.get(`x-extra-${i % 40}`)).toEqual([String(i)]);
      });
    } finally {
      session.close();
    }
  }, 30_000);

  test("a corrupt gzip message is refused and the server keeps serving", async () => {
    const session = connect();
    try {
      const gz = zlib.gzipSync(encodeExportRequest("traces", tracesRequest(10), "protobuf"));
      const res = await call(session, (s) => s.end(frame(gz.subarray(0, gz.length - 10), true)), { "grpc-encoding": "gzip" });
      expect(res.status).not.toBe("0");
      const ok = await call(session, (s) => s.end(frame(zlib.gzipSync(encodeExportRequest("traces", tracesRequest(2), "protobuf")), true)), { "grpc-encoding": "gzip" });
      expect(ok.status).toBe("0");
    } finally {
      session.close();
    }
  });

  test("an unknown method, an unknown grpc-encoding and a compressed flag without one get gRPC errors; other content types 415", async () => {
    const session = connect();
    try {
      const body = frame(encodeExportRequest("traces", tracesRequest(1), "protobuf"));
      const unknownMethod = await call(session, (s) => s.end(body), { ":path": "/opentelemetry.proto.collector.trace.v1.TraceService/Nope" });
      expect(unknownMethod.status).toBe("12");
      const unknownEncoding = await call(session, (s) => s.end(frame(new Uint8Array(0), true)), { "grpc-encoding": "brotli" });
      expect(unknownEncoding.status).toBe("12");
      const flagWithoutEncoding = await call(session, (s) => s.end(frame(new Uint8Array(0), true)));
      expect(flagWithoutEncoding.status).toBe("13");
      const twoMessages = await call(session, (s) => s.end(Buffer.concat([body, body])));
      expect(twoMessages.status).toBe("12");
      const noMessage = await call(session, (s) => s.end());
      expect(noMessage.status).toBe("12");
      const httpStatus = await new Promise<unknown>((resolve, reject) => {
        const st = session.request({ ":method": "POST", ":path": "/opentelemetry.proto.collector.trace.v1.TraceService/Export", "content-type": "text/plain" });
        st.on("response", (h) => resolve(h[":status"]));
        st.on("error", reject);
        st.end("x");
      });
      expect(httpStatus).toBe(415);
      expect((await call(session, (s) => s.end(body))).status).toBe("0");
    } finally {
      session.close();
    }
  });

  test("an idle connection is closed after max_connection_idle", async () => {
    const idle = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0", keepalive: { maxConnectionIdleMs: 200 } }, consumer);
    try {
      const session = http2.connect(`http://${idle.address}`);
      session.on("error", () => {});
      let goaway = false;
      session.on("goaway", () => (goaway = true));
      session.on("close", () => (goaway = true));
      await waitFor(() => goaway, "the server to close the idle connection", 5000);
      session.destroy();
    } finally {
      await idle.close();
    }
  });
});

describe("OTLP/gRPC server on a Unix socket", () => {
  test("accepts exports over transport = unix", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "otlp-unix-"));
    const socket = path.join(dir, "otlp.sock");
    const unixServer = await startOtlpGrpcServer({ transport: "unix", endpoint: socket }, consumer);
    try {
      const net = await import("node:net");
      const session = http2.connect("http://localhost", { createConnection: () => net.connect(socket) });
      session.on("error", () => {});
      got.length = 0;
      const res = await call(session, (s) => s.end(frame(encodeExportRequest("traces", tracesRequest(3), "protobuf"))));
      expect(res.status).toBe("0");
      expect(got[0]!.itemCount()).toBe(3);
      session.close();
    } finally {
      await unixServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("closing the OTLP/gRPC server", () => {
  test("a request in flight when close() is called still gets its answer", async () => {
    let release: () => void = () => {};
    let started = false;
    const slow: OtelConsumer = {
      consumeTraces: () =>
        new Promise<void>((resolve) => {
          started = true;
          release = resolve;
        }),
    };
    const s = await startOtlpGrpcServer({ endpoint: "127.0.0.1:0" }, slow);
    const session = http2.connect(`http://${s.address}`);
    session.on("error", () => {});
    const pending = call(session, (st) => st.end(frame(encodeExportRequest("traces", tracesRequest(1), "protobuf"))));
    await waitFor(() => started, "the consumer to be called");
    const closing = s.close();
    release();
    expect((await pending).status).toBe("0");
    await closing;
    session.destroy();
  });
});
