// Timestamp formats accepted by loki.process stage.timestamp: Go's named
// layouts, Unix/UnixMs/UnixUs/UnixNs epochs, or any Go layout; layouts with
// no year get the current year (crossing New Year's Eve correctly).

import { readRFC3339 } from "../../gocompat/rfc3339.ts";
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

/**
 * RFC 3339 text to nanoseconds by gocompat's digit reader, without Go's general
 * parser; the seconds part is remembered from the previous value (log lines come
 * in bursts within one second). Undefined for anything else, so that Go's parser
 * decides and words the error.
 */
export function rfc3339Reader(): (v: string) => TimestampNs | undefined {
  const fields = new Float64Array(3);
  let lastUnix = Number.NaN;
  let lastNs = 0n;
  return (v) => {
    if (!readRFC3339(v, fields)) return undefined;
    const unix = fields[0]!;
    const nsec = fields[1]!;
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
