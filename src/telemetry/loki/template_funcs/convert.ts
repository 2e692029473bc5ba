// Value conversions the sprig functions share (Masterminds/sprig uses
// spf13/cast: strings parse as numbers, failures become zero).

import { sprint } from "../../../gocompat/fmt.ts";
import { fromBytes, isGoTime, kindOf, stringerOf } from "../../../gocompat/govalue.ts";
import { formatFloat } from "../../../gocompat/ftoa.ts";

/** sprig's strval: strings as is, []byte decoded, errors/Stringers by text, else %v. */
export function strval(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return fromBytes(v);
  const s = stringerOf(v);
  if (s !== undefined) return s;
  return sprint(v ?? null);
}

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

function wrapInt64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** cast.ToInt64: ints as is, floats truncated, bools 1/0, numeric strings parsed (base prefixes allowed), else 0. */
export function toInt64(v: unknown): bigint {
  switch (typeof v) {
    case "bigint":
      return wrapInt64(v);
    case "number":
      return Number.isFinite(v) ? wrapInt64(BigInt(Math.trunc(v))) : 0n;
    case "boolean":
      return v ? 1n : 0n;
    case "string": {
      let s = v.trim();
      // cast trims a zero decimal part ("5.0" -> "5").
      s = s.replace(/^([+-]?\d+)\.0*$/, "$1");
      const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(s);
      if (!m) return 0n;
      let body = m[2]!.replaceAll("_", "");
      if (/^0[0-7]/.test(body)) body = "0o" + body.slice(1);
      const n = BigInt(body) * (m[1] === "-" ? -1n : 1n);
      return n > MAX || n < MIN ? 0n : n;
    }
  }
  return 0n;
}

/** cast.ToFloat64. */
export function toFloat64(v: unknown): number {
  switch (typeof v) {
    case "number":
      return v;
    case "bigint":
      return Number(v);
    case "boolean":
      return v ? 1 : 0;
    case "string": {
      const s = v.trim();
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
      return 0;
    }
  }
  return 0;
}

/** sprig's empty: zero values and empty collections are empty. */
export function isEmpty(v: unknown): boolean {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return true;
    case "bool":
      return v === false;
    case "int":
      return v === 0n;
    case "float":
      return v === 0;
    case "string":
      return v === "";
    case "slice":
    case "bytes":
      return (v as ArrayLike<unknown>).length === 0;
    case "map":
      return v instanceof Map ? v.size === 0 : Object.keys(v as object).length === 0;
    case "time":
      return isGoTime(v) && v.unixNs === -62135596800000000000n;
    default:
      return false;
  }
}

/** A slice-like value as an array, or undefined (sprig panics: "Cannot find first on type X"). */
export function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return [...v].map((b) => BigInt(b));
  return undefined;
}

export function asMap(v: unknown): Record<string, unknown> | undefined {
  if (kindOf(v) !== "map") return undefined;
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), x]));
  return v as Record<string, unknown>;
}

/** Go-like JSON encoding (encoding/json): map keys sorted, HTML characters escaped unless raw. */
export function toJSON(v: unknown, indent = "", escapeHTML = true): string {
  const conv = (x: unknown): unknown => {
    switch (kindOf(x)) {
      case "int":
        return { __raw: (x as bigint).toString() };
      case "float":
        return Number.isFinite(x) ? { __raw: jsonFloat(x as number) } : null;
      case "slice":
        return (x as unknown[]).map(conv);
      case "bytes":
        return Buffer.from(x as Uint8Array).toString("base64");
      case "map": {
        const m = asMap(x)!;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(m).sort()) out[k] = conv(m[k]);
        return out;
      }
      case "time":
        return strval(x);
      case "invalid":
      case "nil":
        return null;
      case "func":
        throw new Error(`json: unsupported type: func`);
      default:
        return x;
    }
  };
  let s = JSON.stringify(conv(v), (_k, x) => x, indent) ?? "null";
  s = s.replace(/\{\s*"__raw":\s*"([^"]*)"\s*\}/g, "$1");
  if (escapeHTML) s = s.replace(/[<>&]/g, (c) => "\\u00" + c.charCodeAt(0).toString(16));
  return s.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** encoding/json float format: like %g but without exponent for 1e-6 <= |x| < 1e21. */
function jsonFloat(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) {
    return formatFloat(x, "e", -1).replace(/e([+-])0(\d)$/, "e$1$2");
  }
  return formatFloat(x, "f", -1);
}
