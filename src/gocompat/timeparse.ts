// Go's time.Parse / time.ParseInLocation: the same tokens, defaults (year 0,
// January, day 1, UTC), range checks and error messages as Go's time package.

import { daysFromCivil, daysIn, isLeap } from "./civil.ts";
import { readRFC3339 } from "./rfc3339.ts";
import { LONG_DAY_NAMES, LONG_MONTH_NAMES, SHORT_DAY_NAMES, SHORT_MONTH_NAMES, Std, layoutChunks } from "./timelayout.ts";
import { UTC, fixedZone, localLocation, type Location } from "./timezone.ts";
import { wallToUnix, type GoTime } from "./timefmt.ts";

const utf8 = new TextEncoder();

/** time's own quoting: non-ASCII and control bytes as \xNN, unlike strconv.Quote. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of utf8.encode(c)) out += "\\x" + b.toString(16).padStart(2, "0");
    } else {
      if (c === '"' || c === "\\") out += "\\";
      out += c;
    }
  }
  return out + '"';
}

/** Go's *time.ParseError, with the same message shapes. */
export class TimeParseError extends Error {
  constructor(
    readonly layout: string,
    readonly value: string,
    readonly layoutElem: string,
    readonly valueElem: string,
    readonly detail: string,
  ) {
    super(
      detail === ""
        ? `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`
        : `parsing time ${timeQuote(value)}${detail}`,
    );
    this.name = "TimeParseError";
  }
}

class Bad extends Error {}
const BAD = new Bad();

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const commaOrPeriod = (c: string | undefined) => c === "." || c === ",";

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw BAD;
  if (!isDigit(s, 1)) {
    if (fixed) throw BAD;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) throw BAD;
  return [n, s.slice(i)];
}

/** ASCII case-insensitive prefix lookup, as Go's lookup(). */
function lookup(table: readonly string[], val: string): [number, string] {
  for (let i = 0; i < table.length; i++) {
    const v = table[i]!;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase()) return [i, val.slice(v.length)];
  }
  throw BAD;
}

const cutspace = (s: string) => s.replace(/^ +/, "");

/** Matches literal layout text; spaces in the layout match any run of spaces. */
function skip(value: string, prefix: string): [string, boolean] {
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") return [value, false];
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return [value, false];
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return [value, true];
}

class FracRange extends Error {}

/** Fractional seconds from `.ddd` (value[0] is the separator); digits past nanoseconds are dropped. */
function parseNanoseconds(value: string, nbytes: number): number {
  if (!commaOrPeriod(value[0])) throw BAD;
  if (nbytes > 10) nbytes = 10;
  const digits = value.slice(1, nbytes);
  // Go reads these with atoi, which takes a sign: a negative fraction is a range error.
  if (!/^[+-]?\d+$/.test(digits)) throw BAD;
  const n = Number(digits);
  if (n < 0) throw new FracRange();
  let scaled = Math.abs(n);
  for (let i = 0; i < 10 - nbytes; i++) scaled *= 10;
  return scaled;
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== "-" && sign !== "+") return 0;
  const m = /^\d+/.exec(value.slice(1));
  if (!m || Number(m[0]) > 23) return 0;
  return 1 + m[0].length;
}

/** Length of a zone abbreviation at the start of value (Go's parseTimeZone), or 0. */
function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return 3 + (value.length > 3 ? parseSignedOffset(value.slice(3)) : 0);
  if (value[0] === "+" || value[0] === "-") return parseSignedOffset(value);
  let nUpper = 0;
  while (nUpper < 6 && nUpper < value.length && value[nUpper]! >= "A" && value[nUpper]! <= "Z") nUpper++;
  switch (nUpper) {
    case 3:
      return 3;
    case 4:
      return value[3] === "T" || value.startsWith("WITA") ? 4 : 0;
    case 5:
      return value[4] === "T" ? 5 : 0;
    default:
      return 0;
  }
}

function result(unixSec: number, nsec: number, loc: Location, fixedName?: string, fixedOffset?: number): GoTime {
  const unixNs = BigInt(unixSec) * 1_000_000_000n + BigInt(nsec);
  if (fixedOffset !== undefined) return { unixNs, offset: fixedOffset, zone: fixedName ?? "", loc: fixedZone(fixedName ?? "", fixedOffset) };
  const z = loc.lookup(unixSec);
  return { unixNs, offset: z.offset, zone: z.name, loc };
}

/** Go's time.Parse: without a zone in the value the result is UTC. */
export function parse(layout: string, value: string): GoTime {
  return parseWith(layout, value, UTC, localLocation());
}

