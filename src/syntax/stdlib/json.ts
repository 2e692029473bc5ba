// A JSON reader that keeps what Alloy keeps: Go's encoding/json yields
// float64 for every number, ojg (json_path) keeps integers as int64. Errors
// use encoding/json's wording.

import { newObject, type Value } from "../value.ts";

export type NumberMode = "float" | "int-or-float";

export class JSONSyntaxError extends Error {}

function charText(c: string): string {
  if (c === "'") return "'\\''";
  if (c === "\n") return "'\\n'";
  if (c === "\t") return "'\\t'";
  if (c === "\r") return "'\\r'";
  return `'${c}'`;
}

/** Parses JSON text into an Alloy value. */
export function parseJSON(text: string, mode: NumberMode): Value {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const eof = () => new JSONSyntaxError("unexpected end of JSON input");
  const bad = (context: string) => (i >= n ? eof() : new JSONSyntaxError(`invalid character ${charText(text[i]!)} ${context}`));

  const value = (): Value => {
    ws();
    if (i >= n) throw eof();
    const c = text[i]!;
    if (c === "{") {
      i++;
      const obj = newObject();
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw bad("looking for beginning of object key string");
        const key = str();
        ws();
        if (text[i] !== ":") throw bad("after object key");
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        throw bad("after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      const arr: Value[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        throw bad("after array element");
      }
    }
    if (c === '"') return str();
    if (c === "-" || (c >= "0" && c <= "9")) return num();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
      if (c === word[0]) {
        let k = 0;
        while (i < n && text[i] === word[k]) {
          i++;
          k++;
        }
        throw bad(`in literal ${word} (expecting '${word[k]}')`);
      }
    }
    throw bad("looking for beginning of value");
  };

  const str = (): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < n) {
      const c = text[i]!;
      if (c === "\\") {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        const raw = text.slice(start, i);
        try {
          return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        } catch {
          throw new JSONSyntaxError("invalid character in string escape code");
        }
      }
      if (c < " ") throw bad("in string literal");
      i++;
    }
    throw eof();
  };

  const num = (): Value => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m) {
      i++;
      throw bad("in numeric literal");
    }
    i += m[0].length;
    const isInt = m[2] === undefined && m[3] === undefined;
    if (mode === "int-or-float" && isInt) {
      const b = BigInt(m[0]);
      if (b >= -(1n << 63n) && b < 1n << 63n) return b;
    }
    return Number(m[0]);
  };

  const v = value();
  ws();
  if (i < n) throw bad("after top-level value");
  return v;
}

const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** Go's json.Marshal string escaping (HTML-safe). */
export function goJSONString(s: string): string {
  return '"' + s.replace(/["\\\n\r\t<>&\u2028\u2029\u0000-\u001f]/g, (c) => ESCAPES[c] ?? "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")) + '"';
}

/** Go's encoding/json float formatting: 'f' in [1e-6, 1e21), else 'e' with `e-07` cleaned to `e-7`. */
export function goJSONFloat(f: number): string {
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return f.toExponential();
  return String(f);
}
