// stage.geoip: looks up an IP address (an extracted value) in a
// user-supplied MaxMind database (city, country or ASN) and adds the
// `geoip_*` extracted values, or runs `custom_lookups` JMESPath expressions
// over the raw record.

import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type * as MMDB from "mmdb-lib";
import type { Reader, Response } from "mmdb-lib";
import { jmespath, type JSONValue } from "./jmes.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { Extracted, Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { stageInput } from "./values.ts";

export const GeoIPBlock = schema.block({
  db: schema.attr(schema.string),
  source: schema.attr(schema.string),
  db_type: schema.attr(schema.string, { default: "" }),
  custom_lookups: schema.attr(schema.map(schema.string), { optional: true }),
});

type Names = { names?: Record<string, string> };
interface GeoRecord {
  city?: Names;
  country?: Names & { iso_code?: string };
  continent?: Names & { code?: string };
  postal?: { code?: string };
  location?: { time_zone?: string; latitude?: number; longitude?: number };
  subdivisions?: Array<Names & { iso_code?: string }>;
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
}

function setIf(extracted: Extracted, key: string, v: string | number | undefined): void {
  if (v !== undefined && v !== "" && v !== 0) extracted[key] = v;
}

function countryFields(extracted: Extracted, r: GeoRecord): void {
  setIf(extracted, "geoip_country_name", r.country?.names?.en);
  setIf(extracted, "geoip_country_code", r.country?.iso_code);
  setIf(extracted, "geoip_continent_name", r.continent?.names?.en);
  setIf(extracted, "geoip_continent_code", r.continent?.code);
}

function cityFields(extracted: Extracted, r: GeoRecord): void {
  setIf(extracted, "geoip_city_name", r.city?.names?.en);
  countryFields(extracted, r);
  setIf(extracted, "geoip_postal_code", r.postal?.code);
  setIf(extracted, "geoip_timezone", r.location?.time_zone);
  const lat = r.location?.latitude ?? 0;
  const lon = r.location?.longitude ?? 0;
  if (lat !== 0 || lon !== 0) {
    extracted.geoip_location_latitude = lat;
    extracted.geoip_location_longitude = lon;
  }
  const sub = r.subdivisions?.[r.subdivisions.length - 1];
  setIf(extracted, "geoip_subdivision_name", sub?.names?.en);
  setIf(extracted, "geoip_subdivision_code", sub?.iso_code);
}

function asnFields(extracted: Extracted, r: GeoRecord): void {
  setIf(extracted, "geoip_autonomous_system_number", r.autonomous_system_number);
  setIf(extracted, "geoip_autonomous_system_organization", r.autonomous_system_organization);
}

export function newGeoIPStage(args: schema.Infer<typeof GeoIPBlock>, ctx: StageContext): Stage {
  if (args.db === "") throw new Error("db path cannot be empty");
  if (args.source === "") throw new Error("source cannot be empty");
  if (args.db_type === "" && args.custom_lookups === undefined) throw new Error("db type or values need to be set");
  if (!["", "asn", "city", "country"].includes(args.db_type)) throw new Error("db type should be either city or asn");
  const lookups = Object.entries(args.custom_lookups ?? {}).map(([key, expr]) => {
    try {
      return [key, jmespath().compile(expr === "" ? key : expr)] as const;
    } catch {
      throw new Error("could not compile JMES expression");
    }
  });
  let reader: Reader<Response>;
  try {
    // mmdb-lib loads with the first geoip stage, not with loki.process.
    reader = new (require("mmdb-lib") as typeof MMDB).Reader(readFileSync(args.db));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(e.code === "ENOENT" ? `open ${args.db}: no such file or directory` : `${args.db}: ${e.message}`);
  }
  const logger = ctx.logger.with({ stage: "geoip" });
  const fill = args.db_type === "city" ? cityFields : args.db_type === "country" ? countryFields : args.db_type === "asn" ? asnFields : undefined;
  return mutatingStage((e) => {
    const ip = stageInput(logger, e.extracted, e.entry.line, args.source);
    if (ip === undefined) return;
    if (isIP(ip) === 0) {
      logger.error("source is not an ip", { source: ip });
      return;
    }
    let record: GeoRecord | null;
    try {
      record = reader.get(ip) as GeoRecord | null;
    } catch (err) {
      logger.error("unable to lookup record for the ip", { err: (err as Error).message, ip });
      return;
    }
    if (record === null) return;
    fill?.(e.extracted, record);
    for (const [key, expr] of lookups) {
      let r: JSONValue;
      try {
        r = jmespath().TreeInterpreter.search(expr, record as unknown as JSONValue);
      } catch (err) {
        logger.error("failed to search JMES expression", { err: (err as Error).message });
        continue;
      }
      if (r === null || r === undefined) continue;
      e.extracted[key] = r;
    }
  });
}
