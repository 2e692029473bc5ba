// The snappy codec the Loki push path uses. The project's embedded loader in
// wasm/ (snappyCompress / snappyDecompress) is meant to replace this
// initialisation once it exists; the interface stays the same.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { SnappyCodec } from "./push.ts";

interface SnappyWasm {
  initSync(module: BufferSource): unknown;
  compress_raw(input: Uint8Array): Uint8Array;
  decompress_raw(input: Uint8Array): Uint8Array;
}

let lib: SnappyWasm | undefined;

function load(): SnappyWasm {
  if (lib) return lib;
  const require = createRequire(import.meta.url);
  const mod = require("snappy-wasm") as SnappyWasm;
  // The CommonJS build instantiates itself from its own .wasm file on require.
  if (typeof mod.compress_raw !== "function") {
    mod.initSync(readFileSync(require.resolve("snappy-wasm/es/snappy_bg.wasm")));
  }
  lib = mod;
  return mod;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export const snappy: SnappyCodec = {
  compress(data) {
    return load().compress_raw(data);
  },
  decompress(data) {
    try {
      return load().decompress_raw(data);
    } catch (err) {
      throw toError(err);
    }
  },
};
