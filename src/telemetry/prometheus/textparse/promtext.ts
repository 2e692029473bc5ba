// Parser for the Prometheus text exposition format 0.0.4 (Content-Type text/plain),
// following Prometheus's model/textparse/promparse.go token by token: whitespace
// between tokens is free, label blocks may omit commas, `{"name", ...}` quoted
// metric names are accepted, values use Go float syntax without `_` or hex, and the
// optional timestamp is integer milliseconds. The first error ends the parse.

import type { Exemplar } from "../exemplar.ts";
import type { NativeHistogram } from "../histogram.ts";
import type { Labels, StringInterner } from "../labels.ts";
import type { MetricType } from "../metadata.ts";
import { parseGoFloat, parseGoInt } from "./float.ts";
import {
  buildLabels,
  QuoteScanner,
  COMMA,
  EQUAL,
  HASH,
  isLabelNameStart,
  isLabelNameChar,
  isMetricNameChar,
  isMetricNameStart,
  LBRACE,
  lineOf,
  NL,
  q,
  QUOTE,
  RBRACE,
  SPACE,
  TAB,
  unescapeHelp,
} from "./lex.ts";
import { ParseError, type Entry, type ExpositionParser } from "./parser.ts";

const TYPES: Readonly<Record<string, MetricType>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  summary: "summary",
  untyped: "unknown",
};

// Character classes as lookup tables (ASCII): 1 = label-name char, 2 = also a
// metric-name char (adds ':'), 4 = ends a value token, 8 = may appear in a plain
// decimal number (digits, sign, dot, exponent).
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = 1 | 2 | 8;
for (let c = 65; c <= 90; c++) CLASS[c] = 1 | 2;
for (let c = 97; c <= 122; c++) CLASS[c] = 1 | 2;
CLASS[95] = 1 | 2;
CLASS[58] = 2;
for (const c of [LBRACE, SPACE, TAB, NL, 0]) CLASS[c] = 4;
for (const c of [43, 45, 46]) CLASS[c] = 8;
CLASS[69] = CLASS[69]! | 8;
CLASS[101] = CLASS[101]! | 8;

/** End of the run of characters from `pos` whose class has `bit`. */
function runEnd(s: string, pos: number, bit: number): number {
  const n = s.length;
  let i = pos;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLASS[c]! & bit) === 0) break;
    i++;
  }
  return i;
}

const NO_UNIT = { unit: "" };

class Fail {
  constructor(
    readonly pos: number,
    readonly message: string,
  ) {}
}

export interface TextParserOptions {
  interner?: StringInterner;
  /** enable_type_and_unit_labels: add `__type__` from the TYPE line to every series. */
  typeAndUnitLabels?: boolean;
}

export class PromTextParser implements ExpositionParser {
  readonly #s: string;
  readonly #q: QuoteScanner;
  #pos = 0;
  #final: Entry | undefined;
  #offsets: number[] = [];
  #nOffsets = 0;
  #start = 0;
  readonly #interner: StringInterner | undefined;
  readonly #typeAndUnit: boolean;

  error: ParseError | undefined;
  seriesText = "";
  value = 0;
  timestamp: number | undefined;
  metricFamily = "";
  help = "";
  type: MetricType = "unknown";
  unit = "";
  comment = "";

  constructor(text: string, opts: TextParserOptions = {}) {
    this.#s = text;
    this.#q = new QuoteScanner(text);
    this.#interner = opts.interner;
    this.#typeAndUnit = opts.typeAndUnitLabels ?? false;
  }

