// Size attributes (units.Base2Bytes in Alloy): a number is a byte count, a string is
// read as Go's units package reads it ("4MiB", "512KB").

import * as schema from "../../syntax/schema/index.ts";
import { formatBase2Bytes, parseBase2Bytes } from "../../gocompat/units.ts";
import { toInt } from "../../syntax/convert.ts";

const asText = schema.text("Base2Bytes", parseBase2Bytes, formatBase2Bytes, () => 0);

export const byteSize: schema.Type<number, number | string> = {
  ...asText,
  decode: (v) => (typeof v === "bigint" || typeof v === "number" ? Number(toInt(v)) : asText.decode(v)),
};
