// sprig's defaults, encoding, hashing, date, OS, path, type and JSON functions.

import path from "node:path";
import { kindOf, typeName } from "../../../gocompat/govalue.ts";
import { addDate, date as goDate, format, inLocation, parse, type GoTime } from "../../../gocompat/timefmt.ts";
import { loadLocation, localLocation, UTC } from "../../../gocompat/timezone.ts";
import { goFunc, type FuncMap } from "../../../gocompat/template/template.ts";
import { isEmpty, strval, toInt64, toJSON } from "./convert.ts";

function hash(algo: string, s: string): string {
  return new Bun.CryptoHasher(algo as "sha256").update(s).digest("hex");
}

function nowTime(): GoTime {
  return inLocation(BigInt(Date.now()) * 1_000_000n, localLocation());
}

/** sprig's toDate-like conversion of `date` arguments: times, or Unix seconds as numbers. */
function asTime(v: unknown): GoTime {
  if (kindOf(v) === "time") return v as GoTime;
  if (typeof v === "bigint") return inLocation(v * 1_000_000_000n, localLocation());
  if (typeof v === "number") return inLocation(BigInt(Math.trunc(v)) * 1_000_000_000n, localLocation());
  return nowTime();
}

function formatIn(fmt: string, v: unknown, zone: string): string {
  let loc;
  try {
    loc = loadLocation(zone);
  } catch {
    loc = UTC;
  }
  return format(inLocation(asTime(v).unixNs, loc), fmt);
}

/** Go's time.Duration.String(). */
export function durationString(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const units: [bigint, string][] = [[1_000_000n, "ms"], [1_000n, "µs"], [1n, "ns"]];
    const [div, name] = units.find(([d]) => u >= d)!;
    out = fraction(u, div) + name;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fraction(u, 1_000_000_000n) + "s";
    if (h > 0n || m > 0n) out = `${m}m` + out;
    if (h > 0n) out = `${h}h` + out;
  }
  return (neg ? "-" : "") + out;
}

