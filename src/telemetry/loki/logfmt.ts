// logfmt decoding as github.com/go-logfmt/logfmt's Decoder does it (what
// stage.logfmt uses): records are lines; `key=value`, `key="quoted \"v\""`,
// a bare `key` has no value; `=` or `"` in the wrong place is a syntax error
// reported as `logfmt syntax error at pos N on line L: unexpected '='`.

import { quoteRune } from "../../gocompat/fmt.ts";
import { byteLength } from "../../gocompat/govalue.ts";

export class LogfmtSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly pos: number,
    readonly detail: string,
  ) {
    super(`logfmt syntax error at pos ${pos} on line ${line}: ${detail}`);
    this.name = "LogfmtSyntaxError";
  }
}

export interface LogfmtPair {
  key: string;
  /** null for a bare key (no `=`), "" for `key=`. */
  value: string | null;
}

/**
 * Decodes every record, calling onPair for each pair in order (pairs before
 * an error are still delivered, as with the Go decoder). Returns the syntax
 * error that stopped decoding, if any.
 */
export function decodeLogfmt(text: string, onPair: (key: string, value: string | null, line: number) => void): LogfmtSyntaxError | undefined {
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end === text.length && start === text.length && lineNo > 0) break;
    let line = text.slice(start, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    lineNo++;
    const err = decodeRecord(line, lineNo, onPair);
    if (err) return err;
    start = end + 1;
    if (end === text.length) break;
  }
  return undefined;
}

/** All pairs of a logfmt text; throws LogfmtSyntaxError. */
export function parseLogfmt(text: string): LogfmtPair[] {
  const out: LogfmtPair[] = [];
  const err = decodeLogfmt(text, (key, value) => out.push({ key, value }));
  if (err) throw err;
  return out;
}

function decodeRecord(line: string, lineNo: number, onPair: (k: string, v: string | null, l: number) => void): LogfmtSyntaxError | undefined {
  const n = line.length;
  let pos = 0;
  const fail = (at: number, detail: string) => new LogfmtSyntaxError(lineNo, byteLength(line.slice(0, at)) + 1, detail);
  const unexpected = (at: number) => fail(at, `unexpected ${quoteRune(line.charCodeAt(at))}`);
  for (;;) {
    // Skip garbage (control characters and spaces).
    while (pos < n && line.charCodeAt(pos) <= 0x20) pos++;
    if (pos >= n) return undefined;
    const keyStart = pos;
    let key: string | undefined;
    let c = 0;
    while (pos < n) {
      c = line.charCodeAt(pos);
      if (c === 0x3d /* = */ || c === 0x22 /* " */ || c <= 0x20) break;
      pos++;
    }
    if (pos > keyStart) key = line.slice(keyStart, pos);
    if (pos >= n || c <= 0x20) {
      onPair(key!, null, lineNo);
      continue;
    }
    if (c === 0x22) return unexpected(pos);
    // c is '='
    if (key === undefined) return unexpected(pos);
    pos++;
    if (pos >= n) {
      onPair(key, null, lineNo);
      return undefined;
    }
    c = line.charCodeAt(pos);
    if (c <= 0x20) {
      onPair(key, null, lineNo);
      continue;
    }
    if (c !== 0x22) {
      const valStart = pos;
      while (pos < n) {
        c = line.charCodeAt(pos);
        if (c === 0x3d || c === 0x22) return unexpected(pos);
        if (c <= 0x20) break;
        pos++;
      }
      onPair(key, line.slice(valStart, pos), lineNo);
      continue;
    }
    // Quoted value.
    const qStart = pos;
    let hasEsc = false;
    let esc = false;
    let closed = -1;
    for (let p = pos + 1; p < n; p++) {
      const d = line.charCodeAt(p);
      if (esc) esc = false;
      else if (d === 0x5c) hasEsc = esc = true;
      else if (d === 0x22) {
        closed = p;
        break;
      }
    }
    if (closed < 0) return fail(n, "unterminated quoted value");
    pos = closed + 1;
    if (!hasEsc) {
      onPair(key, line.slice(qStart + 1, closed), lineNo);
      continue;
    }
    const v = unquoteJSON(line.slice(qStart + 1, closed));
    if (v === undefined) return fail(pos, "invalid quoted value");
    onPair(key, v, lineNo);
  }
}

/** encoding/json string unquoting of the text between the quotes; undefined when invalid. */
function unquoteJSON(s: string): string | undefined {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\") {
      if (c.charCodeAt(0) < 0x20) return undefined;
      out += c;
      continue;
    }
    const e = s[++i];
    switch (e) {
      case '"': case "\\": case "/": case "'":
        out += e;
        break;
      case "b": out += "\b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "u": {
        const h = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) return undefined;
        out += String.fromCharCode(parseInt(h, 16));
        i += 4;
        break;
      }
      default:
        return undefined;
    }
  }
  // Lone surrogates become U+FFFD as Go's decoder does.
  return out.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
