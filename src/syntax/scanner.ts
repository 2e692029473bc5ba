// The Alloy scanner: UTF-8 bytes → tokens, with Go-style automatic
// terminators. It mirrors Alloy's Go scanner so that token boundaries, error
// texts and error positions are the same.

import type { Pos } from "./ast.ts";
import { Token, decodeRune, formatRuneU, lookupKeyword } from "./token.ts";

export type ScanErrorHandler = (offset: number, message: string) => void;

export interface ScannerOptions {
  onError?: ScanErrorHandler;
  /** Return COMMENT tokens instead of skipping comments. */
  includeComments?: boolean;
}

const EOF = -1;
const BOM = 0xfeff;
const RUNE_ERROR = 0xfffd;

const letterRx = /^\p{L}$/u;
const digitRx = /^\p{Nd}$/u;

function isUnicodeLetter(ch: number): boolean {
  return letterRx.test(String.fromCodePoint(ch));
}

function isLetter(ch: number): boolean {
  const l = ch | 0x20;
  return (l >= 0x61 && l <= 0x7a) || ch === 0x5f || (ch >= 0x80 && isUnicodeLetter(ch));
}

function isDecimal(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}

function isDigit(ch: number): boolean {
  return isDecimal(ch) || (ch >= 0x80 && digitRx.test(String.fromCodePoint(ch)));
}

function digitVal(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  const l = ch | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return 16;
}

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** Source bytes plus line starts; converts byte offsets to positions. */
export class SourceText {
  readonly bytes: Uint8Array;
  /** The text as a JS string when every byte is ASCII (so offsets equal string indices). */
  private readonly ascii: string | undefined;
  /** Byte offset at which each line starts; lineStarts[0] = 0. */
  readonly lineStarts: number[];

  constructor(src: string | Uint8Array) {
    this.bytes = typeof src === "string" ? encoder.encode(src) : src;
    const b = this.bytes;
    const starts = [0];
    let ascii = true;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c === 10) starts.push(i + 1);
      else if (c >= 0x80) ascii = false;
    }
    this.lineStarts = starts;
    if (ascii) this.ascii = typeof src === "string" ? src : utf8.decode(b);
  }

  /** Source text of the byte range [start, end). */
  text(start: number, end: number): string {
    if (this.ascii !== undefined) return this.ascii.slice(start, end);
    return utf8.decode(this.bytes.subarray(start, end));
  }

  /** Position of a byte offset (binary search over line starts). */
  pos(offset: number): Pos {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - ls[lo]! + 1 };
  }
}

export class Scanner {
  readonly src: SourceText;
  private readonly input: Uint8Array;
  private readonly onError: ScanErrorHandler | undefined;
  private readonly includeComments: boolean;

  private ch: number = EOF;
  /** The current character, read through a call so that narrowing does not survive next(). */
  private cur(): number {
    return this.ch;
  }
  private offset = 0;
  private readOffset = 0;
  private insertTerm = false;
  /** Line (0-based index, start offset, next line's start) of the last token asked for; token starts only move forward. */
  private lineIdx = 0;
  private lineStart = 0;
  private nextLineStart = 0;

  /** Number of errors reported so far. */
  errorCount = 0;

  // Results of the last scan().
  /** Byte offset where the token starts. */
  tokOffset = 0;
  /** Byte offset just after the token. */
  tokEnd = 0;
  /** Literal text for IDENT, NUMBER, FLOAT, STRING, BOOL, NULL, COMMENT, ILLEGAL; "\n" for TERMINATOR. */
  lit = "";

  constructor(src: SourceText | string | Uint8Array, opts: ScannerOptions = {}) {
    this.src = src instanceof SourceText ? src : new SourceText(src);
    this.input = this.src.bytes;
    this.onError = opts.onError;
    this.includeComments = opts.includeComments ?? false;
    this.next();
    if (this.ch === BOM) this.next();
  }

  /** Position of the current token's start. */
  tokPos(): Pos {
    const off = this.tokOffset;
    if (off >= this.nextLineStart) {
      const ls = this.src.lineStarts;
      let i = this.lineIdx;
      while (i + 1 < ls.length && ls[i + 1]! <= off) i++;
      this.lineIdx = i;
      this.lineStart = ls[i]!;
      this.nextLineStart = i + 1 < ls.length ? ls[i + 1]! : Number.MAX_SAFE_INTEGER;
    } else if (off < this.lineStart) {
      return this.src.pos(off);
    }
    return { offset: off, line: this.lineIdx + 1, column: off - this.lineStart + 1 };
  }