function fraction(v: bigint, div: bigint): string {
  const whole = v / div;
  const rest = v % div;
  if (rest === 0n) return whole.toString();
  const digits = div.toString().length - 1;
  return `${whole}.${rest.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}

/** Go's time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const orig = s;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  const units: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  const re = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== "") {
    const m = re.exec(s);
    if (!m || m[1] === "" || m[1] === ".") {
      if (m && m[1] === "") throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
      const unit = /^[\d.]+(.*)$/.exec(s);
      if (unit && unit[1] !== "") throw new Error(`time: unknown unit ${JSON.stringify(unit[1]!.replace(/[\d.].*$/, ""))} in duration ${JSON.stringify(orig)}`);
      throw new Error(`time: missing unit in duration ${JSON.stringify(orig)}`);
    }
    total += Number(m[1]) * units[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return BigInt(Math.round(neg ? -total : total));
}

function uuidv4(): string {
  return crypto.randomUUID();
}

export const SPRIG_MISC_FUNCS: FuncMap = {
  default: goFunc(["any", "any"], (d: unknown, ...given: unknown[]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), true),
  empty: goFunc(["any"], isEmpty),
  coalesce: goFunc(["any"], (...v: unknown[]) => v.find((x) => !isEmpty(x)) ?? null, true),
  all: goFunc(["any"], (...v: unknown[]) => v.every((x) => !isEmpty(x)), true),
  any: goFunc(["any"], (...v: unknown[]) => v.some((x) => !isEmpty(x)), true),
  ternary: goFunc(["any", "any", "bool"], (t: unknown, f: unknown, c: boolean) => (c ? t : f)),
  fail: goFunc(["string"], (msg: string) => {
    throw new Error(msg);
  }),
  b64enc: goFunc(["string"], (s: string) => Buffer.from(s).toString("base64")),
  b64dec: goFunc(["string"], (s: string) => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return `illegal base64 data at input byte ${Math.max(0, s.search(/[^A-Za-z0-9+/=]/))}`;
    return Buffer.from(s, "base64").toString();
  }),
  b32enc: goFunc(["string"], (s: string) => base32(new TextEncoder().encode(s))),
  sha1sum: goFunc(["string"], (s: string) => hash("sha1", s)),
  sha256sum: goFunc(["string"], (s: string) => hash("sha256", s)),
  sha512sum: goFunc(["string"], (s: string) => hash("sha512", s)),
  md5sum: goFunc(["string"], (s: string) => hash("md5", s)),
  adler32sum: goFunc(["string"], (s: string) => {
    let a = 1;
    let b = 0;
    for (const byte of new TextEncoder().encode(s)) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    return String(((b << 16) | a) >>> 0);
  }),
  toJson: goFunc(["any"], (v: unknown) => toJSON(v)),
  mustToJson: goFunc(["any"], (v: unknown) => toJSON(v)),
  toPrettyJson: goFunc(["any"], (v: unknown) => toJSON(v, "  ")),
  toRawJson: goFunc(["any"], (v: unknown) => toJSON(v, "", false)),
  fromJson: goFunc(["string"], (s: string) => {
    try {
      return fromJSONValue(JSON.parse(s));
    } catch {
      return {};
    }
  }),
  now: goFunc([], nowTime),
  date: goFunc(["string", "any"], (fmt: string, d: unknown) => format(inLocation(asTime(d).unixNs, localLocation()), fmt)),
  dateInZone: goFunc(["string", "any", "string"], formatIn),
  date_in_zone: goFunc(["string", "any", "string"], formatIn),
  htmlDate: goFunc(["any"], (d: unknown) => format(inLocation(asTime(d).unixNs, localLocation()), "2006-01-02")),
  htmlDateInZone: goFunc(["any", "string"], (d: unknown, z: string) => formatIn("2006-01-02", d, z)),
  unixEpoch: goFunc(["any"], (d: unknown) => {
    const ns = asTime(d).unixNs;
    return (ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n)).toString();
  }),
  toDate: goFunc(["string", "string"], (fmt: string, s: string) => {
    try {
      const t = parse(fmt, s);
      return inLocation(t.unixNs, localLocation());
    } catch {
      return inLocation(-62135596800000000000n, UTC);
    }
  }),
  mustToDate: goFunc(["string", "string"], (fmt: string, s: string) => inLocation(parse(fmt, s).unixNs, localLocation())),
  dateModify: goFunc(["string", "any"], (fmt: string, d: unknown) => {
    const t = asTime(d);
    try {
      return { ...t, unixNs: t.unixNs + parseDuration(fmt) };
    } catch {
      return t;
    }
  }),
  duration: goFunc(["any"], (v: unknown) => durationString(toInt64(typeof v === "string" ? v : v) * 1_000_000_000n)),
  ago: goFunc(["any"], (d: unknown) => {
    const diff = BigInt(Date.now()) * 1_000_000n - asTime(d).unixNs;
    return durationString((diff / 1_000_000_000n) * 1_000_000_000n);
  }),
  env: goFunc(["string"], (k: string) => process.env[k] ?? ""),
  expandenv: goFunc(["string"], (s: string) =>
    s.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+|[*#$@!?\-0-9])/g, (_m, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ""] ?? ""),
  ),
  uuidv4: goFunc([], uuidv4),
  base: goFunc(["string"], (p: string) => (p === "" ? "." : path.posix.basename(p.replace(/\/+$/, "")) || "/")),
  dir: goFunc(["string"], (p: string) => path.posix.dirname(p)),
  ext: goFunc(["string"], (p: string) => path.posix.extname(p)),
  clean: goFunc(["string"], (p: string) => (p === "" ? "." : path.posix.normalize(p).replace(/(.)\/$/, "$1"))),
  isAbs: goFunc(["string"], (p: string) => p.startsWith("/")),
  typeOf: goFunc(["any"], (v: unknown) => typeName(v)),
  kindOf: goFunc(["any"], (v: unknown) => goKindName(v)),
  kindIs: goFunc(["string", "any"], (k: string, v: unknown) => goKindName(v) === k),
  typeIs: goFunc(["string", "any"], (t: string, v: unknown) => typeName(v) === t),
  addDateYears: goFunc(["any", "int"], (d: unknown, y: bigint) => addDate(asTime(d), Number(y), 0, 0)),
  dateFromParts: goFunc(["int", "int", "int"], (y: bigint, m: bigint, d: bigint) => goDate(Number(y), Number(m), Number(d), 0, 0, 0, 0, UTC)),
};

function goKindName(v: unknown): string {
  switch (kindOf(v)) {
    case "int":
      return "int64";
    case "float":
      return "float64";
    case "slice":
    case "bytes":
      return "slice";
    case "invalid":
    case "nil":
      return "invalid";
    case "time":
    case "struct":
    case "error":
      return "struct";
    default:
      return kindOf(v);
  }
}

function fromJSONValue(v: unknown): unknown {
  if (typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(fromJSONValue);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJSONValue(x)]));
  return v;
}

function base32(bytes: Uint8Array): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}

export { strval };
