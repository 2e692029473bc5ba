// Character classes, quoted strings, escapes and label building shared by the
// Prometheus text and OpenMetrics parsers. The parsers keep offsets into the input
// and only cut strings out of it when labels are asked for.

import { Labels, METRIC_NAME, type StringInterner } from "../labels.ts";

/** Labels that carry a series' type and unit when enable_type_and_unit_labels is on. */
export const METRIC_TYPE_LABEL = "__type__";
export const METRIC_UNIT_LABEL = "__unit__";
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

/** Whether the last scanQuoted() saw a backslash, so callers skip unescaping plain strings. */
export let lastQuotedHadEscape = false;

/**
 * End (exclusive, after the closing quote) of the quoted string `"(\\.|[^\\"])*"`
 * starting at `pos`, or -1 when it is not terminated. With `allowNewline` false a raw
 * newline ends the attempt (OpenMetrics label values).
 */
export function scanQuoted(s: string, pos: number, allowNewline: boolean): number {
  let i = pos + 1;
  const n = s.length;
  let esc = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      lastQuotedHadEscape = esc;
      return i + 1;
    }
    if (c === BACKSLASH) {
      if (i + 1 >= n) return -1;
      if (!allowNewline && s.charCodeAt(i + 1) === NL) return -1;
      esc = true;
      i += 2;
      continue;
    }
    if (c === NL && !allowNewline) return -1;
    i++;
  }
  return -1;
}

/**
 * scanQuoted for one input, using native indexOf: the next quote is found directly
 * and the positions of the next backslash and newline are cached, so a string without
 * escapes costs two native searches instead of a JavaScript loop per character.
 */
export class QuoteScanner {
  #nextBackslash = -1;
  #nextNewline = -1;
  hadEscape = false;

  constructor(private readonly s: string) {}

  scan(pos: number, allowNewline: boolean): number {
    const s = this.s;
    const q = s.indexOf('"', pos + 1);
    if (q < 0) return scanQuoted(s, pos, allowNewline);
    if (this.#nextBackslash !== Infinity && this.#nextBackslash <= pos) {
      const b = s.indexOf("\\", pos + 1);
      this.#nextBackslash = b < 0 ? Infinity : b;
    }
    if (!allowNewline && this.#nextNewline !== Infinity && this.#nextNewline <= pos) {
      const n = s.indexOf("\n", pos + 1);
      this.#nextNewline = n < 0 ? Infinity : n;
    }
    if (this.#nextBackslash > q && (allowNewline || this.#nextNewline > q)) {
      this.hadEscape = false;
      return q + 1;
    }
    const end = scanQuoted(s, pos, allowNewline);
    this.hadEscape = lastQuotedHadEscape;
    return end;
  }
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
 * lvStart, lvEnd)*]. A negative start offset (-start-1) marks a quoted string with
 * escapes to undo. Empty values are left out (as a Prometheus labels.Builder drops
 * them); duplicate names are kept, adjacent, so callers can reject them.
 */
export function buildLabels(
  s: string,
  offsets: readonly number[],
  n: number,
  type: MetricType,
  interner: StringInterner | undefined,
  /** enable_type_and_unit_labels: the family's unit ("" for none); undefined when disabled. */
  typeAndUnit?: { unit: string },
): Labels {
  const count = (n - 2) / 4 + 3;
  const names = new Array<string>(count);
  const values = new Array<string>(count);
  names[0] = METRIC_NAME;
  values[0] = cut(s, offsets[0]!, offsets[1]!);
  let m = 1;
  const withType = typeAndUnit !== undefined && type !== "unknown";
  const withUnit = typeAndUnit !== undefined && typeAndUnit.unit !== "";
  const extra: [string, string][] = [];
  if (withType) extra.push([METRIC_TYPE_LABEL, type]);
  if (withUnit) extra.push([METRIC_UNIT_LABEL, typeAndUnit.unit]);
  const normalize = type === "summary" || type === "histogram";
  for (let k = 0; k < (n - 2) / 4 + extra.length; k++) {
    let name: string;
    let value: string;
    if (k < extra.length) {
      [name, value] = extra[k]!;
    } else {
      const i = 2 + (k - extra.length) * 4;
      name = cut(s, offsets[i]!, offsets[i + 1]!);
      // Labels the metadata already provides are replaced by it, as in Prometheus.
      if ((withType && name === METRIC_TYPE_LABEL) || (withUnit && name === METRIC_UNIT_LABEL)) continue;
      value = cut(s, offsets[i + 2]!, offsets[i + 3]!);
      if (normalize) value = normalizeFloatLabelValue(type, name, value);
    }
    if (value === "") continue;
    // Insertion sort: label sets are small, and this keeps equal names in input order.
    let j = m++;
    while (j > 0 && names[j - 1]! > name) {
      names[j] = names[j - 1]!;
      values[j] = values[j - 1]!;
      j--;
    }
    names[j] = name;
    values[j] = value;
  }
  const flat = new Array<string>(m * 2);
  for (let k = 0; k < m; k++) {
    flat[2 * k] = interner ? interner.intern(names[k]!) : names[k]!;
    flat[2 * k + 1] = interner ? interner.intern(values[k]!) : values[k]!;
  }
  return Labels.fromSortedFlat(flat);
}

/** The string at offsets [start, end); a start encoded as -start-1 marks escapes to undo. */
export function cut(s: string, start: number, end: number): string {
  return start < 0 ? unescapeLabelValue(s.slice(-start - 1, end)) : s.slice(start, end);
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