/** Go's time.ParseInLocation: without a zone in the value the time is read in loc. */
export function parseInLocation(layout: string, value: string, loc: Location): GoTime {
  return parseWith(layout, value, loc, loc);
}

const RFC3339_LAYOUTS = new Set(["2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00"]);
const rfc3339Fields = new Float64Array(3);

/** The common RFC 3339 case without the general machinery; undefined hands over to it (and its errors). */
function fastRFC3339(value: string, local: Location): GoTime | undefined {
  if (!readRFC3339(value, rfc3339Fields)) return undefined;
  const [unix, nsec, offset] = rfc3339Fields as unknown as [number, number, number];
  if (offset === 0 && value.charCodeAt(value.length - 1) === 90) return result(unix, nsec, UTC);
  if (local.lookup(unix).offset === offset) return result(unix, nsec, local);
  return result(unix, nsec, UTC, "", offset);
}

function parseWith(alayout: string, avalue: string, defaultLoc: Location, local: Location): GoTime {
  if (RFC3339_LAYOUTS.has(alayout)) {
    const fast = fastRFC3339(avalue, local);
    if (fast) return fast;
  }
  return parseLayout(alayout, avalue, defaultLoc, local);
}

/** Go's time.Parse by the general layout machinery alone, without the RFC 3339 shortcut: the reference the shortcut is tested against. */
export function parseByLayout(layout: string, value: string): GoTime {
  return parseLayout(layout, value, UTC, localLocation());
}

