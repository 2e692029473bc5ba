// Snappy block compression (the format Prometheus remote write and Loki push use),
// backed by the snappy-wasm package's WebAssembly build. The .wasm file is imported
// as a file so `bun build --compile` embeds it; Bun.file reads it from the embedded
// filesystem inside the executable and from node_modules under `bun test`. The module
// initialises at load (top-level await), after which both functions are synchronous.

import wasmFile from "../node_modules/snappy-wasm/es/snappy_bg.wasm" with { type: "file" };
import { compress_raw, decompress_raw, initSync } from "snappy-wasm";

// TypeScript types the import from the package's own .d.ts (the wasm exports);
// at runtime a `type: "file"` import is the file's path.
const wasmPath = wasmFile as unknown as string;
initSync(await Bun.file(wasmPath).arrayBuffer());

/** Default cap on the decoded size of one block, against decompression bombs (Prometheus: no larger than 32 MiB bodies in practice). */
export const DEFAULT_MAX_DECODED_LENGTH = 512 * 1024 * 1024;

export class SnappyError extends Error {
  override name = "SnappyError";
}

export function snappyCompress(bytes: Uint8Array): Uint8Array {
  return compress_raw(bytes);
}

/**
 * The decoded length a snappy block declares in its varint header. Throws a
 * SnappyError if the header itself is malformed.
 */
export function snappyDecodedLength(bytes: Uint8Array): number {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= bytes.length) throw new SnappyError("snappy: corrupt input: truncated length header");
    const b = bytes[i]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (result > 0xffffffff) throw new SnappyError("snappy: corrupt input: decoded length too large");
      return result;
    }
    shift += 7;
  }
  throw new SnappyError("snappy: corrupt input: length header too long");
}

/** Decodes a snappy block; throws a SnappyError on corrupt or truncated input. */
export function snappyDecompress(bytes: Uint8Array, maxDecodedLength = DEFAULT_MAX_DECODED_LENGTH): Uint8Array {
  const n = snappyDecodedLength(bytes);
  if (n > maxDecodedLength) {
    throw new SnappyError(`snappy: decoded length ${n} exceeds the limit of ${maxDecodedLength} bytes`);
  }
  try {
    return decompress_raw(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new SnappyError(`snappy: corrupt input: ${why}`);
  }
}
