// encoding.*: JSON, YAML, base64 and URL query escaping.

import { Capsule, Secret, newObject, typeOf, type ObjectValue, type Value } from "../value.ts";
import { FunctionError, formatFloat } from "../convert.ts";
import { fixed, stringArg } from "./function.ts";
import { JSONSyntaxError, goJSONFloat, goJSONString, parseJSON } from "./json.ts";
import { YAMLSyntaxError, parseYAML } from "./yaml.ts";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export function base64Encode(s: string, alphabet = STD): string {
  const b = utf8.encode(s);
  let out = "";
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += i + 1 < b.length ? alphabet[(n >> 6) & 63]! : "=";
    out += i + 2 < b.length ? alphabet[n & 63]! : "=";
  }
  return out;
}

/** Go's padded base64 decoding; errors name the first bad byte as Go does. */
export function base64Decode(s: string, alphabet = STD): string {
  // Go ignores newlines (\r, \n) anywhere in the input.
  const positions: number[] = [];
  let clean = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\n" || s[i] === "\r") continue;
    clean += s[i];
    positions.push(i);
  }
  const err = (k: number) => new FunctionError(`illegal base64 data at input byte ${positions[k] ?? s.length}`);
  const bytes: number[] = [];
  for (let q = 0; q < clean.length; q += 4) {
    const quad = clean.slice(q, q + 4);
    const vals: number[] = [];
    let padAt = -1;
    for (let j = 0; j < quad.length; j++) {
      const c = quad[j]!;
      if (c === "=") {
        padAt = j;
        break;
      }
      const v = alphabet.indexOf(c);
      if (v < 0) throw err(q + j);
      vals.push(v);
    }
    if (padAt < 0 && quad.length < 4) throw err(q + quad.length === clean.length ? clean.length : q + quad.length);
    if (padAt >= 0) {
      if (padAt < 2) throw err(q + padAt);
      // "xx==" or "xxx=", and nothing may follow.
      for (let j = padAt; j < 4; j++) if (quad[j] !== "=") throw err(q + (quad[j] === undefined ? j : j));
      if (q + 4 < clean.length) throw err(q + 4);
    }
    const n = ((vals[0] ?? 0) << 18) | ((vals[1] ?? 0) << 12) | ((vals[2] ?? 0) << 6) | (vals[3] ?? 0);
    bytes.push((n >> 16) & 255);
    if (vals.length > 2) bytes.push((n >> 8) & 255);
    if (vals.length > 3) bytes.push(n & 255);
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8.encode(s)) {
    const c = String.fromCharCode(b);
    if (b < 128 && UNRESERVED.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        const shown = s.slice(i, i + 3);
        throw new FunctionError(`invalid URL escape ${JSON.stringify(shown)}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === "+") bytes.push(32);
    else for (const b of utf8.encode(c)) bytes.push(b);
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}

export function decodeJSON(s: string): Value {
  try {
    return parseJSON(s, "float");
  } catch (e) {
    if (e instanceof JSONSyntaxError) throw new FunctionError(e.message);
    throw e;
  }
}

export function decodeYAML(s: string): Value {
  try {
    return parseYAML(s);
  } catch (e) {
    if (e instanceof YAMLSyntaxError) throw new FunctionError(`yaml: ${e.message}`);
    throw e;
  }
}

/** Go's json.Marshal of a decoded interface{} value (maps sorted by key). */
export function encodeJSON(v: Value): string {
  switch (typeOf(v)) {
    case "null":
      return "null";
    case "bool":
      return String(v);
    case "number":
      if (typeof v === "bigint") return v.toString();
      if (!Number.isFinite(v)) throw new FunctionError(`json: unsupported value: ${formatFloat(v as number)}`);
      return goJSONFloat(v as number);
    case "string":
      return goJSONString(v as string);
    case "array":
      return "[" + (v as Value[]).map(encodeJSON).join(",") + "]";
    case "object": {
      const obj = v as ObjectValue;
      return "{" + Object.keys(obj).sort().map((k) => goJSONString(k) + ":" + encodeJSON(obj[k]!)).join(",") + "}";
    }
    case "function":
      throw new FunctionError("json: unsupported type: func");
    case "capsule":
      // A secret is a Go string type, so Go marshals its text.
      if (v instanceof Secret) return goJSONString(v.value);
      return (v as Capsule).value === null ? "null" : "{}";
  }
}

export function encodingNamespace(): ObjectValue {
  const e = newObject();
  e["from_json"] = fixed("encoding.from_json", 1, (args) => decodeJSON(stringArg(args, 0)));
  e["from_yaml"] = fixed("encoding.from_yaml", 1, (args) => decodeYAML(stringArg(args, 0)));
  e["from_base64"] = fixed("encoding.from_base64", 1, (args) => base64Decode(stringArg(args, 0)));
  e["from_URLbase64"] = fixed("encoding.from_URLbase64", 1, (args) => base64Decode(stringArg(args, 0), URL_SAFE));
  e["to_json"] = fixed("encoding.to_json", 1, (args) => {
    if (typeOf(args[0]!) !== "object") throw new FunctionError("jsonEncode only supports map");
    return encodeJSON(args[0]!);
  });
  e["to_base64"] = fixed("encoding.to_base64", 1, (args) => base64Encode(stringArg(args, 0)));
  e["to_URLbase64"] = fixed("encoding.to_URLbase64", 1, (args) => base64Encode(stringArg(args, 0), URL_SAFE));
  e["url_encode"] = fixed("encoding.url_encode", 1, (args) => queryEscape(stringArg(args, 0)));
  e["url_decode"] = fixed("encoding.url_decode", 1, (args) => queryUnescape(stringArg(args, 0)));
  return e;
}
