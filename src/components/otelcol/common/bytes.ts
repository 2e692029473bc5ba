// Byte sizes written as Go's units.Base2Bytes ("4MiB", "512KiB").

import * as schema from "../../../syntax/schema/index.ts";
import { parseBase2Bytes } from "../../prometheus/scrape/arguments.ts";

function formatBytes(n: number): string {
  for (const [u, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size}${u}`;
  }
  return `${n}B`;
}

export const byteSize = schema.text("Base2Bytes", parseBase2Bytes, formatBytes, () => 0);
