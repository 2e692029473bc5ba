// Timestamp formats accepted by loki.process stage.timestamp: Go's named
// layouts, Unix/UnixMs/UnixUs/UnixNs epochs, or any Go layout; layouts with
// no year get the current year (crossing New Year's Eve correctly).

import { daysFromCivil, daysIn } from "../../gocompat/civil.ts";
import { goParseInt } from "../../gocompat/strconv_int.ts";
import { addDate, civil, NAMED_LAYOUTS, parse, parseInLocation, type GoTime } from "../../gocompat/timefmt.ts";
import { loadLocation, type Location } from "../../gocompat/timezone.ts";
import type { TimestampNs } from "./entry.ts";

/** Parses a source value to nanoseconds, throwing an Error that says why. */
export type TimestampParser = (value: string) => TimestampNs;

const STAGE_NAMED = ["ANSIC", "UnixDate", "RubyDate", "RFC822", "RFC822Z", "RFC850", "RFC1123", "RFC1123Z", "RFC3339", "RFC3339Nano"];

/** Names stage.timestamp accepts in place of a layout. */
export const STAGE_TIMESTAMP_FORMATS: readonly string[] = [...STAGE_NAMED, "Unix", "UnixMs", "UnixUs", "UnixNs"];

/**
 * Builds the parser for a stage.timestamp `format` (and `fallback_formats`,
 * tried in order when the main format fails; the main format's error is the
 * one reported). `location` is an IANA name; a bad one throws
 * `invalid location specified: ...` like the stage's validation.
 */
export function timestampParser(
  format: string,
  options: { location?: string; fallbackFormats?: readonly string[]; now?: () => GoTime } = {},
): TimestampParser {
  let loc: Location | undefined;
  if (options.location !== undefined) {
    try {
      loc = loadLocation(options.location);
    } catch (err) {
      throw new Error(`invalid location specified: ${(err as Error).message}`);
    }
  }
  const now = options.now ?? nowTime;
  const main = formatParser(format, loc, now);
  const fallbacks = (options.fallbackFormats ?? []).map((f) => formatParser(f, loc, now));
  if (fallbacks.length === 0) return main;
  return (value) => {
    try {
      return main(value);
    } catch (err) {
      for (const f of fallbacks) {
        try {
          return f(value);
        } catch {
          // try the next fallback
        }
      }
      throw err;
    }
  };
}

function nowTime(): GoTime {
  const ms = Date.now();
  return { unixNs: BigInt(ms) * 1_000_000n, offset: 0, zone: "UTC" };
}

function formatParser(format: string, loc: Location | undefined, now: () => GoTime): TimestampParser {
  if (STAGE_NAMED.includes(format)) {
    const layout = NAMED_LAYOUTS[format]!;
    if (format === "RFC3339" || format === "RFC3339Nano") {
      const rfc3339 = rfc3339Reader();
      return (v) => rfc3339(v) ?? parse(layout, v).unixNs;
    }
    return (v) => parse(layout, v).unixNs;
  }
  switch (format) {
    case "Unix":
      return parseUnixSeconds;
    case "UnixMs":
      return (v) => goParseInt(v) * 1_000_000n;
    case "UnixUs":
      return (v) => goParseInt(v) * 1_000n;
    case "UnixNs":
      return (v) => goParseInt(v);
  }
  const read = (v: string) => (loc ? parseInLocation(format, v, loc) : parse(format, v));
  if (!format.includes("06") && !format.includes("2006")) {
    return (v) => {
      const t = read(v);
      if (civil(t).year !== 0) throw new Error(`timestamp '${v}' is expected to not contain the year date component`);
      return withYear(t, now()).unixNs;
    };
  }
  return (v) => read(v).unixNs;
}

const digit = (v: string, i: number): number => {
  const c = v.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const num2 = (v: string, i: number) => digit(v, i) * 10 + digit(v, i + 1);

/**
 * The usual RFC 3339 text (`2024-01-01T00:00:00.123456789Z`, or with a
 * `±hh:mm` offset; either RFC 3339 layout reads a fraction) to nanoseconds,
 * without Go's general parser: the instant depends on the digits alone, and
 * the seconds part is remembered from the previous value. Undefined for
 * anything else, including out-of-range fields, so that Go's parser decides
 * and words the error.
 */
export function rfc3339Reader(): (v: string) => TimestampNs | undefined {
  let lastUnix = Number.NaN;
  let lastNs = 0n;
  return (v) => {
    const n = v.length;
    if (n < 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
    const year = num2(v, 0) * 100 + num2(v, 2);
    const month = num2(v, 5);
    const day = num2(v, 8);
    const hour = num2(v, 11);
    const min = num2(v, 14);
    const sec = num2(v, 17);
    // NaN (a non-digit) fails every comparison below.
    if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && min <= 59 && sec <= 59 && year >= 0) || day > daysIn(month, year)) return undefined;
    let i = 19;
    let nsec = 0;
    const sep = v.charCodeAt(i);
    if (sep === 46 || sep === 44) {
      i++;
      const start = i;
      let scale = 100_000_000;
      for (; i < n; i++) {
        const d = digit(v, i);
        if (Number.isNaN(d)) break;
        // Digits past the ninth are read but ignored, as Go does.
        if (scale >= 1) {
          nsec += d * scale;
          scale /= 10;
        }
      }
      if (i === start) return undefined;
    }
    let offset = 0;
    if (i === n - 1 && v.charCodeAt(i) === 90) offset = 0;
    else if (i === n - 6 && (v.charCodeAt(i) === 43 || v.charCodeAt(i) === 45) && v.charCodeAt(i + 3) === 58) {
      const hh = num2(v, i + 1);
      const mm = num2(v, i + 4);
      if (!(hh <= 24 && mm <= 60)) return undefined;
      offset = (v.charCodeAt(i) === 45 ? -1 : 1) * (hh * 3600 + mm * 60);
    } else return undefined;
    const unix = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
    if (unix !== lastUnix) {
      lastUnix = unix;
      lastNs = BigInt(unix) * 1_000_000_000n;
    }
    return nsec === 0 ? lastNs : lastNs + BigInt(nsec);
  };
}

/** Unix seconds with an optional fraction (`1562708916.414123`), as the stage reads them. */
function parseUnixSeconds(v: string): TimestampNs {
  const parts = v.split(".");
  if (parts.length === 2) {
    const sec = goParseInt(parts[0]!);
    const frac = goParseInt(parts[1]!);
    const digits = parts[1]!.length;
    const nsec = digits <= 9 ? frac * 10n ** BigInt(9 - digits) : BigInt(Math.trunc(Number(frac) * 10 ** (9 - digits)));
    return sec * 1_000_000_000n + nsec;
  }
  return goParseInt(v) * 1_000_000_000n;
}

/** Sets the year of a time parsed without one, near `now` (December logs read in January go to last year). */
export function withYear(t: GoTime, now: GoTime): GoTime {
  const p = civil(t);
  const n = civil(now);
  let year = n.year;
  if (p.month === 12 && n.month === 1) year = n.year - 1;
  else if (p.month === 1 && n.month === 12) year = n.year + 1;
  return addDate(t, year, 0, 0);
}
