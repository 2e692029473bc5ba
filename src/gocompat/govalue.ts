// How JavaScript values stand in for Go values in the Go-compatible engines
// (fmt and text/template):
//
//   Go                         JavaScript
//   nil / missing              null (undefined is "no value", e.g. a missing map key)
//   bool, string               boolean, string
//   int, int64, uint…          bigint
//   float64                    number
//   []T                        Array (Uint8Array for []byte)
//   map[string]T               Map or plain object (keys sorted when printed or ranged)
//   struct                     class instance (fields are own properties, methods prototype functions)
//   time.Time                  GoTime ({ unixNs, offset, zone })
//   error                      Error
//   func                       function

import { format as formatTime, type GoTime } from "./timefmt.ts";

export type GoKind =
  | "invalid" | "nil" | "bool" | "int" | "float" | "string" | "slice" | "bytes" | "map" | "struct" | "func" | "time" | "error";

export function isGoTime(v: unknown): v is GoTime {
  return typeof v === "object" && v !== null && typeof (v as GoTime).unixNs === "bigint" && typeof (v as GoTime).offset === "number";
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function kindOf(v: unknown): GoKind {
  switch (typeof v) {
    case "undefined":
      return "invalid";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
    case "function":
      return "func";
  }
  if (v === null) return "nil";
  if (Array.isArray(v)) return "slice";
  if (v instanceof Uint8Array) return "bytes";
  if (isGoTime(v)) return "time";
  if (v instanceof Map || isPlainObject(v)) return "map";
  if (v instanceof Error) return "error";
  return "struct";
}

/** The Go type name shown in messages such as `wrong type for value; expected string; got int`. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return "<nil>";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "slice":
      return "[]interface {}";
    case "bytes":
      return "[]uint8";
    case "map":
      return "map[string]interface {}";
    case "func":
      return "func(...interface {}) interface {}";
    case "time":
      return "time.Time";
    case "error":
      return "*errors.errorString";
    case "struct":
      return (v as object).constructor?.name ?? "struct";
  }
}

/** Map entries in Go's printing order (fmtsort: numbers numerically, strings by bytes). */
export function mapEntries(m: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  const entries: [unknown, unknown][] = m instanceof Map ? [...m.entries()] : Object.keys(m).map((k) => [k, m[k]]);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) return a < b ? -1 : a > b ? 1 : 0;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Looks a key up in a map value; undefined when absent. */
export function mapGet(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown): unknown {
  if (m instanceof Map) return m.get(key);
  return typeof key === "string" && Object.hasOwn(m, key) ? m[key] : undefined;
}

export function mapSize(m: Map<unknown, unknown> | Record<string, unknown>): number {
  return m instanceof Map ? m.size : Object.keys(m).length;
}

const utf8 = new TextEncoder();
/** Length in bytes, as Go's len of a string. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function toBytes(s: string): Uint8Array {
  return utf8.encode(s);
}

const utf8Decoder = new TextDecoder();
export function fromBytes(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}

/** Go's template truth: false, 0, nil, empty string/slice/map are false; structs and times are true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return false;
    case "bool":
      return v as boolean;
    case "int":
      return (v as bigint) !== 0n;
    case "float":
      return (v as number) !== 0;
    case "string":
      return (v as string) !== "";
    case "slice":
      return (v as unknown[]).length > 0;
    case "bytes":
      return (v as Uint8Array).length > 0;
    case "map":
      return mapSize(v as Record<string, unknown>) > 0;
    default:
      return true;
  }
}

/** Go's Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
export function timeString(t: GoTime): string {
  return formatTime(t, "2006-01-02 15:04:05.999999999 -0700 MST");
}

/** A class instance with its own toString acts as a fmt.Stringer. */
export function stringerOf(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || isPlainObject(v) || Array.isArray(v) || v instanceof Map) return undefined;
  if (v instanceof Error) return v.message;
  if (isGoTime(v)) return timeString(v);
  const ts = (v as { toString?: unknown }).toString;
  if (typeof ts === "function" && ts !== Object.prototype.toString) return String(ts.call(v));
  return undefined;
}