  labels(): Labels {
    return buildLabels(this.#s, this.#offsets, this.#nOffsets, this.type, this.#interner, this.#typeAndUnit ? NO_UNIT : undefined);
  }
  exemplars(): Exemplar[] {
    return [];
  }
  createdTimestamp(): number | undefined {
    return undefined;
  }
  histogram(): NativeHistogram | undefined {
    return undefined;
  }

  next(): Entry {
    if (this.#final !== undefined) return this.#final;
    try {
      return this.#next();
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      this.error = new ParseError(lineOf(this.#s, e.pos), e.message);
      this.#final = "invalid";
      return "invalid";
    }
  }

  #c(i: number): number {
    // The lexer sees the input as if it ended with a newline.
    return i < this.#s.length ? this.#s.charCodeAt(i) : NL;
  }

  #skipWs(): void {
    let c = this.#c(this.#pos);
    while (c === SPACE || c === TAB) c = this.#c(++this.#pos);
  }

  #fail(expected: string, gotEnd = this.#pos + 1): never {
    const s = this.#s;
    const end = Math.min(s.length, gotEnd);
    const got = this.#pos >= s.length ? "\n" : s.slice(this.#pos, Math.max(end, this.#pos + 1));
    throw new Fail(this.#pos, `${expected}, got ${q(got)} while parsing: ${q(s.slice(this.#start, end) + (gotEnd > s.length ? "\n" : ""))}`);
  }

  #next(): Entry {
    const s = this.#s;
    for (;;) {
      this.#start = this.#pos;
      this.#skipWs();
      if (this.#pos >= s.length || s.charCodeAt(this.#pos) === 0) {
        this.#final = "eof";
        return "eof";
      }
      const c = s.charCodeAt(this.#pos);
      if (c === NL) {
        this.#pos++;
        continue;
      }
      if (c === HASH) return this.#hashLine();
      this.#start = this.#pos;
      this.#nOffsets = 0;
      if (c === LBRACE) {
        this.#setOffset(0, -1);
        this.#setOffset(1, -1);
        this.#nOffsets = 2;
        this.#pos++;
        this.#labelBlock();
        this.seriesText = s.slice(this.#start, this.#pos);
        return this.#suffix();
      }
      if (isMetricNameStart(c)) {
        const i = runEnd(s, this.#pos + 1, 2);
        this.#setOffset(0, this.#pos);
        this.#setOffset(1, i);
        this.#nOffsets = 2;
        this.#pos = i;
        this.seriesText = s.slice(this.#start, i);
        this.#skipWs();
        if (this.#c(this.#pos) === LBRACE) {
          this.#pos++;
          this.#labelBlock();
          this.seriesText = s.slice(this.#start, this.#pos);
        }
        return this.#suffix();
      }
      this.#fail("expected a valid start token");
    }
  }

  #setOffset(i: number, v: number): void {
    this.#offsets[i] = v;
  }

  #hashLine(): Entry {
    const s = this.#s;
    const hashPos = this.#pos;
    this.#start = hashPos;
    let i = hashPos + 1;
    let eol = s.indexOf("\n", hashPos);
    if (eol < 0) eol = s.length;
    const c1 = this.#c(i);
    if (c1 === SPACE || c1 === TAB) {
      while (this.#c(i) === SPACE || this.#c(i) === TAB) i++;
      const word = s.slice(i, i + 4);
      const after = this.#c(i + 4);
      if ((word === "HELP" || word === "TYPE") && (after === SPACE || after === TAB)) {
        i += 4;
        while (this.#c(i) === SPACE || this.#c(i) === TAB) i++;
        this.#pos = i;
        return this.#meta(word);
      }
    }
    this.comment = s.slice(hashPos, eol);
    this.#pos = eol + 1;
    return "comment";
  }

  #meta(kind: "HELP" | "TYPE"): Entry {
    const s = this.#s;
    const c = this.#c(this.#pos);
    let nameStart: number;
    let nameEnd: number;
    if (c === QUOTE) {
      const end = this.#q.scan(this.#pos, true);
      if (end < 0) this.#fail(`expected metric name after ${kind}`);
      nameStart = this.#pos + 1;
      nameEnd = end - 1;
      this.#pos = end;
    } else if (isMetricNameStart(c)) {
      let i = this.#pos + 1;
      while (i < s.length && isMetricNameChar(s.charCodeAt(i))) i++;
      nameStart = this.#pos;
      nameEnd = i;
      this.#pos = i;
    } else {
      this.#fail(`expected metric name after ${kind}`);
    }
    this.metricFamily = s.slice(nameStart, nameEnd);
    let eol = s.indexOf("\n", this.#pos);
    if (eol < 0) eol = s.length;
    const rest = s.slice(this.#pos, eol);
    // The separator after the name is one character; everything after it is the text.
    const text = rest.length > 1 ? rest.slice(1) : "";
    this.#pos = eol + 1;
    if (kind === "TYPE") {
      const t = TYPES[text];
      if (t === undefined) throw new Fail(this.#start, `invalid metric type ${q(text)}`);
      this.type = t;
      return "type";
    }
    this.help = unescapeHelp(text);
    return "help";
  }

  #labelBlock(): void {
    const s = this.#s;
    const off = this.#offsets;
    for (;;) {
      this.#skipWs();
      const c = this.#c(this.#pos);
      if (c === RBRACE) {
        this.#pos++;
        return;
      }
      let tokStart = this.#pos;
      let tokEnd: number;
      const quoted = c === QUOTE;
      if (quoted) {
        tokEnd = this.#q.scan(this.#pos, true);
        if (tokEnd < 0) this.#fail("expected label name", s.length + 1);
      } else if (isLabelNameStart(c)) {
        tokEnd = runEnd(s, this.#pos + 1, 1);
      } else {
        this.#fail("expected label name");
      }
      this.#pos = tokEnd;
      this.#skipWs();
      const t = this.#c(this.#pos);
      if (quoted && (t === COMMA || t === RBRACE)) {
        if (off[0] !== -1 || off[1] !== -1) {
          throw new Fail(this.#pos, `metric name already set while parsing: ${q(s.slice(this.#start, this.#pos))}`);
        }
        off[0] = this.#q.hadEscape ? -(tokStart + 1) - 1 : tokStart + 1;
        off[1] = tokEnd - 1;
        this.#pos++;
        if (t === RBRACE) return;
        continue;
      }
      if (quoted) {
        tokStart = this.#q.hadEscape ? -(tokStart + 1) - 1 : tokStart + 1;
        tokEnd--;
      }
      if (t !== EQUAL) this.#fail("expected equal");
      this.#pos++;
      this.#skipWs();
      if (this.#c(this.#pos) !== QUOTE) this.#fail("expected label value");
      const vEnd = this.#q.scan(this.#pos, true);
      if (vEnd < 0) this.#fail("expected label value", s.length + 1);
      const n = this.#nOffsets;
      off[n] = tokStart;
      off[n + 1] = tokEnd;
      off[n + 2] = this.#q.hadEscape ? -(this.#pos + 1) - 1 : this.#pos + 1;
      off[n + 3] = vEnd - 1;
      this.#nOffsets = n + 4;
      this.#pos = vEnd;
      this.#skipWs();
      if (this.#c(this.#pos) === COMMA) this.#pos++;
    }
  }

  #suffix(): Entry {
    const s = this.#s;
    if (this.#offsets[0] === -1) {
      throw new Fail(this.#start, `metric name not set while parsing: ${q(s.slice(this.#start, this.#pos))}`);
    }
    this.#skipWs();
    const vStart = this.#pos;
    // One pass finds the end of the value token and whether it is a plain decimal.
    let i = vStart;
    let plain = true;
    // Digits only (the common counter value): the number is accumulated on the way, no string is cut.
    let digits = true;
    let acc = 0;
    const n = s.length;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        const k = CLASS[c]!;
        if (k & 4) break;
        if ((k & 8) === 0) plain = false;
        if (c >= 48 && c <= 57) acc = acc * 10 + (c - 48);
        else digits = false;
      } else plain = digits = false;
      i++;
    }
    if (i === vStart) this.#fail("expected value after metric");
    if (digits && i - vStart <= 15) {
      this.#pos = i;
      this.value = acc;
    } else {
      const text = s.slice(vStart, i);
      let v: number | string = plain ? Number(text) : NaN;
      if (!plain || !Number.isFinite(v)) v = parseGoFloat(text);
      this.#pos = i;
      if (typeof v === "string") throw new Fail(vStart, `${v} while parsing: ${q(s.slice(this.#start, i))}`);
      this.value = v;
    }
    this.timestamp = undefined;
    this.#skipWs();
    let c = this.#c(this.#pos);
    if (c === NL) {
      this.#pos++;
      return "series";
    }
    const tStart = this.#pos;
    while (c >= 48 && c <= 57 && this.#pos < s.length) c = this.#c(++this.#pos);
    if (this.#pos === tStart) this.#fail("expected timestamp or new record");
    const ts = parseGoInt(s.slice(tStart, this.#pos));
    if (typeof ts === "string") throw new Fail(tStart, `${ts} while parsing: ${q(s.slice(this.#start, this.#pos))}`);
    this.timestamp = ts;
    this.#skipWs();
    if (this.#c(this.#pos) !== NL) this.#fail("expected next entry after timestamp");
    this.#pos++;
    return "series";
  }
}
