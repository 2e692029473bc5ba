// Time zones for Go-compatible time handling: UTC, fixed offsets and IANA
// zones. IANA zones use the platform's tz database through Intl, so offsets
// match Go's; abbreviations come from Intl and can differ from Go's tzdata
// names where no English abbreviation exists (then "+0530"-style names are
// used, as modern tzdata does).

export interface ZoneInfo {
  /** Abbreviation such as "UTC", "CET", "PST", or "+0530". */
  name: string;
  /** Seconds east of UTC. */
  offset: number;
}

export interface Location {
  readonly name: string;
  /** The zone in effect at a Unix time (seconds). */
  lookup(unixSec: number): ZoneInfo;
  /** The offset of a zone abbreviation in effect around a Unix time, if this location uses it. */
  lookupName(abbrev: string, unixSec: number): number | undefined;
}

class FixedLocation implements Location {
  constructor(
    readonly name: string,
    private readonly zone: ZoneInfo,
  ) {}
  lookup(): ZoneInfo {
    return this.zone;
  }
  lookupName(abbrev: string): number | undefined {
    return abbrev === this.zone.name ? this.zone.offset : undefined;
  }
}

export const UTC: Location = new FixedLocation("UTC", { name: "UTC", offset: 0 });

/** Go's time.FixedZone. */
export function fixedZone(name: string, offsetSec: number): Location {
  return new FixedLocation(name, { name, offset: offsetSec });
}

const ABBREV_LOCALES = ["en-US", "en-GB", "en-IN", "en-AU", "en-NZ", "en-CA", "en-ZA", "en-IE"];

// tzdata abbreviations of zones without daylight saving that no English locale spells out.
const FIXED_ABBREVIATIONS: Record<string, string> = {
  "Asia/Tokyo": "JST", "Asia/Seoul": "KST", "Asia/Shanghai": "CST", "Asia/Taipei": "CST", "Asia/Hong_Kong": "HKT",
  "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT", "Asia/Karachi": "PKT", "Europe/Moscow": "MSK",
  "Africa/Lagos": "WAT", "Africa/Nairobi": "EAT", "Asia/Dubai": "+04", "Asia/Singapore": "+08",
};

function offsetName(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  return sign + String(h).padStart(2, "0") + (m ? String(m).padStart(2, "0") : "");
}

class IanaLocation implements Location {
  private readonly offsetFmt: Intl.DateTimeFormat;
  private readonly nameFmts: Intl.DateTimeFormat[];
  private readonly cache = new Map<number, ZoneInfo>();

  constructor(readonly name: string) {
    this.offsetFmt = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
    this.nameFmts = ABBREV_LOCALES.map((l) => new Intl.DateTimeFormat(l, { timeZone: name, timeZoneName: "short" }));
  }

  lookup(unixSec: number): ZoneInfo {
    // Zone rules change at most on whole quarter hours; cache per 15 minutes.
    const slot = Math.floor(unixSec / 900);
    let z = this.cache.get(slot);
    if (z) return z;
    const d = new Date(unixSec * 1000);
    const off = this.offsetFmt.formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(off);
    let offset = 0;
    if (m && m[1]) offset = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
    let name = offsetName(offset);
    const fixed = FIXED_ABBREVIATIONS[this.name];
    if (fixed !== undefined) {
      z = { name: fixed, offset };
      this.cache.set(slot, z);
      return z;
    }
    for (const f of this.nameFmts) {
      const n = f.formatToParts(d).find((p) => p.type === "timeZoneName")?.value;
      if (n && /^[A-Z][A-Za-z]{1,5}$/.test(n) && n !== "GMT") {
        name = n;
        break;
      }
      if (n === "GMT" && offset === 0) {
        name = "GMT";
        break;
      }
      if (n === "UTC" && offset === 0) {
        name = "UTC";
        break;
      }
    }
    z = { name, offset };
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(slot, z);
    return z;
  }

  lookupName(abbrev: string, unixSec: number): number | undefined {
    // Try the instant itself, then half a year either side (the other DST state).
    for (const delta of [0, -182 * 86400, 182 * 86400]) {
      const z = this.lookup(unixSec + delta);
      if (z.name === abbrev) return z.offset;
    }
    return undefined;
  }
}

const zones = new Map<string, Location>();

export class UnknownTimeZoneError extends Error {
  constructor(name: string) {
    super(`unknown time zone ${name}`);
    this.name = "UnknownTimeZoneError";
  }
}

let localCache: { tz: string | undefined; loc: Location } | undefined;

/** The zone of this process (TZ, else the system's), Go's time.Local; cached until TZ changes. */
export function localLocation(): Location {
  const tz = process.env.TZ;
  if (localCache && localCache.tz === tz) return localCache.loc;
  const loc = resolveLocal(tz);
  localCache = { tz, loc };
  return loc;
}

function resolveLocal(tz: string | undefined): Location {
  const name = tz === "" ? "UTC" : (tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (!name || name === "UTC") return UTC;
  try {
    const loc = loadLocation(name);
    return { name: "Local", lookup: (s) => loc.lookup(s), lookupName: (a, s) => loc.lookupName(a, s) };
  } catch {
    return UTC;
  }
}

/** Go's time.LoadLocation: "" and "UTC" are UTC, "Local" is the process zone, else an IANA name. */
export function loadLocation(name: string): Location {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return localLocation();
  let loc = zones.get(name);
  if (loc) return loc;
  try {
    loc = new IanaLocation(name);
  } catch {
    throw new UnknownTimeZoneError(name);
  }
  zones.set(name, loc);
  return loc;
}