function parseLayout(alayout: string, avalue: string, defaultLoc: Location, local: Location): GoTime {
  let value = avalue;
  let rangeErr = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utc = false;
  let zoneOffset: number | undefined;
  let zoneName = "";

  const chunks = layoutChunks(alayout);
  for (let ci = 0; ; ci++) {
    const c = chunks[ci]!;
    const stdstr = c.text;
    let ok: boolean;
    [value, ok] = skip(value, c.prefix);
    if (!ok) throw new TimeParseError(alayout, avalue, c.prefix, value, "");
    if (c.std === Std.None) {
      if (value.length !== 0) throw new TimeParseError(alayout, avalue, "", value, `: extra text: ${timeQuote(value)}`);
      break;
    }
    const hold = value;
    try {
      switch (c.std) {
        case Std.Year: {
          if (value.length < 2 || !/^\d\d/.test(value)) throw BAD;
          year = Number(value.slice(0, 2));
          value = value.slice(2);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case Std.LongYear:
          if (value.length < 4 || !/^\d{4}/.test(value)) throw BAD;
          year = Number(value.slice(0, 4));
          value = value.slice(4);
          break;
        case Std.Month:
          [month, value] = lookup(SHORT_MONTH_NAMES, value);
          month++;
          break;
        case Std.LongMonth:
          [month, value] = lookup(LONG_MONTH_NAMES, value);
          month++;
          break;
        case Std.NumMonth:
        case Std.ZeroMonth:
          [month, value] = getnum(value, c.std === Std.ZeroMonth);
          if (month <= 0 || month > 12) rangeErr = "month";
          break;
        case Std.WeekDay:
          [, value] = lookup(SHORT_DAY_NAMES, value);
          break;
        case Std.LongWeekDay:
          [, value] = lookup(LONG_DAY_NAMES, value);
          break;
        case Std.Day:
        case Std.UnderDay:
        case Std.ZeroDay:
          if (c.std === Std.UnderDay && value[0] === " ") value = value.slice(1);
          [day, value] = getnum(value, c.std === Std.ZeroDay);
          break;
        case Std.UnderYearDay:
        case Std.ZeroYearDay:
          for (let i = 0; i < 2; i++) if (c.std === Std.UnderYearDay && value[0] === " ") value = value.slice(1);
          [yday, value] = getnum3(value, c.std === Std.ZeroYearDay);
          break;
        case Std.Hour:
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) rangeErr = "hour";
          break;
        case Std.Hour12:
        case Std.ZeroHour12:
          [hour, value] = getnum(value, c.std === Std.ZeroHour12);
          if (hour < 0 || hour > 12) rangeErr = "hour";
          break;
        case Std.Minute:
        case Std.ZeroMinute:
          [min, value] = getnum(value, c.std === Std.ZeroMinute);
          if (min < 0 || min >= 60) rangeErr = "minute";
          break;
        case Std.Second:
        case Std.ZeroSecond: {
          [sec, value] = getnum(value, c.std === Std.ZeroSecond);
          if (sec < 0 || sec >= 60) {
            rangeErr = "second";
            break;
          }
          // A fraction in the value with no fraction token next in the layout is still read.
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigit(value, 1)) {
            const next = chunks[ci + 1]?.std;
            if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
            let n = 2;
            while (n < value.length && isDigit(value, n)) n++;
            nsec = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case Std.PM:
        case Std.pm: {
          if (value.length < 2) throw BAD;
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [PM, AM] = c.std === Std.PM ? ["PM", "AM"] : ["pm", "am"];
          if (p === PM) pmSet = true;
          else if (p === AM) amSet = true;
          else throw BAD;
          break;
        }
        case Std.TZ: {
          if (value.startsWith("UTC")) {
            utc = true;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw BAD;
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case Std.FracSecond0: {
          const ndigit = 1 + c.digits;
          if (value.length < ndigit) throw BAD;
          nsec = parseNanoseconds(value, ndigit);
          value = value.slice(ndigit);
          break;
        }
        case Std.FracSecond9: {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigit(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && isDigit(value, i + 1)) i++;
          nsec = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
        default: {
          const iso = c.std >= Std.ISO8601TZ && c.std <= Std.ISO8601ColonSecondsTZ;
          if (iso && value[0] === "Z") {
            value = value.slice(1);
            utc = true;
            break;
          }
          let sign: string, hh: string, mm: string, ss: string;
          if (c.std === Std.ISO8601ColonTZ || c.std === Std.NumColonTZ) {
            if (value.length < 6 || value[3] !== ":") throw BAD;
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), value.slice(4, 6), "00", value.slice(6)];
          } else if (c.std === Std.NumShortTZ || c.std === Std.ISO8601ShortTZ) {
            if (value.length < 3) throw BAD;
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), "00", "00", value.slice(3)];
          } else if (c.std === Std.ISO8601ColonSecondsTZ || c.std === Std.NumColonSecondsTZ) {
            if (value.length < 9 || value[3] !== ":" || value[6] !== ":") throw BAD;
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
          } else if (c.std === Std.ISO8601SecondsTZ || c.std === Std.NumSecondsTz) {
            if (value.length < 7) throw BAD;
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
          } else {
            if (value.length < 5) throw BAD;
            [sign, hh, mm, ss, value] = [value[0]!, value.slice(1, 3), value.slice(3, 5), "00", value.slice(5)];
          }
          const hr = getnum(hh, true)[0];
          const mn = getnum(mm, true)[0];
          const sc = getnum(ss, true)[0];
          // Go accepts offsets of exactly 24 hours / 60 minutes / 60 seconds.
          if (hr > 24) rangeErr = "time zone offset hour";
          if (mn > 60) rangeErr = "time zone offset minute";
          if (sc > 60) rangeErr = "time zone offset second";
          zoneOffset = (hr * 60 + mn) * 60 + sc;
          if (sign === "-") zoneOffset = -zoneOffset;
          else if (sign !== "+") throw BAD;
        }
      }
    } catch (err) {
      if (err === BAD) throw new TimeParseError(alayout, avalue, stdstr, hold, "");
      if (err instanceof FracRange) rangeErr = "fractional second";
      else throw err;
    }
    if (rangeErr !== "") throw new TimeParseError(alayout, avalue, stdstr, value, `: ${rangeErr} out of range`);
  }

  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw new TimeParseError(alayout, avalue, "", value, ": day-of-year out of range");
    if (m === 0) {
      // Non-leap cumulative days before each month.
      const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
      m = Math.floor((yday - 1) / 31) + 1;
      if (before[m]! < yday) m++;
      d = yday - before[m - 1]!;
    }
    if (month >= 0 && month !== m) throw new TimeParseError(alayout, avalue, "", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day !== d) throw new TimeParseError(alayout, avalue, "", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw new TimeParseError(alayout, avalue, "", value, ": day out of range");

  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  if (utc) return result(wall, nsec, UTC);
  if (zoneOffset !== undefined) {
    const unix = wall - zoneOffset;
    const z = local.lookup(unix);
    if (z.offset === zoneOffset && (zoneName === "" || z.name === zoneName)) return result(unix, nsec, local);
    return result(unix, nsec, UTC, zoneName, zoneOffset);
  }
  if (zoneName !== "") {
    const offset = local.lookupName(zoneName, wall);
    if (offset !== undefined) return result(wall - offset, nsec, local);
    let fabricated = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT")) fabricated = Number(zoneName.slice(3)) * 3600;
    return result(wall - fabricated, nsec, UTC, zoneName, fabricated);
  }
  return result(wallToUnix(wall, defaultLoc), nsec, defaultLoc);
}
