import { describe, expect, test } from "bun:test";
import {
  ANSIC, RFC1123, RFC1123Z, RFC3339, RFC3339Nano, RFC822, RFC850, RubyDate, StampMicro, UnixDate, Kitchen,
  addDate, civil, date, format, inLocation, parse, parseInLocation,
} from "../../src/gocompat/timefmt.ts";
import { UTC, fixedZone, loadLocation } from "../../src/gocompat/timezone.ts";

// 2009-11-10 23:00:00 UTC, the Go playground's time.
const playground = date(2009, 11, 10, 23, 0, 0, 0, UTC);

describe("format like Go's Time.Format", () => {
  const cases: [string, string][] = [
    [ANSIC, "Tue Nov 10 23:00:00 2009"],
    [UnixDate, "Tue Nov 10 23:00:00 UTC 2009"],
    [RubyDate, "Tue Nov 10 23:00:00 +0000 2009"],
    [RFC822, "10 Nov 09 23:00 UTC"],
    [RFC850, "Tuesday, 10-Nov-09 23:00:00 UTC"],
    [RFC1123, "Tue, 10 Nov 2009 23:00:00 UTC"],
    [RFC1123Z, "Tue, 10 Nov 2009 23:00:00 +0000"],
    [RFC3339, "2009-11-10T23:00:00Z"],
    [Kitchen, "11:00PM"],
    ["Mon Jan _2 3 pm 002 __2", "Tue Nov 10 11 pm 314 314"],
    ["_2006", "_2009"],
    ["January 2, 2006 15:04:05 MST", "November 10, 2009 23:00:00 UTC"],
  ];
  for (const [layout, want] of cases) test(layout, () => expect(format(playground, layout)).toBe(want));

  test("fractional seconds: .000 keeps zeros, .999 trims them, comma separator", () => {
    const t = date(2015, 2, 25, 11, 6, 39, 123400000, UTC);
    expect(format(t, "15:04:05.000")).toBe("11:06:39.123");
    expect(format(t, "15:04:05.000000")).toBe("11:06:39.123400");
    expect(format(t, "15:04:05.999999")).toBe("11:06:39.1234");
    expect(format(t, "15:04:05,999")).toBe("11:06:39,123");
    expect(format(playground, "05.999")).toBe("00");
    expect(format(t, RFC3339Nano)).toBe("2015-02-25T11:06:39.1234Z");
    expect(format(t, StampMicro)).toBe("Feb 25 11:06:39.123400");
  });

  test("numeric zones and zones without a name", () => {
    const t = inLocation(playground.unixNs, fixedZone("", -(7 * 3600 + 30 * 60)));
    expect(format(t, "-0700 -07:00 -07 Z07:00 -07:00:00 MST")).toBe("-0730 -07:30 -07 -07:30 -07:30:00 -0730");
    expect(format(inLocation(playground.unixNs, UTC), "Z0700 -0700")).toBe("Z +0000");
  });

  test("IANA zones get the offset in effect at the instant", () => {
    const ny = loadLocation("America/New_York");
    expect(format(inLocation(playground.unixNs, ny), "2006-01-02 15:04 MST -0700")).toBe("2009-11-10 18:00 EST -0500");
    const summer = date(2009, 7, 1, 12, 0, 0, 0, UTC);
    expect(format(inLocation(summer.unixNs, ny), "15:04 MST -07:00")).toBe("08:00 EDT -04:00");
    expect(format(inLocation(summer.unixNs, loadLocation("Asia/Kolkata")), "15:04 -0700")).toBe("17:30 +0530");
  });
});

