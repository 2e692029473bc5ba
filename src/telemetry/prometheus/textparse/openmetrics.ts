// Parser for OpenMetrics 1.0 text (Content-Type application/openmetrics-text),
// following Prometheus's model/textparse/openmetricsparse.go: single spaces only,
// no blank lines or free comments, mandatory `# EOF`, timestamps in float seconds,
// one exemplar per sample (`value ts # {labels} value ts`), UNIT lines that must be a
// suffix of the family name, and `_created` series as created (start) timestamps.

import type { Exemplar } from "../exemplar.ts";
import type { NativeHistogram } from "../histogram.ts";
import { Labels, LabelsBuilder, type StringInterner } from "../labels.ts";
import type { MetricType } from "../metadata.ts";
import { parseGoFloat } from "./float.ts";
import {
  buildLabels,
  cut,
  QuoteScanner,
  COMMA,
  EQUAL,
  HASH,
  isLabelNameChar,
  isLabelNameStart,
  isMetricNameChar,
  isMetricNameStart,
  LBRACE,
  lineOf,
  NL,
  q,
  QUOTE,
  RBRACE,
  SPACE,
  unescapeLabelValue,
} from "./lex.ts";
import { ParseError, type Entry, type ExpositionParser } from "./parser.ts";

const TYPES: Readonly<Record<string, MetricType>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  gaugehistogram: "gaugehistogram",
  summary: "summary",
  info: "info",
  stateset: "stateset",
  unknown: "unknown",
};

class Fail {
  constructor(
    readonly pos: number,
    readonly message: string,
  ) {}
}

export interface OpenMetricsParserOptions {
  interner?: StringInterner;
  /** Do not return `_created` series of counters, summaries and histograms (they feed createdTimestamp()). */
  skipCreatedSeries?: boolean;
  /** enable_type_and_unit_labels: add `__type__` and `__unit__` from TYPE and UNIT lines to every series. */
  typeAndUnitLabels?: boolean;
}

function requiresCreated(t: MetricType): boolean {
  return t === "counter" || t === "summary" || t === "histogram";
}

export class OpenMetricsParser implements ExpositionParser {
  readonly #s: string;
  readonly #q: QuoteScanner;
  #pos = 0;
  #start = 0;
  #final: Entry | undefined;
  #offsets: number[] = [];
  #nOffsets = 0;
  #exOffsets: number[] = [];
  #nExOffsets = 0;
  #exemplar: Exemplar | undefined;
  #hasExemplar = false;
  #exValue = 0;
  #exTs: number | undefined;
  #skipCreated: boolean;
  #peeking = false;
  #ctIdentity: string | undefined;
  #ctValue: number | undefined;
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

  constructor(text: string, opts: OpenMetricsParserOptions = {}) {
    this.#s = text;
    this.#q = new QuoteScanner(text);
    this.#interner = opts.interner;
    this.#typeAndUnit = opts.typeAndUnitLabels ?? false;
    this.#skipCreated = opts.skipCreatedSeries ?? false;
  }