  private error(offset: number, msg: string): void {
    this.errorCount++;
    this.onError?.(offset, msg);
  }

  private next(): void {
    const input = this.input;
    if (this.readOffset >= input.length) {
      this.offset = input.length;
      this.ch = EOF;
      return;
    }
    this.offset = this.readOffset;
    let r = input[this.readOffset]!;
    let width = 1;
    if (r === 0) {
      this.error(this.offset, "illegal character NUL");
    } else if (r >= 0x80) {
      [r, width] = decodeRune(input, this.readOffset);
      if (r === RUNE_ERROR && width === 1) this.error(this.offset, "illegal UTF-8 encoding");
      else if (r === BOM && this.offset > 0) this.error(this.offset, "illegal byte order mark");
    }
    this.readOffset += width;
    this.ch = r;
  }

  private peek(): number {
    return this.readOffset < this.input.length ? this.input[this.readOffset]! : 0;
  }

  /** Scans the next token; its details are in tokOffset, tokEnd and lit. */
  scan(): Token {
    for (;;) {
      // skip whitespace
      while (
        this.ch === 0x20 ||
        this.ch === 0x09 ||
        this.ch === 0x0d ||
        (this.ch === 0x0a && !this.insertTerm)
      ) {
        this.next();
      }

      const start = this.offset;
      this.tokOffset = start;
      this.lit = "";
      let insertTerm = false;
      let tok: Token;
      const ch = this.ch;

      if (isLetter(ch)) {
        this.scanIdentifier();
        this.lit = this.src.text(start, this.offset);
        tok = this.lit.length > 1 ? lookupKeyword(this.lit) : Token.IDENT;
        insertTerm = true;
      } else if (isDecimal(ch) || (ch === 0x2e && isDecimal(this.peek()))) {
        insertTerm = true;
        tok = this.scanNumber();
        this.lit = this.src.text(start, this.offset);
      } else {
        this.next(); // make progress; ch is the first char, this.ch the second
        switch (ch) {
          case EOF:
            if (this.insertTerm) {
              this.insertTerm = false;
              this.tokEnd = this.offset;
              this.lit = "\n";
              return Token.TERMINATOR;
            }
            tok = Token.EOF;
            break;
          case 0x0a:
            this.insertTerm = false;
            this.tokEnd = this.offset;
            this.lit = "\n";
            return Token.TERMINATOR;
          case 0x27: // '
            this.error(start, "illegal single-quoted string; use double quotes");
            insertTerm = true;
            tok = Token.ILLEGAL;
            this.scanString(0x27, true, false);
            this.lit = this.src.text(start, this.offset);
            break;
          case 0x22: // "
            insertTerm = true;
            tok = Token.STRING;
            this.scanString(0x22, true, false);
            this.lit = this.src.text(start, this.offset);
            break;
          case 0x60: // `
            insertTerm = true;
            tok = Token.STRING;
            this.scanString(0x60, false, true);
            this.lit = this.src.text(start, this.offset);
            break;
          case 0x7c: // |
            if (this.ch !== 0x7c) this.error(this.offset, "missing second | in ||");
            else this.next();
            tok = Token.OR;
            break;
          case 0x26: // &
            if (this.ch !== 0x26) this.error(this.offset, "missing second & in &&");
            else this.next();
            tok = Token.AND;
            break;
          case 0x21:
            tok = this.switch2(Token.NOT, Token.NEQ);
            break;
          case 0x3d:
            tok = this.switch2(Token.ASSIGN, Token.EQ);
            break;
          case 0x3c:
            tok = this.switch2(Token.LT, Token.LTE);
            break;
          case 0x3e:
            tok = this.switch2(Token.GT, Token.GTE);
            break;
          case 0x2b:
            tok = Token.ADD;
            break;
          case 0x2d:
            tok = Token.SUB;
            break;
          case 0x2a:
            tok = Token.MUL;
            break;
          case 0x2f: // /
            if (this.ch === 0x2f || this.ch === 0x2a) {
              // A comment running to the end of the line stands in for the
              // newline when a terminator is due; the comment itself follows.
              if (this.insertTerm && this.findLineEnd()) {
                this.ch = 0x2f;
                this.offset = start;
                this.readOffset = start + 1;
                this.insertTerm = false;
                this.tokEnd = start;
                this.lit = "\n";
                return Token.TERMINATOR;
              }
              const comment = this.scanComment();
              if (!this.includeComments) {
                this.insertTerm = false;
                continue;
              }
              tok = Token.COMMENT;
              this.lit = comment;
            } else {
              tok = Token.DIV;
            }
            break;
          case 0x25:
            tok = Token.MOD;
            break;
          case 0x5e:
            tok = Token.POW;
            break;
          case 0x7b:
            tok = Token.LCURLY;
            break;
          case 0x7d:
            insertTerm = true;
            tok = Token.RCURLY;
            break;
          case 0x28:
            tok = Token.LPAREN;
            break;
          case 0x29:
            insertTerm = true;
            tok = Token.RPAREN;
            break;
          case 0x5b:
            tok = Token.LBRACK;
            break;
          case 0x5d:
            insertTerm = true;
            tok = Token.RBRACK;
            break;
          case 0x2c:
            tok = Token.COMMA;
            break;
          case 0x2e:
            tok = Token.DOT;
            break;
          default:
            // next() already reported a misplaced BOM.
            if (ch !== BOM) this.error(start, `illegal character ${formatRuneU(ch)}`);
            insertTerm = this.insertTerm;
            tok = Token.ILLEGAL;
            this.lit = String.fromCodePoint(ch);
        }
      }
      this.insertTerm = insertTerm;
      this.tokEnd = this.offset;
      return tok;
    }
  }