describe("parse like Go's time.Parse", () => {
  const ns = (s: string) => BigInt(Date.parse(s)) * 1_000_000n;
  const ok: [string, string, bigint][] = [
    [RFC3339, "2006-01-02T15:04:05Z", ns("2006-01-02T15:04:05Z")],
    [RFC3339, "2006-01-02T15:04:05+07:00", ns("2006-01-02T08:04:05Z")],
    [RFC3339Nano, "2019-10-12T07:20:50.123456789Z", ns("2019-10-12T07:20:50Z") + 123456789n],
    // A fraction in the value is accepted even when the layout has none.
    [RFC3339, "2019-10-12T07:20:50.52Z", ns("2019-10-12T07:20:50.520Z")],
    [RFC1123Z, "Mon, 02 Jan 2006 15:04:05 -0700", ns("2006-01-02T22:04:05Z")],
    [RFC822, "02 Jan 06 15:04 UTC", ns("2006-01-02T15:04:00Z")],
    [RFC850, "Monday, 02-Jan-06 15:04:05 UTC", ns("2006-01-02T15:04:05Z")],
    [ANSIC, "Mon Jan  2 15:04:05 2006", ns("2006-01-02T15:04:05Z")],
    [UnixDate, "Mon Jan 2 15:04:05 UTC 2006", ns("2006-01-02T15:04:05Z")],
    ["2006-01-02 15:04:05.000", "2021-03-04 05:06:07.089", ns("2021-03-04T05:06:07.089Z")],
    ["02/Jan/2006:15:04:05 -0700", "10/Oct/2000:13:55:36 -0700", ns("2000-10-10T20:55:36Z")],
    ["3:04PM", "11:30PM", ns("0000-01-01T23:30:00Z")],
    ["3:04pm", "12:05am", ns("0000-01-01T00:05:00Z")],
    ["2006-002", "2020-060", ns("2020-02-29T00:00:00Z")],
    ["Jan 2006", "JAN 2021", ns("2021-01-01T00:00:00Z")],
    ["06-01-02", "69-01-02", ns("1969-01-02T00:00:00Z")],
    ["06-01-02", "68-01-02", ns("2068-01-02T00:00:00Z")],
    ["2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.1234567891234Z", ns("2006-01-02T15:04:05Z") + 123456789n],
    ["2006-01-02  15", "2006-01-02 15", ns("2006-01-02T15:00:00Z")],
  ];
  for (const [layout, value, want] of ok) test(`${layout} ← ${value}`, () => expect(parse(layout, value).unixNs).toBe(want));

  const bad: [string, string, string][] = [
    ["2006-01-02", "2023/01/02", 'parsing time "2023/01/02" as "2006-01-02": cannot parse "/01/02" as "-"'],
    [RFC3339, "bad", 'parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"'],
    [RFC3339, "2019-13-01T00:00:00Z", 'parsing time "2019-13-01T00:00:00Z": month out of range'],
    ["2006-01-02", "2023-02-29", 'parsing time "2023-02-29": day out of range'],
    ["2006", "2023x", 'parsing time "2023x": extra text: "x"'],
    ["15:04", "24:00", 'parsing time "24:00": hour out of range'],
    [RFC3339, "2006-01-02T15:04:05", 'parsing time "2006-01-02T15:04:05" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ["Jan", "Foo", 'parsing time "Foo" as "Jan": cannot parse "Foo" as "Jan"'],
    ["2006-002", "2021-366", 'parsing time "2021-366": day-of-year out of range'],
    ["01 2006-002", "03 2020-060", 'parsing time "03 2020-060": day-of-year does not match month'],
    ["15:04:05.000", "10:00:00.12", 'parsing time "10:00:00.12" as "15:04:05.000": cannot parse ".12" as ".000"'],
  ];
  for (const [layout, value, msg] of bad) test(`rejects ${value} as ${layout}`, () => expect(() => parse(layout, value)).toThrow(msg));

  test("zone abbreviation unknown to the location parses as a zero offset named zone", () => {
    const t = parse(RFC1123, "Mon, 02 Jan 2006 15:04:05 PST");
    // Go fabricates a zone named PST with offset 0 when the location does not know PST.
    if (t.offset === 0) {
      expect(t.zone).toBe("PST");
      expect(t.unixNs).toBe(ns("2006-01-02T15:04:05Z"));
    }
    expect(parse(RFC1123, "Mon, 02 Jan 2006 15:04:05 GMT+3").unixNs).toBe(ns("2006-01-02T12:04:05Z"));
  });

  test("parse in a location reads the wall clock in that zone and knows its abbreviations", () => {
    const ny = loadLocation("America/New_York");
    expect(parseInLocation("2006-01-02 15:04", "2021-07-01 12:00", ny).unixNs).toBe(ns("2021-07-01T16:00:00Z"));
    expect(parseInLocation("2006-01-02 15:04", "2021-01-01 12:00", ny).unixNs).toBe(ns("2021-01-01T17:00:00Z"));
    expect(parseInLocation(RFC1123, "Fri, 01 Jan 2021 12:00:00 EST", ny).unixNs).toBe(ns("2021-01-01T17:00:00Z"));
    expect(parseInLocation(RFC3339, "2021-01-01T12:00:00+01:00", ny).unixNs).toBe(ns("2021-01-01T11:00:00Z"));
  });

  test("unknown zone names are refused like LoadLocation", () => {
    expect(() => loadLocation("Mars/Olympus")).toThrow("unknown time zone Mars/Olympus");
  });

  test("format then parse round-trips nanoseconds", () => {
    const t = date(1999, 12, 31, 23, 59, 59, 999999999, fixedZone("", 3600));
    expect(parse(RFC3339Nano, format(t, RFC3339Nano)).unixNs).toBe(t.unixNs);
    const before = date(1969, 12, 31, 23, 59, 59, 5, UTC);
    expect(before.unixNs).toBe(-999999995n);
    expect(format(before, RFC3339Nano)).toBe("1969-12-31T23:59:59.000000005Z");
  });

  test("AddDate carries over like Go (Feb 29 + 1 year is Mar 1)", () => {
    const t = parse("Jan _2 15:04:05", "Feb 29 10:00:00");
    expect(civil(t).year).toBe(0);
    const c = civil(addDate(t, 2023, 0, 0));
    expect([c.year, c.month, c.day]).toEqual([2023, 3, 1]);
  });
});

describe("Go's time format_test cases", () => {
  const errors: [string, string, string][] = [
    [ANSIC, "Feb  4 21:00:60 2010", "cannot parse"],
    [ANSIC, "Thu Feb  4 21:00:57 @2010", "cannot parse"],
    [ANSIC, "Thu Feb  4 21:00:60 2010", "second out of range"],
    [ANSIC, "Thu Feb  4 21:61:57 2010", "minute out of range"],
    [ANSIC, "Thu Feb  4 24:00:60 2010", "hour out of range"],
    ["Mon Jan _2 15:04:05.000 2006", "Thu Feb  4 23:00:59x01 2010", "cannot parse"],
    ["Mon Jan _2 15:04:05.000 2006", "Thu Feb  4 23:00:59.xxx 2010", "cannot parse"],
    ["Mon Jan _2 15:04:05.000 2006", "Thu Feb  4 23:00:59.-123 2010", "fractional second out of range"],
    ["Jan _2 15:04:05.000000000", "Dec  7 11:22:01.000000", 'cannot parse ".000000" as ".000000000"'],
    ["Jan _2 15:04:05.000000000", "Dec  7 11:22:01.0000000000", 'extra text: "0"'],
    [RFC3339, "2006-01-02T15:04:05Z07:00", 'parsing time "2006-01-02T15:04:05Z07:00": extra text: "07:00"'],
    [RFC3339, "2006-01-02T15:04_abc", 'parsing time "2006-01-02T15:04_abc" as "2006-01-02T15:04:05Z07:00": cannot parse "_abc" as ":"'],
    [RFC3339, "2006-01-02T15:04:05_abc", 'parsing time "2006-01-02T15:04:05_abc" as "2006-01-02T15:04:05Z07:00": cannot parse "_abc" as "Z07:00"'],
    [RFC3339, "2006-01-02T15:04:05Z_abc", 'parsing time "2006-01-02T15:04:05Z_abc": extra text: "_abc"'],
    [RFC3339, "2010-02-04T21:00:67.012345678-08:00", "second out of range"],
    ["_2 Jan 06 15:04 MST", "4 --- 00 00:00 GMT", "cannot parse"],
    ["Jan _2 002 2006", "Feb  4 034 2006", "day-of-year does not match day"],
    ["Jan _2 002 2006", "Feb  4 004 2006", "day-of-year does not match month"],
    ['"2006-01-02T15:04:05Z07:00"', "0", 'parsing time "0" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse "0" as "\\""'],
    [RFC3339, '"', 'parsing time "\\"" as "2006-01-02T15:04:05Z07:00": cannot parse "\\"" as "2006"'],
    [RFC3339, "☺", 'parsing time "\\xe2\\x98\\xba"'],
    ["01 MST", "0 MST", 'cannot parse "0 MST" as "01"'],
    ["01-02", "00-01", "month out of range"],
    ["01-02", "13-01", "month out of range"],
  ];
  for (const [layout, value, want] of errors) test(`error ${value}`, () => expect(() => parse(layout, value)).toThrow(want));

  const offsets: [string, string, number][] = [
    ["2006-01-02T15:04:05-070000", "1871-01-01T05:33:02-003408", -(34 * 60 + 8)],
    ["2006-01-02T15:04:05-07:00:00", "1871-01-01T05:33:02-00:34:08", -(34 * 60 + 8)],
    ["2006-01-02T15:04:05Z070000", "1871-01-01T05:33:02-003408", -(34 * 60 + 8)],
    ["2006-01-02T15:04:05Z07:00:00", "1871-01-01T05:33:02+00:34:08", 34 * 60 + 8],
    ["2006-01-02T15:04:05-07", "1871-01-01T05:33:02+01", 3600],
    ["2006-01-02T15:04:05Z07", "1871-01-01T05:33:02-02", -7200],
  ];
  for (const [layout, value, offset] of offsets) {
    test(`seconds offsets ${layout}`, () => {
      expect(parse(layout, value).offset).toBe(offset);
      expect(format(date(1871, 1, 1, 5, 33, 2, 0, fixedZone("LMT", offset)), layout)).toBe(value);
    });
  }

  test("fractions longer than nine digits truncate", () => {
    const cases: [string, number][] = [
      ["2021-09-29T16:04:33.000000001Z", 1],
      ["2021-09-29T16:04:33.0000000001Z", 0],
      ["2021-09-29T16:04:33.1000000009Z", 100_000_000],
      ["2021-09-29T16:04:33.0123456789Z", 12_345_678],
      ["2021-09-29T16:04:33.00123456789Z", 1_234_567],
      ["2021-09-29T16:04:33.9999999999999999Z", 999_999_999],
    ];
    for (const [v, ns] of cases) for (const l of [RFC3339, RFC3339Nano]) expect(civil(parse(l, v)).nanosecond).toBe(ns);
  });

  test("noon and midnight in 12-hour form; missing zone formats numerically; underscore before 2006", () => {
    expect(format(date(0, 1, 1, 12, 0, 0, 0, UTC), "3:04PM")).toBe("12:00PM");
    expect(format(date(0, 1, 1, 0, 0, 0, 0, UTC), "03:04PM")).toBe("12:00AM");
    expect(civil(parse("3:04PM", "12:00AM")).hour).toBe(0);
    expect(format(parse(RubyDate, "Thu Feb 02 16:10:03 -0500 2006"), UnixDate)).toBe("Thu Feb  2 16:10:03 -0500 2006");
    expect(parse(RubyDate, "Mon Jan 02 15:04:05 +0123 2006").offset).toBe((60 + 23) * 60);
    const u = civil(parse("15:04_20060102", "14:38_20150618"));
    expect([u.year, u.month, u.day, u.hour, u.minute]).toEqual([2015, 6, 18, 14, 38]);
  });

  test("every day of 2020 parses by year-day", () => {
    for (let i = 1; i <= 365; i++) {
      const t = civil(parse("2006-002", `2020-${String(i).padStart(3, "0")}`));
      expect([t.year, t.yearDay]).toEqual([2020, i]);
    }
  });
});
