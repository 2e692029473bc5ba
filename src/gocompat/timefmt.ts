// Go's time layouts ("2006-01-02T15:04:05Z07:00"): formatting and parsing
// with the same tokens, defaults, range checks and error texts as Go's time
// package, at nanosecond precision.

import { civilFromDays, daysFromCivil } from "./civil.ts";
import { LONG_DAY_NAMES, LONG_MONTH_NAMES, SHORT_DAY_NAMES, SHORT_MONTH_NAMES, Std, layoutChunks } from "./timelayout.ts";
import { UTC, fixedZone, type Location } from "./timezone.ts";

export const ANSIC = "Mon Jan _2 15:04:05 2006";
export const UnixDate = "Mon Jan _2 15:04:05 MST 2006";
export const RubyDate = "Mon Jan 02 15:04:05 -0700 2006";
export const RFC822 = "02 Jan 06 15:04 MST";
export const RFC822Z = "02 Jan 06 15:04 -0700";
export const RFC850 = "Monday, 02-Jan-06 15:04:05 MST";
export const RFC1123 = "Mon, 02 Jan 2006 15:04:05 MST";
export const RFC1123Z = "Mon, 02 Jan 2006 15:04:05 -0700";
export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00";
export const Kitchen = "3:04PM";
export const Stamp = "Jan _2 15:04:05";
export const StampMilli = "Jan _2 15:04:05.000";
export const StampMicro = "Jan _2 15:04:05.000000";
export const StampNano = "Jan _2 15:04:05.000000000";
export const DateTime = "2006-01-02 15:04:05";
export const DateOnly = "2006-01-02";
export const TimeOnly = "15:04:05";

/** Go's named layout constants, by name. */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC, UnixDate, RubyDate, RFC822, RFC822Z, RFC850, RFC1123, RFC1123Z, RFC3339, RFC3339Nano,
  Kitchen, Stamp, StampMilli, StampMicro, StampNano, DateTime, DateOnly, TimeOnly,
};

/** An instant with the zone it is shown in (Go's time.Time). */
export interface GoTime {
  /** Nanoseconds since the Unix epoch. */
  unixNs: bigint;
  /** Seconds east of UTC used to show this time. */
  offset: number;
  /** Zone abbreviation used by the MST token ("" prints the numeric offset). */
  zone: string;
  /** The location the time belongs to, for calendar arithmetic across zone changes (default: fixed offset). */
  loc?: Location;
}

const NS = 1_000_000_000n;

/** Splits nanoseconds into floor-seconds and a non-negative nanosecond remainder. */
export function splitNs(unixNs: bigint): [sec: number, nsec: number] {
  let s = unixNs / NS;
  let r = unixNs % NS;
  if (r < 0n) {
    r += NS;
    s -= 1n;
  }
  return [Number(s), Number(r)];
}

/** The instant `unixNs` as shown in `loc`. */
export function inLocation(unixNs: bigint, loc: Location = UTC): GoTime {
  const z = loc.lookup(splitNs(unixNs)[0]);
  return { unixNs, offset: z.offset, zone: z.name, loc };
}

