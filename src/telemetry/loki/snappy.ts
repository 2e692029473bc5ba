// The snappy codec the Loki push path uses: the project's embedded
// WebAssembly loader (wasm/snappy.ts), behind the SnappyCodec interface.

import { snappyCompress, snappyDecompress } from "../../../wasm/snappy.ts";
import type { SnappyCodec } from "./push.ts";

export const snappy: SnappyCodec = {
  compress: snappyCompress,
  decompress: (data, maxDecodedLength) => snappyDecompress(data, maxDecodedLength),
};