  private switch2(a: Token, b: Token): Token {
    if (this.ch === 0x3d) {
      this.next();
      return b;
    }
    return a;
  }

  private scanIdentifier(): void {
    const input = this.input;
    let i = this.readOffset;
    // ASCII fast path.
    while (i < input.length) {
      const b = input[i]!;
      if ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x5f || (b >= 0x30 && b <= 0x39)) {
        i++;
        continue;
      }
      break;
    }
    if (i >= input.length) {
      this.offset = input.length;
      this.readOffset = input.length;
      this.ch = EOF;
      return;
    }
    const b = input[i]!;
    if (b > 0 && b < 0x80) {
      this.ch = b;
      this.offset = i;
      this.readOffset = i + 1;
      return;
    }
    this.readOffset = i;
    this.next();
    while (isLetter(this.ch) || isDigit(this.ch)) this.next();
  }

  private digits(): number {
    let n = 0;
    while (isDecimal(this.ch)) {
      this.next();
      n++;
    }
    return n;
  }

  private scanNumber(): Token {
    let tok = Token.NUMBER;
    const off = this.offset;
    if (this.ch !== 0x2e) this.digits();
    if (this.ch === 0x2e) {
      tok = Token.FLOAT;
      this.next();
      this.digits();
    }
    if ((this.ch | 0x20) === 0x65) {
      tok = Token.FLOAT;
      this.next();
      if (this.ch === 0x2b || this.ch === 0x2d) this.next();
      if (this.digits() === 0) this.error(off, "exponent has no digits");
    }
    return tok;
  }

  private scanString(until: number, escape: boolean, multiline: boolean): void {
    const off = this.offset - 1;
    for (;;) {
      const ch = this.ch;
      if ((!multiline && ch === 0x0a) || ch === EOF) {
        this.error(off, "string literal not terminated");
        break;
      }
      this.next();
      if (ch === until) break;
      if (escape && ch === 0x5c) this.scanEscape();
    }
  }

  private scanEscape(): void {
    const off = this.offset;
    let n: number;
    let base: number;
    let max: number;
    switch (this.ch) {
      case 0x61: // a
      case 0x62: // b
      case 0x66: // f
      case 0x6e: // n
      case 0x72: // r
      case 0x74: // t
      case 0x76: // v
      case 0x5c: // \
      case 0x22: // "
        this.next();
        return;
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37:
        n = 3;
        base = 8;
        max = 255;
        break;
      case 0x78: // x
        this.next();
        n = 2;
        base = 16;
        max = 255;
        break;
      case 0x75: // u
        this.next();
        n = 4;
        base = 16;
        max = 0x10ffff;
        break;
      case 0x55: // U
        this.next();
        n = 8;
        base = 16;
        max = 0x10ffff;
        break;
      default:
        this.error(off, this.ch === EOF ? "escape sequence not terminated" : "unknown escape sequence");
        return;
    }
    let x = 0;
    for (; n > 0; n--) {
      const d = digitVal(this.ch);
      if (d >= base) {
        const msg =
          this.cur() === EOF
            ? "escape sequence not terminated"
            : `illegal character ${formatRuneU(this.ch)} in escape sequence`;
        this.error(off, msg);
        return;
      }
      x = x * base + d;
      this.next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.error(off, "escape sequence is invalid Unicode code point");
    }
  }

  private scanComment(): string {
    const off = this.offset - 1;
    let numCR = 0;
    let block = false;
    if (this.ch === 0x2f) {
      this.next();
      while (this.cur() !== 0x0a && this.cur() !== EOF) {
        if (this.cur() === 0x0d) numCR++;
        this.next();
      }
    } else {
      block = true;
      this.next();
      let closed = false;
      while (this.ch !== EOF) {
        const ch = this.ch;
        if (ch === 0x0d) numCR++;
        this.next();
        if (ch === 0x2a && this.ch === 0x2f) {
          this.next();
          closed = true;
          break;
        }
      }
      if (!closed) this.error(off, "block comment not terminated");
    }
    let end = this.offset;
    // A Windows line ending's final CR is not part of the comment.
    if (numCR > 0 && end - off >= 1 && this.input[end - 1] === 0x0d) {
      end--;
      numCR--;
    }
    const text = this.src.text(off, end);
    return numCR > 0 ? stripCR(text, block) : text;
  }

  /** Reports whether the comment starting at the current `/` runs to the end of its line. */
  private findLineEnd(): boolean {
    const off = this.offset - 1;
    try {
      while (this.ch === 0x2f || this.ch === 0x2a) {
        if (this.ch === 0x2f) return true;
        this.next();
        while (this.cur() !== EOF) {
          const ch = this.cur();
          if (ch === 0x0a) return true;
          this.next();
          if (ch === 0x2a && this.cur() === 0x2f) {
            this.next();
            break;
          }
        }
        while (this.cur() === 0x20 || this.cur() === 0x09 || this.cur() === 0x0d) this.next();
        const after = this.cur();
        if (after === EOF || after === 0x0a) return true;
        if (after !== 0x2f) return false;
        this.next();
      }
      return false;
    } finally {
      this.ch = 0x2f;
      this.offset = off;
      this.readOffset = off + 1;
      this.next();
    }
  }
}

