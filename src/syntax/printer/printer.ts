// The low-level printer: receives tokens, abstract whitespace and positions
// from the walker, re-attaches comments by source position, and produces text
// for the tabwriter (tabs and vertical tabs separate alignment cells, formfeeds
// end alignment runs). Mirrors Alloy's syntax/printer/printer.go.

import type { Comment, CommentGroup, Pos } from "../ast.ts";
import { Token, tokenString } from "../token.ts";
import { ESCAPE } from "./tabwriter.ts";

/** Abstract whitespace, buffered until the next token so none is left dangling at the end. */
export enum WS {
  Ignore = 0,
  Blank = 0x20,
  VTab = 0x0b,
  Newline = 0x0a,
  Formfeed = 0x0c,
  Indent = 0x3e,
  Unindent = 0x3c,
}

/** Whitespace entries the buffer holds before it is force-flushed (Alloy's fixed capacity). */
const WS_CAPACITY = 16;
const MAX_NEWLINES = 2;
/** Marks whitespace-only output so that the token-gluing guard knows nothing was printed since. */
const LITERAL = -1;

const encoder = new TextEncoder();

function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return encoder.encode(s).length;
  }
  return s.length;
}

const END = Number.MAX_SAFE_INTEGER;

export class Printer {
  private output = "";
  private indent = 0;
  private lastTok: Token | typeof LITERAL = Token.EOF;
  private whitespace: WS[] = [];

  private comments: CommentGroup[] = [];
  private commentIdx = 0;
  private curComments: CommentGroup = [];
  private commentPos: Pos | undefined;

  /** Approximate position in source space, used to place comments. */
  private posOffset = 0;
  private posLine = 1;
  /** Source-space line after the last text written (0 before any). */
  private lastLine = 0;
  /** Column in output space; text at column 1 gets indented first. */
  private outColumn = 1;

  setComments(comments: CommentGroup[]): void {
    this.comments = comments;
    this.commentIdx = 0;
    this.commentPos = undefined;
    this.nextComment();
  }

  private nextComment(): void {
    while (this.commentIdx < this.comments.length) {
      const c = this.comments[this.commentIdx++]!;
      if (c.length > 0) {
        this.curComments = c;
        this.commentPos = c[0]!.start;
        return;
      }
    }
    this.commentPos = undefined;
  }

  private commentBefore(nextOffset: number): boolean {
    return this.commentPos !== undefined && this.commentPos.offset <= nextOffset;
  }

  ws(w: WS): void {
    if (w === WS.Ignore) return;
    if (this.whitespace.length === WS_CAPACITY) this.writeWhitespace(WS_CAPACITY);
    this.whitespace.push(w);
    this.lastTok = LITERAL;
  }

  /** Moves the source-space position to a node's known position. */
  at(p: Pos | undefined): void {
    if (p && p.line > 0) {
      this.posOffset = p.offset;
      this.posLine = p.line;
    }
  }

  ident(name: string): void {
    this.lastTok = Token.IDENT;
    this.emit(name);
  }

  literal(raw: string, kind: Token): void {
    this.lastTok = kind;
    this.emit(raw);
  }

  token(t: Token): void {
    const s = tokenString(t);
    // Keep tokens apart that would scan as one: `1` `.` or `/` `*`.
    if ((this.lastTok === Token.NUMBER && s === ".") || (this.lastTok === Token.DIV && s === "*")) {
      this.whitespace = [WS.Blank];
    }
    this.lastTok = t;
    this.emit(s);
  }

  private emit(data: string): void {
    const nextOffset = this.posOffset;
    const nextLine = this.posLine;
    this.flush(nextOffset, nextLine, this.lastTok);
    this.writeString(nextOffset, nextLine, data, false);
  }

  /** Writes trailing comments; returns the text for the tabwriter. */
  finish(): string {
    this.flush(END, END, Token.EOF);
    return this.output;
  }

  private flush(nextOffset: number, nextLine: number, tok: Token | typeof LITERAL): void {
    if (this.commentBefore(nextOffset)) this.injectComments(nextOffset, nextLine, tok);
    else if (tok !== Token.EOF && this.whitespace.length > 0) this.writeWhitespace(this.whitespace.length);
  }

  private injectComments(nextOffset: number, nextLine: number, tok: Token | typeof LITERAL): void {
    let lastComment: Comment | undefined;
    while (this.commentBefore(nextOffset)) {
      for (const c of this.curComments) {
        this.writeCommentPrefix(nextLine, c);
        this.writeString(c.start.offset, c.start.line, c.text, true);
        lastComment = c;
      }
      this.nextComment();
    }
    if (lastComment) this.writeCommentSuffix(nextLine, tok, lastComment);
  }