/** Calendar fields of a time in its own zone. */
export function civil(t: GoTime): {
  year: number; month: number; day: number; hour: number; minute: number; second: number; nanosecond: number;
  weekday: number; yearDay: number;
} {
  const [sec, nsec] = splitNs(t.unixNs);
  const local = sec + t.offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year, month, day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    nanosecond: nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yearDay: days - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Go's time.Date: fields out of range carry over; the wall time is resolved in loc. */
export function date(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: Location): GoTime {
  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  const unixNs = BigInt(wallToUnix(wall, loc)) * NS + BigInt(nsec);
  return inLocation(unixNs, loc);
}

/** Go's Time.AddDate. */
export function addDate(t: GoTime, years: number, months: number, days: number): GoTime {
  const c = civil(t);
  const loc = t.loc ?? fixedZone(t.zone, t.offset);
  return date(c.year + years, c.month + months, c.day + days, c.hour, c.minute, c.second, c.nanosecond, loc);
}

/** Seconds since the epoch of a wall-clock time in loc, resolving zone transitions as Go's Date does. */
export function wallToUnix(wallSec: number, loc: Location): number {
  const off1 = loc.lookup(wallSec).offset;
  if (off1 === 0) return wallSec;
  const utc = wallSec - off1;
  const off2 = loc.lookup(utc).offset;
  return off2 === off1 ? utc : wallSec - off2;
}

const pad = (n: number, w: number) => (n < 0 ? "-" + String(-n).padStart(w, "0") : String(n).padStart(w, "0"));

/** Go's Time.Format. */
export function format(t: GoTime, layout: string): string {
  const { year, month, day, hour, minute: min, second: s, nanosecond: nsec, weekday, yearDay: yday } = civil(t);

  let out = "";
  for (const c of layoutChunks(layout)) {
    out += c.prefix;
    if (c.std === Std.None) break;
    switch (c.std) {
      case Std.Year: out += pad(((year % 100) + 100) % 100, 2); break;
      case Std.LongYear: out += pad(year, 4); break;
      case Std.Month: out += SHORT_MONTH_NAMES[month - 1]; break;
      case Std.LongMonth: out += LONG_MONTH_NAMES[month - 1]; break;
      case Std.NumMonth: out += String(month); break;
      case Std.ZeroMonth: out += pad(month, 2); break;
      case Std.WeekDay: out += SHORT_DAY_NAMES[weekday]; break;
      case Std.LongWeekDay: out += LONG_DAY_NAMES[weekday]; break;
      case Std.Day: out += String(day); break;
      case Std.UnderDay: out += (day < 10 ? " " : "") + day; break;
      case Std.ZeroDay: out += pad(day, 2); break;
      case Std.UnderYearDay: out += String(yday).padStart(3, " "); break;
      case Std.ZeroYearDay: out += pad(yday, 3); break;
      case Std.Hour: out += pad(hour, 2); break;
      case Std.Hour12: out += String(hour % 12 === 0 ? 12 : hour % 12); break;
      case Std.ZeroHour12: out += pad(hour % 12 === 0 ? 12 : hour % 12, 2); break;
      case Std.Minute: out += String(min); break;
      case Std.ZeroMinute: out += pad(min, 2); break;
      case Std.Second: out += String(s); break;
      case Std.ZeroSecond: out += pad(s, 2); break;
      case Std.PM: out += hour >= 12 ? "PM" : "AM"; break;
      case Std.pm: out += hour >= 12 ? "pm" : "am"; break;
      case Std.TZ:
        if (t.zone !== "") out += t.zone;
        else {
          const zone = Math.trunc(t.offset / 60);
          const a = Math.abs(zone);
          out += (zone < 0 ? "-" : "+") + pad(Math.floor(a / 60), 2) + pad(a % 60, 2);
        }
        break;
      case Std.FracSecond0:
        out += c.sep + String(nsec).padStart(9, "0").slice(0, c.digits);
        break;
      case Std.FracSecond9: {
        const digits = String(nsec).padStart(9, "0").slice(0, c.digits).replace(/0+$/, "");
        if (digits !== "") out += c.sep + digits;
        break;
      }
      default:
        out += formatOffset(c.std, t.offset);
    }
  }
  return out;
}

function formatOffset(std: Std, offset: number): string {
  const iso = std >= Std.ISO8601TZ && std <= Std.ISO8601ColonSecondsTZ;
  if (offset === 0 && iso) return "Z";
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let out = "+";
  if (zone < 0) {
    out = "-";
    zone = -zone;
    abs = -abs;
  }
  out += pad(Math.floor(zone / 60), 2);
  const colon = std === Std.ISO8601ColonTZ || std === Std.NumColonTZ || std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ;
  if (colon) out += ":";
  if (std !== Std.NumShortTZ && std !== Std.ISO8601ShortTZ) out += pad(zone % 60, 2);
  if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz || std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) {
    if (std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) out += ":";
    out += pad(abs % 60, 2);
  }
  return out;
}

export { parse, parseInLocation, TimeParseError } from "./timeparse.ts";
export { UTC, fixedZone, loadLocation, type Location } from "./timezone.ts";
