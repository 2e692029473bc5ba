import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../runtime/helpers.ts";
import { entry, runStages, type Harness } from "./harness.ts";
import { buildMMDB } from "./mmdb_writer.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const city = {
  city: { names: { en: "Berlin" } },
  continent: { code: "EU", names: { en: "Europe" } },
  country: { iso_code: "DE", names: { en: "Germany" } },
  location: { latitude: 52.5, longitude: 13.4, time_zone: "Europe/Berlin" },
  postal: { code: "10115" },
  subdivisions: [{ iso_code: "BE", names: { en: "Land Berlin" } }],
};

function dbFile(type: string, records: Array<[string, Parameters<typeof buildMMDB>[1][number][1]]>): string {
  const path = join(tempDir("geoip-"), `${type}.mmdb`);
  writeFileSync(path, buildMMDB(type, records));
  return path;
}

test("stage.geoip with a city database adds the geoip_* values for a known address only", async () => {
  const db = dbFile("GeoIP2-City", [["81.2.69.0/24", city]]);
  const r = await runStages(
    `stage.regex { expression = "^(?P<ip>\\\\S+)" }
  stage.geoip {
    db      = "${db}"
    source  = "ip"
    db_type = "city"
  }
  stage.labels {
    values = {
      geoip_city_name = "", geoip_country_name = "", geoip_country_code = "", geoip_continent_name = "",
      geoip_continent_code = "", geoip_postal_code = "", geoip_timezone = "", geoip_location_latitude = "",
      geoip_location_longitude = "", geoip_subdivision_name = "", geoip_subdivision_code = "",
    }
  }`,
    [entry("81.2.69.160 GET /"), entry("10.0.0.1 GET /"), entry("not-an-ip GET /")],
  );
  h = r.h;
  expect(r.out[0]!.labels).toEqual({
    geoip_city_name: "Berlin",
    geoip_country_name: "Germany",
    geoip_country_code: "DE",
    geoip_continent_name: "Europe",
    geoip_continent_code: "EU",
    geoip_postal_code: "10115",
    geoip_timezone: "Europe/Berlin",
    geoip_location_latitude: "52.5",
    geoip_location_longitude: "13.4",
    geoip_subdivision_name: "Land Berlin",
    geoip_subdivision_code: "BE",
  });
  expect(r.out[1]!.labels).toEqual({});
  expect(r.out[2]!.labels).toEqual({});
});

test("stage.geoip with an ASN database and custom_lookups", async () => {
  const db = dbFile("GeoLite2-ASN", [["1.2.3.0/24", { autonomous_system_number: 64500, autonomous_system_organization: "Example Net", extra: { tier: "gold" } }]]);
  const r = await runStages(
    `stage.regex { expression = "^(?P<ip>\\\\S+)" }
  stage.geoip {
    db             = "${db}"
    source         = "ip"
    db_type        = "asn"
    custom_lookups = { tier = "extra.tier" }
  }
  stage.labels { values = { geoip_autonomous_system_number = "", geoip_autonomous_system_organization = "", tier = "" } }`,
    [entry("1.2.3.4 x")],
  );
  h = r.h;
  expect(r.out[0]!.labels).toEqual({ geoip_autonomous_system_number: "64500", geoip_autonomous_system_organization: "Example Net", tier: "gold" });
});
