// Character classes, quoted strings, escapes and label building shared by the
// Prometheus text and OpenMetrics parsers. The parsers keep offsets into the input
// and only cut strings out of it when labels are asked for.

import { Labels, METRIC_NAME, type StringInterner } from "../labels.ts";
import type { MetricType } from "../metadata.ts";
import { formatOpenMetricsFloat, parseGoFloat } from "./float.ts";

export const NL = 10;
export const SPACE = 32;
export const TAB = 9;
export const QUOTE = 34;
export const BACKSLASH = 92;
export const HASH = 35;
export const LBRACE = 123;
export const RBRACE = 125;
export const COMMA = 44;
export const EQUAL = 61;

/** [a-zA-Z_:] */
export function isMetricNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
/** [a-zA-Z0-9_:] */
export function isMetricNameChar(c: number): boolean {
  return isMetricNameStart(c) || (c >= 48 && c <= 57);
}
/** [a-zA-Z_] */
export function isLabelNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
/** [a-zA-Z0-9_] */
export function isLabelNameChar(c: number): boolean {
  return isLabelNameStart(c) || (c >= 48 && c <= 57);
}

/**
 * End (exclusive, after the closing quote) of the quoted string `"(\\.|[^\\"])*"`
 * starting at `pos`, or -1 when it is not terminated. With `allowNewline` false a raw
 * newline ends the attempt (OpenMetrics label values).
 */
export function scanQuoted(s: string, pos: number, allowNewline: boolean): number {
  let i = pos + 1;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (i + 1 >= n) return -1;
      if (!allowNewline && s.charCodeAt(i + 1) === NL) return -1;
      i += 2;
      continue;
    }
    if (c === NL && !allowNewline) return -1;
    i++;
  }
  return -1;
}

/** Label value escapes: `\"`, `\\`, `\n`; any other backslash sequence stays as written. */
export function unescapeLabelValue(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) {
      const d = s[i + 1]!;
      if (d === '"' || d === "\\") {
        out += d;
        i++;
        continue;
      }
      if (d === "n") {
        out += "\n";
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Prometheus text HELP escapes: `\\` and `\n` only. */
export function unescapeHelp(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) {
      const d = s[i + 1]!;
      if (d === "\\") {
        out += "\\";
        i++;
        continue;
      }
      if (d === "n") {
        out += "\n";
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * The `le` of classic histogram buckets and `quantile` of summaries are rewritten to
 * OpenMetrics float formatting ("1" → "1.0"), as Prometheus does since 3.0.
 */
export function normalizeFloatLabelValue(type: MetricType, name: string, value: string): string {
  if ((type === "summary" && name === "quantile") || (type === "histogram" && name === "le")) {
    const f = parseGoFloat(value);
    if (typeof f === "number") return formatOpenMetricsFloat(f);
  }
  return value;
}

/**
 * Builds a Labels from offsets into `s`: [nameStart, nameEnd, (lnStart, lnEnd,
 * lvStart, lvEnd)*]. Names and values are unescaped; empty values are left out (the
 * way a Prometheus labels.Builder drops them); duplicate names are kept so callers
 * can reject them (Labels.hasDuplicateNames would be the check).
 */
export function buildLabels(
  s: string,
  offsets: readonly number[],
  n: number,
  type: MetricType,
  interner: StringInterner | undefined,
): Labels {
  const names: string[] = [];
  const values: string[] = [];
  const metric = unescapeLabelValue(s.slice(offsets[0]!, offsets[1]!));
  names.push(METRIC_NAME);
  values.push(metric);
  for (let i = 2; i < n; i += 4) {
    const name = unescapeLabelValue(s.slice(offsets[i]!, offsets[i + 1]!));
    const value = normalizeFloatLabelValue(type, name, unescapeLabelValue(s.slice(offsets[i + 2]!, offsets[i + 3]!)));
    if (value === "") continue;
    names.push(name);
    values.push(value);
  }
  const idx = names.map((_, i) => i);
  idx.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
  const flat = new Array<string>(idx.length * 2);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    flat[2 * k] = interner ? interner.intern(names[i]!) : names[i]!;
    flat[2 * k + 1] = interner ? interner.intern(values[i]!) : values[i]!;
  }
  return Labels.fromSortedFlat(flat);
}

/** Go's %q-ish quoting for error messages. */
export function q(s: string): string {
  return JSON.stringify(s);
}

/** 1-based line number of `pos` in `s`. */
export function lineOf(s: string, pos: number): number {
  let line = 1;
  let i = s.indexOf("\n");
  while (i >= 0 && i < pos) {
    line++;
    i = s.indexOf("\n", i + 1);
  }
  return line;
}
