// grpc-encoding codecs for connect beyond its built-in gzip: zstd (which the Collector's
// gRPC receiver and exporter also speak), with the inflated size capped while inflating.

import zlib from "node:zlib";
import { promisify } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";

const zstdCompress = zlib.zstdCompress === undefined ? undefined : promisify(zlib.zstdCompress);
const zstdDecompress = zlib.zstdDecompress === undefined ? undefined : promisify(zlib.zstdDecompress);

export const compressionZstd: Compression | undefined =
  zstdCompress === undefined || zstdDecompress === undefined
    ? undefined
    : {
        name: "zstd",
        compress: async (bytes) => new Uint8Array(await zstdCompress(bytes)),
        decompress: async (bytes, readMaxBytes) => {
          if (bytes.length === 0) return new Uint8Array(0);
          try {
            return new Uint8Array(await zstdDecompress(bytes, { maxOutputLength: readMaxBytes }));
          } catch (err) {
            if ((err as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
              throw new ConnectError(`message is larger than configured readMaxBytes ${readMaxBytes} after decompression`, Code.ResourceExhausted);
            }
            throw new ConnectError(`cannot decompress zstd message: ${(err as Error).message}`, Code.InvalidArgument);
          }
        },
      };