  private writeCommentPrefix(nextLine: number, c: Comment): void {
    if (this.output.length === 0) return;
    const cPos = c.start;
    if (cPos.line === this.lastLine) {
      // Same line as the previous token: a tab cell aligns trailing comments,
      // but a block comment followed by more code on its line gets a space.
      this.writeByte(cPos.line === nextLine ? " " : "\t", 1);
      return;
    }
    // Keep pending indentation, drop the rest up to the first other entry.
    let wsCount = 0;
    for (let i = 0; i < this.whitespace.length; i++) {
      const w = this.whitespace[i]!;
      if (w === WS.Indent || w === WS.Unindent) continue;
      if (w === WS.Blank || w === WS.VTab || w === WS.Newline || w === WS.Formfeed) this.whitespace[i] = WS.Ignore;
      wsCount = i;
      break;
    }
    this.writeWhitespace(wsCount);

    let newlines = 0;
    if (cPos.line > 0 && this.lastLine > 0) newlines = cPos.line - this.lastLine;
    if (newlines > 0) this.writeByte("\f", Math.min(newlines, MAX_NEWLINES));
  }

  private writeCommentSuffix(nextLine: number, tok: Token | typeof LITERAL, lastComment: Comment): void {
    if (tok === Token.EOF) return; // no blank lines at the end of the file

    if (lastComment.text.charCodeAt(1) === 0x2a && nextLine === commentEndLine(lastComment)) this.writeByte(" ", 1);

    const newlines = nextLine - this.lastLine;
    let droppedFF = false;
    for (let i = 0; i < this.whitespace.length; i++) {
      const w = this.whitespace[i]!;
      if (w === WS.Indent || w === WS.Unindent) continue;
      if (w === WS.Formfeed) droppedFF = true;
      if (w === WS.Blank || w === WS.VTab || w === WS.Newline || w === WS.Formfeed) this.whitespace[i] = WS.Ignore;
    }
    this.writeWhitespace(this.whitespace.length);

    if (newlines > 0) this.writeByte(droppedFF ? "\f" : "\n", Math.min(newlines, MAX_NEWLINES));
  }

  /** Writes text whose source position is (offset, line) when line > 0. */
  private writeString(offset: number, line: number, s: string, isLit: boolean): void {
    if (this.outColumn === 1) this.writeIndent();
    if (line > 0) {
      this.posOffset = offset;
      this.posLine = line;
    }

    this.output += isLit ? ESCAPE + s + ESCAPE : s;

    let newlines = 0;
    let lastNewlineIdx = 0;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 10 || ch === 12) {
        newlines++;
        lastNewlineIdx = i;
      }
    }
    const len = byteLength(s);
    this.posOffset += len;
    if (newlines > 0) {
      this.posLine += newlines;
      this.outColumn = byteLength(s.slice(lastNewlineIdx));
    } else {
      this.outColumn += len;
    }
    this.lastLine = this.posLine;
  }

  private writeIndent(): void {
    const depth = this.indent;
    if (depth > 0) this.output += "\t".repeat(depth);
    this.posOffset += depth;
    this.outColumn += depth;
  }

  private writeByte(ch: string, n: number): void {
    if (this.outColumn === 1) this.writeIndent();
    this.output += n === 1 ? ch : ch.repeat(n);
    this.posOffset += n;
    if (ch === "\n" || ch === "\f") {
      this.posLine += n;
      this.outColumn = 1;
      return;
    }
    this.outColumn += n;
  }

  private writeWhitespace(n: number): void {
    for (let i = 0; i < n; i++) {
      const w = this.whitespace[i]!;
      switch (w) {
        case WS.Ignore:
          break;
        case WS.Indent:
          this.indent++;
          break;
        case WS.Unindent:
          // Never below zero, even for a hand-built tree.
          if (this.indent > 0) this.indent--;
          break;
        default:
          this.writeByte(String.fromCharCode(w), 1);
      }
    }
    this.whitespace = n >= this.whitespace.length ? [] : this.whitespace.slice(n);
  }
}

/** Line of a comment's last character. */
function commentEndLine(c: Comment): number {
  if (c.end.line > 0) {
    // `end` is exclusive; it only lands on a new line if the comment ended in a newline, which comments never do.
    return c.end.line;
  }
  let line = c.start.line;
  for (let i = 0; i < c.text.length - 1; i++) if (c.text.charCodeAt(i) === 10) line++;
  return line;
}
