// The rest of sprig's text functions: random strings, base32 decoding,
// duration rounding, decimals, URL and OS-path helpers, mergeOverwrite.

import path from "node:path";
import { typeName } from "../../../gocompat/govalue.ts";
import { goFunc, type FuncMap } from "../../../gocompat/template/template.ts";
import { asMap, strval, toInt64 } from "./convert.ts";
import { parseDuration } from "./misc.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALPHA = ALNUM.slice(0, 52);
const NUMERIC = "0123456789";
const ASCII = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join("");

function random(n: bigint, alphabet: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Number(n)));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}

function base32Decode(s: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = s.replace(/=+$/, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const idx = alphabet.indexOf(clean[i]!);
    if (idx < 0) return `illegal base32 data at input byte ${i}`;
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new TextDecoder().decode(new Uint8Array(out));
}

function urlParse(s: string): Record<string, unknown> {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new Error(`unable to parse url: parse ${JSON.stringify(s)}: invalid URL`);
  }
  return {
    scheme: u.protocol.replace(/:$/, ""),
    host: u.host,
    hostname: u.hostname,
    path: decodeURIComponent(u.pathname),
    query: u.search.replace(/^\?/, ""),
    opaque: "",
    fragment: decodeURIComponent(u.hash.replace(/^#/, "")),
    userinfo: u.username ? (u.password ? `${u.username}:${u.password}` : u.username) : "",
  };
}

function urlJoin(d: unknown): string {
  const m = asMap(d) ?? {};
  const get = (k: string) => (m[k] === undefined || m[k] === null ? "" : strval(m[k]));
  let out = "";
  if (get("scheme")) out += get("scheme") + ":";
  if (get("host")) out += "//" + (get("userinfo") ? get("userinfo") + "@" : "") + get("host");
  out += get("path");
  if (get("query")) out += "?" + get("query");
  if (get("fragment")) out += "#" + get("fragment");
  return out;
}

export const SPRIG_EXTRA_FUNCS: FuncMap = {
  hello: goFunc([], () => "Hello!"),
  randAlphaNum: goFunc(["int"], (n: bigint) => random(n, ALNUM)),
  randAlpha: goFunc(["int"], (n: bigint) => random(n, ALPHA)),
  randNumeric: goFunc(["int"], (n: bigint) => random(n, NUMERIC)),
  randAscii: goFunc(["int"], (n: bigint) => random(n, ASCII)),
  randInt: goFunc(["int", "int"], (min: bigint, max: bigint) => min + BigInt(Math.floor(Math.random() * Number(max - min)))),
  b32dec: goFunc(["string"], base32Decode),
  durationRound: goFunc(["any"], (v: unknown) => {
    let ns: bigint;
    if (typeof v === "string") {
      try {
        ns = parseDuration(v);
      } catch {
        ns = 0n;
      }
    } else ns = toInt64(v);
    // sprig rounds down to the largest unit strictly exceeded: years, months, days, hours, minutes, seconds.
    const u = ns < 0n ? -ns : ns;
    const units: [bigint, string][] = [
      [31536000_000_000_000n, "y"], [2592000_000_000_000n, "mo"], [86400_000_000_000n, "d"],
      [3600_000_000_000n, "h"], [60_000_000_000n, "m"], [1_000_000_000n, "s"],
    ];
    for (const [size, name] of units) if (u > size) return `${u / size}${name}`;
    return "0s";
  }),
  toDecimal: goFunc(["any"], (v: unknown) => {
    const s = strval(v);
    return /^[0-7]+$/.test(s) ? BigInt("0o" + s) : 0n;
  }),
  mergeOverwrite: goFunc(["any", "any"], (dst: unknown, ...srcs: unknown[]) => {
    const d = asMap(dst);
    if (!d) throw new Error(`wrong type for value; expected map[string]interface {}; got ${typeName(dst)}`);
    for (const s of srcs) Object.assign(d, asMap(s) ?? {});
    return d;
  }, true),
  urlParse: goFunc(["string"], urlParse),
  urlJoin: goFunc(["any"], urlJoin),
  osBase: goFunc(["string"], (p: string) => path.basename(p) || "."),
  osDir: goFunc(["string"], (p: string) => path.dirname(p)),
  osExt: goFunc(["string"], (p: string) => path.extname(p)),
  osClean: goFunc(["string"], (p: string) => path.normalize(p)),
  osIsAbs: goFunc(["string"], (p: string) => path.isAbsolute(p)),
  typeIsLike: goFunc(["string", "any"], (t: string, v: unknown) => typeName(v) === t || "*" + typeName(v) === t),
};