function stripCR(text: string, block: boolean): string {
  let out = "";
  for (let j = 0; j < text.length; j++) {
    const ch = text[j]!;
    // Keep a CR that sits between `*` and the closing `/` of a block comment.
    if (ch !== "\r" || (block && out.length > 2 && out[out.length - 1] === "*" && text[j + 1] === "/")) out += ch;
  }
  return out;
}

/** Whether `s` is exactly one Alloy identifier (keywords are not identifiers). */
export function isValidIdentifier(s: string): boolean {
  const sc = new Scanner(s);
  const tok = sc.scan();
  return tok === Token.IDENT && sc.lit === s;
}

/**
 * Turns any non-empty string into a valid identifier, as Alloy's converters
 * do for labels: a leading digit gets a `_` prefix and every character that
 * is neither a letter nor a digit becomes `_`. Valid identifiers are returned
 * unchanged. Throws for "" and for results that are keywords (`true`, ...).
 */
export function sanitizeIdentifier(s: string): string {
  if (s === "") throw new Error("cannot generate a new identifier for an empty string");
  if (isValidIdentifier(s)) return s;
  let out = "";
  let first = true;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (first && isDigit(cp)) out = "_";
    first = false;
    out += isLetter(cp) || isDigit(cp) ? ch : "_";
  }
  if (!isValidIdentifier(out)) throw new Error(`invalid identifier ${JSON.stringify(out)} generated for ${JSON.stringify(s)}`);
  return out;
}
