// Renders diagnostics the way `alloy run` and `alloy validate` print them:
// a header line, then the offending source lines with a line-number gutter and
// `^` marks under the range (rails for ranges spanning several lines).

import type { Pos } from "./ast.ts";
import type { Diagnostic } from "./diag.ts";
import { decodeRune } from "./token.ts";

const TAB_WIDTH = 4;
const CONTEXT_BEFORE = 1;
const CONTEXT_AFTER = 1;

const encoder = new TextEncoder();

interface LinePos {
  line: number;
  column: number;
}

/**
 * Pretty-prints diagnostics. `sources` maps file names (as used in the
 * diagnostics) to their contents; files not found there get no context.
 * A diagnostic's `end` is exclusive, like every range in the syntax tree; a
 * diagnostic without `end` marks the single character at `start`.
 */
export function renderDiagnostics(diags: Diagnostic[], sources: Map<string, string | Uint8Array>): string {
  let out = "";
  const split = new Map<string, Uint8Array[]>();
  diags.forEach((d, i) => {
    out += d.severity === "warning" ? "Warning: " : "Error: ";
    out += `${positionString(d.file, d.start)}: ${d.message}\n`;

    const src = sources.get(d.file);
    if (src !== undefined && d.start && d.start.line > 0) {
      let lines = split.get(d.file);
      if (!lines) {
        lines = splitLines(typeof src === "string" ? encoder.encode(src) : src);
        split.set(d.file, lines);
      }
      out += renderRange(lines, d.start, inclusiveEnd(lines, d.start, d.end));
    }
    if (i + 1 < diags.length) out += "\n";
  });
  return out;
}

/** Go's token.Position.String(): `file:line:col`, `line:col`, `file`, or `-`. */
function positionString(file: string, pos: Pos | undefined): string {
  let s = file;
  if (pos && pos.line > 0) {
    if (s !== "") s += ":";
    s += String(pos.line);
    if (pos.column !== 0) s += `:${pos.column}`;
  }
  return s === "" ? "-" : s;
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    if (nl < 0) {
      lines.push(bytes.subarray(start));
      return lines;
    }
    lines.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
}

/** The position of the last character covered by [start, end). */
function inclusiveEnd(lines: Uint8Array[], start: Pos, end: Pos | undefined): LinePos {
  if (!end || end.line < start.line || (end.line === start.line && end.column <= start.column)) {
    return { line: start.line, column: start.column };
  }
  if (end.column > 1) return { line: end.line, column: end.column - 1 };
  // The range ends right after a newline: its last character is that newline.
  const prev = lines[end.line - 2];
  return { line: end.line - 1, column: (prev?.length ?? 0) + 1 };
}

function inRange(line: number, col: number, start: LinePos, end: LinePos): boolean {
  if (line < start.line || line > end.line) return false;
  if (line === start.line) return col >= start.column;
  if (line === end.line) return col <= end.column;
  return true;
}

/** A source line decoded once: its display text and, per rune, its byte column and whether it is a tab. */
interface LineInfo {
  display: string;
  ascii: boolean;
  length: number;
  columns: number[];
  tabs: boolean[];
}

const lineInfoCache = new WeakMap<Uint8Array, LineInfo>();
const decoder = new TextDecoder();

function lineInfo(line: Uint8Array): LineInfo {
  let info = lineInfoCache.get(line);
  if (info) return info;
  let ascii = true;
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b < 0x20 || b >= 0x7f) {
      ascii = false;
      break;
    }
  }
  const columns: number[] = [];
  const tabs: boolean[] = [];
  let display: string;
  if (ascii) {
    display = decoder.decode(line);
  } else {
    const parts: string[] = [];
    for (let i = 0; i < line.length; ) {
      const [ch, width] = decodeRune(line, i);
      const tab = ch === 0x09 || ch === 0x0b;
      columns.push(i + 1);
      tabs.push(tab);
      // CRs are hidden in the context line but still take a mark below it.
      if (ch !== 0x0d) parts.push(tab ? " ".repeat(TAB_WIDTH) : String.fromCodePoint(ch));
      i += width;
    }
    display = parts.join("");
  }
  info = { display, ascii, length: line.length, columns, tabs };
  lineInfoCache.set(line, info);
  return info;
}

function renderRange(lines: Uint8Array[], start: LinePos, end: LinePos): string {
  let out = "\n";
  const startLine = Math.max(start.line - CONTEXT_BEFORE, 1);
  const endLine = Math.min(end.line + CONTEXT_AFTER, lines.length);
  const multiline = end.line - start.line > 0;
  const prefixWidth = String(endLine).length;

  for (let lineNum = startLine; lineNum <= endLine; lineNum++) {
    const info = lineInfo(lines[lineNum - 1] ?? new Uint8Array());
    out += String(lineNum).padStart(prefixWidth, " ") + " | ";
    if (multiline) out += inRange(lineNum, 0, start, end) ? "| " : "  ";
    out += info.display + "\n";

    if (lineNum === start.line || (multiline && lineNum === end.line)) {
      out += " ".repeat(prefixWidth);
      if (multiline && lineNum === start.line) out += " |  _";
      else if (multiline && lineNum === end.line) out += " | |_";
      else out += " | ";
      out += focusLine(info, lineNum, start, end, multiline);
      out += "\n";
    }
  }
  return out;
}

function focusLine(info: LineInfo, lineNum: number, start: LinePos, end: LinePos, multiline: boolean): string {
  const blank = multiline ? "_" : " ";
  if (info.ascii) {
    // The marked columns form one run [from, to] on any line.
    const limit = lineNum === end.line ? Math.min(info.length, end.column) : info.length;
    const from = lineNum === start.line ? start.column : 1;
    const to = lineNum === end.line && lineNum !== start.line ? Math.min(end.column, limit) : limit;
    if (lineNum < start.line || lineNum > end.line || from > to) return blank.repeat(Math.max(0, limit));
    return blank.repeat(from - 1) + "^".repeat(to - from + 1) + blank.repeat(limit - to);
  }
  const parts: string[] = [];
  for (let k = 0; k < info.columns.length; k++) {
    const column = info.columns[k]!;
    if (lineNum === end.line && column > end.column) break;
    if (info.tabs[k]) parts.push(blank.repeat(TAB_WIDTH));
    else parts.push(inRange(lineNum, column, start, end) ? "^" : blank);
  }
  return parts.join("");
}
