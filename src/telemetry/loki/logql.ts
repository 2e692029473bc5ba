// The LogQL subset loki.process `stage.match` accepts (Alloy's
// internal/loki/logql): a stream selector `{a="b", c!="d", e=~"re", f!~"re"}`
// followed by any number of line filters `|= "x"`, `!= "x"`, `|~ "re"`,
// `!~ "re"`. Label regexes are fully anchored and `.` matches newlines
// (Prometheus matchers); line-filter regexes are unanchored. Regexes have
// RE2 syntax and semantics (see gocompat/regexp.ts).

import { GoRegexp } from "../../gocompat/regexp.ts";
import { unquote } from "../../gocompat/strconv.ts";
import type { LabelSet } from "./entry.ts";

export type MatchType = "=" | "!=" | "=~" | "!~";
export type LineFilterType = "|=" | "!=" | "|~" | "!~";

export interface LabelMatcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  matches(value: string): boolean;
}

export interface LineFilter {
  readonly type: LineFilterType;
  readonly match: string;
  test(line: string): boolean;
}

export interface LogSelector {
  readonly matchers: readonly LabelMatcher[];
  readonly filters: readonly LineFilter[];
  /** True when every matcher accepts the labels (absent labels read as "") and every filter the line. */
  matches(labels: Readonly<LabelSet>, line: string): boolean;
}

export class LogQLParseError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    detail: string,
  ) {
    super(`parse error at line ${line}, col ${col}: ${detail}`);
    this.name = "LogQLParseError";
  }
}

/** A Prometheus label matcher; a bad regex throws Go's regexp error. */
export function newLabelMatcher(type: MatchType, name: string, value: string): LabelMatcher {
  let matches: (v: string) => boolean;
  switch (type) {
    case "=":
      matches = (v) => v === value;
      break;
    case "!=":
      matches = (v) => v !== value;
      break;
    case "=~":
    case "!~": {
      GoRegexp.compile(value); // errors name the pattern as written
      const re = GoRegexp.compile(`^(?s:${value})$`);
      matches = type === "=~" ? (v) => re.matchString(v) : (v) => !re.matchString(v);
      break;
    }
  }
  return { name, type, value, matches };
}

export function newLineFilter(type: LineFilterType, match: string): LineFilter {
  switch (type) {
    case "|=":
      return { type, match, test: (l) => l.includes(match) };
    case "!=":
      return { type, match, test: (l) => !l.includes(match) };
    case "|~":
    case "!~": {
      const re = GoRegexp.compile(match);
      return { type, match, test: type === "|~" ? (l) => re.matchString(l) : (l) => !re.matchString(l) };
    }
  }
}

interface Token {
  kind: "ident" | "string" | "op" | "eof";
  text: string;
  value: string;
  line: number;
  col: number;
}

const OPS = ["|=", "|~", "!=", "!~", "=~", "=", "{", "}", ","];

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = () => ({ line, col: i - lineStart + 1 });
  while (i < input.length) {
    const c = input[i]!;
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    const pos = here();
    if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"' && input[j] !== "\n") j += input[j] === "\\" ? 2 : 1;
      if (input[j] !== '"') throw new LogQLParseError(pos.line, pos.col, "literal not terminated");
      const text = input.slice(i, j + 1);
      let value: string;
      try {
        value = unquote(text);
      } catch {
        throw new LogQLParseError(pos.line, pos.col, "invalid syntax");
      }
      out.push({ kind: "string", text, value, ...pos });
      i = j + 1;
      continue;
    }
    const ident = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(input.slice(i));
    if (ident) {
      out.push({ kind: "ident", text: ident[0], value: ident[0], ...pos });
      i += ident[0].length;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (!op) throw new LogQLParseError(pos.line, pos.col, `syntax error: unexpected ${JSON.stringify(String.fromCodePoint(input.codePointAt(i)!))}`);
    out.push({ kind: "op", text: op, value: op, ...pos });
    i += op.length;
  }
  out.push({ kind: "eof", text: "", value: "", ...here() });
  return out;
}

/** Parses a `stage.match` selector; errors say where (`parse error at line 1, col 5: ...`). */
export function parseLogSelector(input: string): LogSelector {
  const toks = tokenize(input);
  let k = 0;
  const describe = (t: Token) => (t.kind === "eof" ? "end of input" : t.kind === "string" ? `string ${t.text}` : t.kind === "ident" ? `identifier ${t.text}` : JSON.stringify(t.text));
  const fail = (t: Token, expecting: string): never => {
    throw new LogQLParseError(t.line, t.col, `syntax error: unexpected ${describe(t)}, expecting ${expecting}`);
  };
  const next = () => toks[k++]!;
  const build = <T>(t: Token, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw new LogQLParseError(t.line, t.col, (err as Error).message);
    }
  };

  const open = next();
  if (open.text !== "{" || open.kind !== "op") fail(open, "{");
  const matchers: LabelMatcher[] = [];
  for (;;) {
    const name = next();
    if (name.kind !== "ident") fail(name, "label name");
    const op = next();
    if (op.kind !== "op" || !["=", "!=", "=~", "!~"].includes(op.text)) fail(op, "=, !=, =~ or !~");
    const val = next();
    if (val.kind !== "string") fail(val, "quoted string");
    matchers.push(build(val, () => newLabelMatcher(op.text as MatchType, name.value, val.value)));
    const sep = next();
    if (sep.kind === "op" && sep.text === ",") continue;
    if (sep.kind === "op" && sep.text === "}") break;
    fail(sep, ", or }");
  }
  const filters: LineFilter[] = [];
  for (;;) {
    const t = next();
    if (t.kind === "eof") break;
    if (t.kind !== "op" || !["|=", "!=", "|~", "!~"].includes(t.text)) fail(t, "|=, !=, |~ or !~");
    const val = next();
    if (val.kind !== "string") fail(val, "quoted string");
    filters.push(build(val, () => newLineFilter(t.text as LineFilterType, val.value)));
  }
  return {
    matchers,
    filters,
    matches(labels, line) {
      for (const m of matchers) if (!m.matches(labels[m.name] ?? "")) return false;
      for (const f of filters) if (!f.test(line)) return false;
      return true;
    },
  };
}
