// Runtime floor 5: an OTLP gateway with no decoding, batching, configuration or runtime:
// OTLP/HTTP on Bun.serve and OTLP/gRPC on node:http2, each request body forwarded as is
// with fetch to the sink given as the first argument.
//   gateway <sink URL>   prints "<http port> <grpc port>" once both listen
import * as http2 from "node:http2";

const sink = process.argv[2]!;
async function forward(body: Uint8Array<ArrayBuffer>): Promise<void> {
  const r = await fetch(sink, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body });
  await r.arrayBuffer();
}

const httpServer = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    await forward(new Uint8Array(await req.arrayBuffer()));
    return new Response(new Uint8Array(0), { headers: { "content-type": "application/x-protobuf" } });
  },
});

const grpcServer = http2.createServer();
grpcServer.on("stream", (stream: http2.ServerHttp2Stream) => {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.on("end", async () => {
    // One uncompressed gRPC message: a 5-byte prefix, then the request.
    await forward(new Uint8Array(Buffer.concat(chunks).subarray(5)));
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
});
grpcServer.listen(0, "127.0.0.1", () => {
  const address = grpcServer.address();
  console.log(`${httpServer.port} ${typeof address === "object" && address ? address.port : 0}`);
});
