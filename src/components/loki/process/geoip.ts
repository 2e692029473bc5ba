// stage.geoip: arguments and validation as Alloy has them. Lookups need a
// user-supplied MaxMind database and a reader for its format, which this
// build does not include yet: the stage refuses to build with a message that
// says so rather than passing entries through without the fields.

import { existsSync } from "node:fs";
import { compile } from "@jmespath-community/jmespath";
import * as schema from "../../../syntax/schema/index.ts";
import type { Stage } from "./pipeline.ts";

export const GeoIPBlock = schema.block({
  db: schema.attr(schema.string),
  source: schema.attr(schema.string),
  db_type: schema.attr(schema.string, { default: "" }),
  custom_lookups: schema.attr(schema.map(schema.string), { optional: true }),
});

export function newGeoIPStage(args: schema.Infer<typeof GeoIPBlock>): Stage {
  if (args.db === "") throw new Error("db path cannot be empty");
  if (args.source === "") throw new Error("source cannot be empty");
  const lookups = args.custom_lookups ?? {};
  if (args.db_type === "" && Object.keys(lookups).length === 0) throw new Error("db type or values need to be set");
  if (!["", "asn", "city", "country"].includes(args.db_type)) throw new Error("db type should be either city or asn");
  for (const expr of Object.values(lookups)) {
    try {
      compile(expr);
    } catch {
      throw new Error("could not compile JMES expression");
    }
  }
  if (!existsSync(args.db)) throw new Error(`failed to open db: open ${args.db}: no such file or directory`);
  throw new Error(`stage.geoip: reading MaxMind databases (${args.db}) is not supported by this build`);
}
