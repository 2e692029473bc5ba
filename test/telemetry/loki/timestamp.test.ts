import { describe, expect, test } from "bun:test";
import { date, RFC3339, RFC3339Nano } from "../../../src/gocompat/timefmt.ts";
import { parseByLayout } from "../../../src/gocompat/timeparse.ts";
import { UTC, loadLocation } from "../../../src/gocompat/timezone.ts";
import { rfc3339Reader, timestampParser } from "../../../src/telemetry/loki/timestamp.ts";
import { rfc3339Values } from "../../gocompat/rfc3339_values.ts";

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ns = 0) => date(y, mo, d, h, mi, s, ns, UTC).unixNs;

describe("stage.timestamp formats", () => {
  const cases: [string, string, bigint][] = [
    ["Unix", "1562708916", utc(2019, 7, 9, 21, 48, 36)],
    ["Unix", "1562708916.414123", utc(2019, 7, 9, 21, 48, 36, 414123000)],
    ["Unix", "1562708916.000000123", utc(2019, 7, 9, 21, 48, 36, 123)],
    ["UnixMs", "1562708916414", utc(2019, 7, 9, 21, 48, 36, 414000000)],
    ["UnixUs", "1562708916414123", utc(2019, 7, 9, 21, 48, 36, 414123000)],
    ["UnixNs", "1562708916000000123", utc(2019, 7, 9, 21, 48, 36, 123)],
    ["RFC3339", "2012-11-01T22:08:41-04:00", utc(2012, 11, 2, 2, 8, 41)],
    ["RFC3339Nano", "2019-10-01T01:02:03.4Z", utc(2019, 10, 1, 1, 2, 3, 400000000)],
    ["2006-01-02T15:04:05.999999999Z07:00", "2019-10-01T01:02:03.400000000Z", utc(2019, 10, 1, 1, 2, 3, 400000000)],
    ["2006-01-02", "2009-01-01", utc(2009, 1, 1)],
    ["RFC1123", "Mon, 02 Jan 2006 15:04:05 UTC", utc(2006, 1, 2, 15, 4, 5)],
    ["ANSIC", "Mon Jan  2 15:04:05 2006", utc(2006, 1, 2, 15, 4, 5)],
    // Alloy's documented comma-fraction example.
    ["2006-01-02T15:04:05,000-07:00", "2024-12-20T09:14:58,381+02:00", utc(2024, 12, 20, 7, 14, 58, 381_000_000)],
    ["RFC822Z", "02 Jan 06 15:04 -0700", utc(2006, 1, 2, 22, 4, 0)],
    ["RubyDate", "Mon Jan 02 15:04:05 -0700 2006", utc(2006, 1, 2, 22, 4, 5)],
  ];
  for (const [format, value, want] of cases) {
    test(`${format}: ${value}`, () => expect(timestampParser(format)(value)).toBe(want));
  }

  test("location applies to layouts without a zone", () => {
    const p = timestampParser("2006-01-02 15:04:05", { location: "America/New_York" });
    expect(p("2019-07-22 20:29:32")).toBe(date(2019, 7, 22, 20, 29, 32, 0, loadLocation("America/New_York")).unixNs);
    expect(p("2019-07-22 20:29:32")).toBe(utc(2019, 7, 23, 0, 29, 32));
  });

  test("an invalid location is refused when the parser is built", () => {
    expect(() => timestampParser("RFC3339", { location: "Not/AZone" })).toThrow("invalid location specified: unknown time zone Not/AZone");
  });

  test("layouts without a year take the current one, December logs read in January go to last year", () => {
    const now = () => date(2024, 1, 3, 0, 0, 0, 0, UTC);
    const p = timestampParser("Jan 02 15:04:05", { now });
    expect(p("Jul 15 01:02:03")).toBe(utc(2024, 7, 15, 1, 2, 3));
    expect(p("Dec 31 23:59:59")).toBe(utc(2023, 12, 31, 23, 59, 59));
    const december = timestampParser("Jan 02 15:04:05", { now: () => date(2023, 12, 31, 0, 0, 0, 0, UTC) });
    expect(december("Jan 01 00:00:01")).toBe(utc(2024, 1, 1, 0, 0, 1));
  });

  test("fallback formats are tried in order and the main format's error is reported", () => {
    const p = timestampParser("RFC3339", { fallbackFormats: ["UnixMs", "2006-01-02"] });
    expect(p("2021-03-04")).toBe(utc(2021, 3, 4));
    expect(p("1562708916414")).toBe(utc(2019, 7, 9, 21, 48, 36, 414000000));
    expect(() => p("garbage")).toThrow('parsing time "garbage" as "2006-01-02T15:04:05Z07:00": cannot parse "garbage" as "2006"');
  });

  test("bad epoch values give Go's strconv errors", () => {
    expect(() => timestampParser("UnixMs")("12a")).toThrow('strconv.ParseInt: parsing "12a": invalid syntax');
    expect(() => timestampParser("Unix")("99999999999999999999")).toThrow("value out of range");
  });
});

describe("RFC 3339 without Go's general parser", () => {
  const values = rfc3339Values;

  const reference = (layout: string, v: string): string => {
    try {
      return String(parseByLayout(layout, v).unixNs);
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const ours = (p: (v: string) => bigint, v: string): string => {
    try {
      return String(p(v));
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };

  for (const [format, layout] of [["RFC3339", RFC3339], ["RFC3339Nano", RFC3339Nano]] as const) {
    test(`${format} gives Go's result (or error) for ${values.length} values, in any order`, () => {
      const p = timestampParser(format);
      for (const v of values) expect([v, ours(p, v)]).toEqual([v, reference(layout, v)]);
      for (const v of [...values].reverse()) expect([v, ours(p, v)]).toEqual([v, reference(layout, v)]);
    });
  }

  test("the fast reader declines what it does not handle", () => {
    const r = rfc3339Reader();
    expect(r("2024-01-01T00:00:00.5Z")).toBe(1_704_067_200_500_000_000n);
    expect(r("2024-01-01T00:00:00.5+01:00")).toBe(1_704_063_600_500_000_000n);
    expect(r("2024-01-01T00:00:00Z")).toBe(1_704_067_200_000_000_000n);
    expect(r("2024-02-30T00:00:00Z")).toBeUndefined();
    expect(r("2024-01-01T00:00:00")).toBeUndefined();
  });
});