  labels(): Labels {
    return buildLabels(this.#s, this.#offsets, this.#nOffsets, this.type, this.#interner, this.#typeAndUnit ? { unit: this.unit } : undefined);
  }

  /** The line's exemplar. Its label values are unescaped (Prometheus keeps them as written). */
  exemplars(): Exemplar[] {
    if (!this.#hasExemplar) return [];
    if (this.#exemplar === undefined) {
      const b = new LabelsBuilder();
      const s = this.#s;
      const o = this.#exOffsets;
      for (let i = 0; i < this.#nExOffsets; i += 4) {
        b.set(cut(s, o[i]!, o[i + 1]!), cut(s, o[i + 2]!, o[i + 3]!));
      }
      this.#exemplar = {
        labels: b.labels(),
        value: this.#exValue,
        timestamp: this.#exTs ?? 0,
        hasTimestamp: this.#exTs !== undefined,
      };
    }
    return [this.#exemplar];
  }

  histogram(): NativeHistogram | undefined {
    return undefined;
  }

  /**
   * The `_created` value (seconds → ms) of the current counter/summary/histogram
   * series: found by reading ahead within the family for a `<family>_created` series
   * with the same labels (ignoring `le`/`quantile`), as Prometheus does.
   */
  createdTimestamp(): number | undefined {
    if (!requiresCreated(this.type) || this.#final !== undefined) return undefined;
    const s = this.#s;
    const family = this.metricFamily;
    const name = cut(s, this.#offsets[0]!, this.#offsets[1]!);
    if (!name.startsWith(family)) return undefined;
    const want = this.#identity(family);
    // Prometheus caches the last found value per series identity (so buckets after
    // their `_created` line still get it) and, once asked, skips `_created` series.
    if (want === this.#ctIdentity && this.#ctValue !== undefined) return this.#ctValue;
    const saved = {
      pos: this.#pos,
      start: this.#start,
      offsets: this.#offsets.slice(0, this.#nOffsets),
      n: this.#nOffsets,
      seriesText: this.seriesText,
      value: this.value,
      timestamp: this.timestamp,
      type: this.type,
      family: this.metricFamily,
      help: this.help,
      unit: this.unit,
    };
    this.#peeking = true;
    this.#skipCreated = false;
    let found: number | undefined;
    try {
      for (;;) {
        let e: Entry;
        try {
          e = this.#next();
        } catch {
          break;
        }
        if (e !== "series") break;
        const peeked = cut(s, this.#offsets[0]!, this.#offsets[1]!);
        if (!peeked.endsWith("_created")) continue;
        if (this.#identity(peeked.slice(0, -8)) !== want) break;
        found = Math.trunc(this.value * 1000);
        break;
      }
    } finally {
      this.#peeking = false;
      this.#pos = saved.pos;
      this.#start = saved.start;
      this.#offsets = saved.offsets;
      this.#nOffsets = saved.n;
      this.seriesText = saved.seriesText;
      this.value = saved.value;
      this.timestamp = saved.timestamp;
      this.type = saved.type;
      this.metricFamily = saved.family;
      this.help = saved.help;
      this.unit = saved.unit;
      this.#skipCreated = true;
      this.#final = undefined;
    }
    this.#ctIdentity = found === undefined ? undefined : want;
    this.#ctValue = found;
    return found;
  }

  #identity(family: string): string {
    const s = this.#s;
    const o = this.#offsets;
    let id = family;
    for (let i = 2; i < this.#nOffsets; i += 4) {
      const ln = cut(s, o[i]!, o[i + 1]!);
      if ((this.type === "summary" && ln === "quantile") || (this.type === "histogram" && ln === "le")) continue;
      id += `\u0000${ln}\u0000${cut(s, o[i + 2]!, o[i + 3]!)}`;
    }
    return id;
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
    return i < this.#s.length ? this.#s.charCodeAt(i) : -1;
  }

  #fail(expected: string, end = this.#pos + 1): never {
    const s = this.#s;
    const e = Math.min(s.length, end);
    throw new Fail(this.#pos, `${expected}, got ${q(s.slice(this.#pos, Math.max(e, this.#pos)))} while parsing: ${q(s.slice(this.#start, e))}`);
  }

  #next(): Entry {
    const s = this.#s;
    for (;;) {
      this.#start = this.#pos;
      this.#nOffsets = 0;
      if (!this.#peeking) {
        this.#hasExemplar = false;
        this.#exemplar = undefined;
        this.#nExOffsets = 0;
      }
      if (this.#pos >= s.length) throw new Fail(this.#pos, "data does not end with # EOF");
      const c = s.charCodeAt(this.#pos);
      if (c === HASH) {
        if (this.#c(this.#pos + 1) !== SPACE) this.#fail("expected a valid start token", this.#pos + 2);
        const w = this.#pos + 2;
        const word = s.slice(w, w + 4);
        if ((word === "HELP" || word === "TYPE" || word === "UNIT") && this.#c(w + 4) === SPACE) {
          this.#pos = w + 5;
          return this.#meta(word);
        }
        if (s.startsWith("EOF", w)) {
          let end = w + 3;
          if (this.#c(end) === NL) end++;
          if (end !== s.length) throw new Fail(end, "unexpected data after # EOF");
          this.#pos = end;
          this.#final = "eof";
          return "eof";
        }
        this.#fail("expected a valid start token", this.#pos + 2);
      }
      if (c === LBRACE) {
        this.#offsets[0] = -1;
        this.#offsets[1] = -1;
        this.#nOffsets = 2;
        this.#pos++;
        this.#labelBlock(false);
      } else if (isMetricNameStart(c)) {
        let i = this.#pos + 1;
        while (i < s.length && isMetricNameChar(s.charCodeAt(i))) i++;
        this.#offsets[0] = this.#pos;
        this.#offsets[1] = i;
        this.#nOffsets = 2;
        this.#pos = i;
        if (this.#c(i) === LBRACE) {
          this.#pos++;
          this.#labelBlock(false);
        }
      } else {
        this.#fail("expected a valid start token");
      }
      this.seriesText = s.slice(this.#start, this.#pos);
      this.#seriesEnd();
      if (this.#skipCreated && requiresCreated(this.type) && cut(s, this.#offsets[0]!, this.#offsets[1]!).endsWith("_created")) continue;
      return "series";
    }
  }

  #meta(kind: "HELP" | "TYPE" | "UNIT"): Entry {
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
    const eol = s.indexOf("\n", this.#pos);
    if (this.#c(this.#pos) !== SPACE || eol < 0) throw new Fail(this.#pos, `expected text in ${kind}`);
    const text = s.slice(this.#pos + 1, eol);
    this.#pos = eol + 1;
    const name = s.slice(nameStart, nameEnd);
    this.metricFamily = name;
    switch (kind) {
      case "TYPE": {
        const t = TYPES[text];
        if (t === undefined) throw new Fail(this.#start, `invalid metric type ${q(text)}`);
        this.type = t;
        return "type";
      }
      case "HELP":
        this.help = unescapeLabelValue(text);
        return "help";
      case "UNIT":
        if (text !== "" && !(name.endsWith(text) && name.length >= text.length + 1 && name[name.length - text.length - 1] === "_")) {
          throw new Fail(this.#start, `unit ${q(text)} not a suffix of metric ${q(name)}`);
        }
        this.unit = text;
        return "unit";
    }
  }

  /** Label block after `{`, no whitespace allowed; fills series or exemplar offsets. */
  #labelBlock(exemplar: boolean): void {
    const s = this.#s;
    const off = exemplar ? this.#exOffsets : this.#offsets;
    let c = this.#c(this.#pos);
    for (;;) {
      if (c === RBRACE) {
        this.#pos++;
        return;
      }
      let tokStart = this.#pos;
      let tokEnd: number;
      const quoted = c === QUOTE;
      if (quoted) {
        tokEnd = this.#q.scan(this.#pos, false);
        if (tokEnd < 0) this.#fail("expected label name");
      } else if (isLabelNameStart(c)) {
        tokEnd = this.#pos + 1;
        while (tokEnd < s.length && isLabelNameChar(s.charCodeAt(tokEnd))) tokEnd++;
      } else {
        this.#fail("expected label name", this.#pos + 2);
      }
      this.#pos = tokEnd;
      const t = this.#c(this.#pos);
      if (quoted && (t === COMMA || t === RBRACE)) {
        if (exemplar) this.#fail("expected label name");
        if (off[0] !== -1 || off[1] !== -1) {
          throw new Fail(this.#pos, `metric name already set while parsing: ${q(s.slice(this.#start, this.#pos))}`);
        }
        off[0] = this.#q.hadEscape ? -(tokStart + 1) - 1 : tokStart + 1;
        off[1] = tokEnd - 1;
        this.#pos++;
        if (t === RBRACE) return;
        c = this.#c(this.#pos);
        continue;
      }
      if (quoted) {
        tokStart = this.#q.hadEscape ? -(tokStart + 1) - 1 : tokStart + 1;
        tokEnd--;
      }
      if (t !== EQUAL) this.#fail("expected equal", this.#pos + 2);
      this.#pos++;
      if (this.#c(this.#pos) !== QUOTE) this.#fail("expected label value");
      const vEnd = this.#q.scan(this.#pos, false);
      if (vEnd < 0) this.#fail("expected label value", s.indexOf("\n", this.#pos) + 1 || s.length);
      const n = exemplar ? this.#nExOffsets : this.#nOffsets;
      off[n] = tokStart;
      off[n + 1] = tokEnd;
      off[n + 2] = this.#q.hadEscape ? -(this.#pos + 1) - 1 : this.#pos + 1;
      off[n + 3] = vEnd - 1;
      if (exemplar) this.#nExOffsets = n + 4;
      else this.#nOffsets = n + 4;
      this.#pos = vEnd;
      c = this.#c(this.#pos);
      if (c === COMMA) {
        c = this.#c(++this.#pos);
      } else if (c !== RBRACE) {
        this.#fail("expected comma or brace close", this.#pos + 2);
      }
    }
  }

  /** A `{S}[^ \n]+` token starting at pos, or undefined. */
  #spaceToken(): [number, number] | undefined {
    if (this.#c(this.#pos) !== SPACE) return undefined;
    const s = this.#s;
    let i = this.#pos + 1;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === NL) break;
      i++;
    }
    return i > this.#pos + 1 ? [this.#pos + 1, i] : undefined;
  }

  #float(tok: [number, number]): number {
    const v = parseGoFloat(this.#s.slice(tok[0], tok[1]));
    if (typeof v === "string") throw new Fail(tok[0], `${v} while parsing: ${q(this.#s.slice(this.#start, tok[1]))}`);
    return v;
  }

  /** ` # {` at pos starts an exemplar. */
  #atExemplar(): boolean {
    const s = this.#s;
    return s.charCodeAt(this.#pos) === SPACE && s.charCodeAt(this.#pos + 1) === HASH && s.charCodeAt(this.#pos + 2) === SPACE && s.charCodeAt(this.#pos + 3) === LBRACE;
  }

  #seriesEnd(): void {
    const s = this.#s;
    if (this.#offsets[0] === -1) throw new Fail(this.#start, `metric name not set while parsing: ${q(s.slice(this.#start, this.#pos))}`);
    const vt = this.#spaceToken();
    if (vt === undefined) this.#fail("expected value after metric");
    this.value = this.#float(vt);
    this.#pos = vt[1];
    this.timestamp = undefined;
    if (this.#pos >= s.length) throw new Fail(this.#pos, "data does not end with # EOF");
    if (this.#c(this.#pos) === NL) {
      this.#pos++;
      return;
    }
    if (this.#atExemplar()) return this.#exemplarPart();
    const tt = this.#spaceToken();
    if (tt === undefined) this.#fail("expected timestamp or new record", this.#pos + 2);
    const ts = this.#float(tt);
    if (!Number.isFinite(ts)) throw new Fail(tt[0], `invalid timestamp ${ts}`);
    this.timestamp = Math.trunc(ts * 1000);
    this.#pos = tt[1];
    if (this.#c(this.#pos) === NL) {
      this.#pos++;
      return;
    }
    if (this.#atExemplar()) return this.#exemplarPart();
    if (this.#pos >= s.length) throw new Fail(this.#pos, "data does not end with # EOF");
    this.#fail("expected next entry after timestamp", (s.indexOf("\n", this.#pos) + 1 || s.length));
  }

  #exemplarPart(): void {
    const s = this.#s;
    this.#pos += 4;
    if (this.#peeking) {
      const eol = s.indexOf("\n", this.#pos);
      if (eol < 0) throw new Fail(this.#pos, "data does not end with # EOF");
      this.#pos = eol + 1;
      return;
    }
    this.#nExOffsets = 0;
    this.#labelBlock(true);
    const vt = this.#spaceToken();
    if (vt === undefined) this.#fail("expected value after exemplar labels");
    this.#exValue = this.#float(vt);
    this.#pos = vt[1];
    this.#exTs = undefined;
    this.#hasExemplar = true;
    if (this.#pos >= s.length) throw new Fail(this.#pos, "data does not end with # EOF");
    if (this.#c(this.#pos) === NL) {
      this.#pos++;
      return;
    }
    const tt = this.#spaceToken();
    if (tt === undefined) this.#fail("expected timestamp or comment");
    const ts = this.#float(tt);
    if (!Number.isFinite(ts)) throw new Fail(tt[0], `invalid exemplar timestamp ${ts}`);
    this.#exTs = Math.trunc(ts * 1000);
    this.#pos = tt[1];
    if (this.#c(this.#pos) !== NL) {
      if (this.#pos >= s.length) throw new Fail(this.#pos, "data does not end with # EOF");
      this.#fail("expected next entry after exemplar timestamp");
    }
    this.#pos++;
  }
}
