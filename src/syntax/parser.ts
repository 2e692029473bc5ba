// The Alloy parser: an LL(1) recursive-descent parser over the scanner's
// tokens. Like Alloy's, it keeps going after an error to report as many as it
// can (at most one per source line) and collects comments for the printer.

import type {
  AttributeStmt,
  BinaryOp,
  BlockStmt,
  Body,
  Comment,
  CommentGroup,
  Expr,
  File,
  ObjectField,
  Pos,
  Stmt,
  UnaryOp,
} from "./ast.ts";
import type { Diagnostic } from "./diag.ts";
import { Scanner, SourceText, isValidIdentifier } from "./scanner.ts";
import { Token, binaryPrecedence, quoteGoBytes, tokenString } from "./token.ts";

export interface ParseFileResult {
  file: File;
  diagnostics: Diagnostic[];
}

export interface ParseExpressionResult {
  /** Undefined when the expression had errors. */
  expr: Expr | undefined;
  diagnostics: Diagnostic[];
}

/** Parses a whole file. The tree is always returned; it should be discarded if there are diagnostics. */
export function parseFile(name: string, src: string | Uint8Array): ParseFileResult {
  const p = new Parser(name, src);
  const body = p.parseBody(Token.EOF);
  return { file: { name, body, comments: p.comments }, diagnostics: p.diags };
}

/** Parses a single expression, which must be the whole input. */
export function parseExpression(src: string, name = ""): ParseExpressionResult {
  const p = new Parser(name, src);
  const expr = p.parseExpr();
  p.expect(Token.TERMINATOR);
  return { expr: p.diags.length > 0 ? undefined : expr, diagnostics: p.diags };
}

interface BlockName {
  fragments: string[];
  /** Byte offset just after the first fragment. */
  firstEnd: number;
  label: string | undefined;
  start: Pos;
  labelPos: Pos | undefined;
}

const binaryOps: Partial<Record<Token, BinaryOp>> = {
  [Token.OR]: "||",
  [Token.AND]: "&&",
  [Token.EQ]: "==",
  [Token.NEQ]: "!=",
  [Token.LT]: "<",
  [Token.LTE]: "<=",
  [Token.GT]: ">",
  [Token.GTE]: ">=",
  [Token.ADD]: "+",
  [Token.SUB]: "-",
  [Token.MUL]: "*",
  [Token.DIV]: "/",
  [Token.MOD]: "%",
  [Token.POW]: "^",
};

const literalKinds: Partial<Record<Token, "NUMBER" | "FLOAT" | "STRING" | "BOOL" | "NULL">> = {
  [Token.NUMBER]: "NUMBER",
  [Token.FLOAT]: "FLOAT",
  [Token.STRING]: "STRING",
  [Token.BOOL]: "BOOL",
  [Token.NULL]: "NULL",
};

/**
 * Deepest nesting of blocks and expressions accepted. Alloy itself has no
 * limit, but every consumer of the tree recurses over it; real configs stay
 * far below this.
 */
export const MAX_NESTING = 2000;

function isStatementEnd(t: Token): boolean {
  return t === Token.TERMINATOR || t === Token.RPAREN || t === Token.RCURLY || t === Token.RBRACK || t === Token.COMMA;
}

class Parser {
  readonly diags: Diagnostic[] = [];
  readonly comments: CommentGroup[] = [];
  private readonly src: SourceText;
  private readonly scanner: Scanner;

  // Current token. Its position is computed only when asked for.
  private tok: Token = Token.EOF;
  /** The current token, read through a call so that narrowing does not survive next(). */
  private cur(): Token {
    return this.tok;
  }
  private offset = 0;
  private cachedPos: Pos | undefined;
  private lit = "";
  private end = 0;

  /** Line of the last parse error; a second error on the same line is dropped. */
  private lastErrorLine = 0;

  /** Depth of the tree being built; past MAX_NESTING the rest of the input is skipped. */
  private depth = 0;
  private tooDeep = false;

  constructor(
    private readonly fileName: string,
    src: string | Uint8Array,
  ) {
    this.src = new SourceText(src);
    this.scanner = new Scanner(this.src, {
      includeComments: true,
      onError: (offset, message) => {
        this.diags.push({ severity: "error", message, file: fileName, start: this.src.pos(offset) });
      },
    });
    this.next();
  }

  /** Position of the current token. */
  private get pos(): Pos {
    return (this.cachedPos ??= this.scanner.tokPos());
  }

  private next0(): void {
    const s = this.scanner;
    this.tok = s.scan();
    this.cachedPos = undefined;
    this.offset = s.tokOffset;
    this.lit = s.lit;
    this.end = s.tokEnd;
  }

  private next(): void {
    this.next0();
    while (this.tok === Token.COMMENT) this.consumeCommentGroup();
  }

  private consumeCommentGroup(): void {
    const group: Comment[] = [];
    let endLine = this.pos.line;
    while (this.tok === Token.COMMENT && this.pos.line <= endLine + 1) {
      const text = this.lit;
      const start = this.pos;
      const end = this.endPos(start, this.end, text);
      endLine = start.line;
      if (text.charCodeAt(1) === 0x2a) {
        for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) endLine++;
      }
      group.push({ text, start, end });
      this.next0();
    }
    this.comments.push(group);
  }

  /** Position just after a token that started at `start` and ends at byte `endOffset`. */
  private endPos(start: Pos, endOffset: number, text: string): Pos {
    // Only raw strings and block comments can span lines.
    const c = text.charCodeAt(0);
    if ((c === 0x60 || c === 0x2f) && text.indexOf("\n") >= 0) return this.src.pos(endOffset);
    return { offset: endOffset, line: start.line, column: start.column + (endOffset - start.offset) };
  }

  /** The position `n` bytes after `p` (which must stay on the same line for the column to be exact). */
  private after(p: Pos, n: number): Pos {
    return { offset: p.offset + n, line: p.line, column: p.column + n };
  }

  /** Goes one level deeper; past the limit, reports it once and skips to the end of the input. */
  private enter(): void {
    if (++this.depth <= MAX_NESTING || this.tooDeep) return;
    // Always reported, even on a line that already has an error: the rest of the file is dropped.
    const message = `nesting too deep: more than ${MAX_NESTING} levels of blocks and expressions`;
    this.diags.push({ severity: "error", message, file: this.fileName, start: this.pos });
    this.tooDeep = true;
    while (this.tok !== Token.EOF) this.next();
  }

  private addError(message: string): void {
    if (this.tooDeep) return;
    const pos = this.pos;
    if (this.lastErrorLine === pos.line) return;
    this.lastErrorLine = pos.line;
    this.diags.push({ severity: "error", message, file: this.fileName, start: pos });
  }

  private advance(to: Token): void {
    while (this.tok !== Token.EOF) {
      if (this.tok === to) return;
      this.next();
    }
  }

  /** Consumes the current token, reporting an error if it is not `t`; returns its position and kind. */
  expect(t: Token): { pos: Pos; tok: Token; lit: string; end: number } {
    const res = { pos: this.pos, tok: this.tok, lit: this.lit, end: this.end };
    if (this.tok !== t) this.addError(`expected ${tokenString(t)}, got ${tokenString(this.tok)}`);
    this.next();
    return res;
  }

  parseBody(until: Token): Body {
    const body: Body = [];
    while (this.tok !== until && this.tok !== Token.EOF) {
      const stmt = this.parseStatement();
      if (stmt) body.push(stmt);
      if (this.tok === until) break;
      if (this.tok !== Token.TERMINATOR) {
        this.addError(`expected TERMINATOR, got ${tokenString(this.tok)}`);
        this.consumeStatement();
      }
      this.next();
    }
    return body;
  }

  /** Skips to the terminator ending the current statement, balancing brackets. */
  private consumeStatement(): void {
    let curly = 0;
    let brack = 0;
    let paren = 0;
    while (this.tok !== Token.EOF) {
      switch (this.tok) {
        case Token.LCURLY:
          curly++;
          break;
        case Token.RCURLY:
          curly--;
          break;
        case Token.LBRACK:
          brack++;
          break;
        case Token.RBRACK:
          brack--;
          break;
        case Token.LPAREN:
          paren++;
          break;
        case Token.RPAREN:
          paren--;
          break;
        case Token.TERMINATOR:
          if (curly <= 0 && brack <= 0 && paren <= 0) return;
          break;
      }
      this.next();
    }
  }

  private parseStatement(): Stmt | undefined {
    const bn = this.parseBlockName();
    if (!bn) {
      this.advance(Token.IDENT);
      return undefined;
    }

    switch (this.tok) {
      case Token.ASSIGN: {
        this.next();
        if (bn.fragments.length !== 1) {
          const attrName = bn.fragments.join(".");
          this.diags.push({
            severity: "error",
            message: 'attribute names may only consist of a single identifier with no "."',
            file: this.fileName,
            start: bn.start,
            end: this.src.pos(bn.start.offset + byteLength(attrName)),
          });
        } else if (bn.labelPos) {
          this.diags.push({
            severity: "error",
            message: "attribute names may not have labels",
            file: this.fileName,
            start: bn.labelPos,
            end: this.src.pos(bn.labelPos.offset + byteLength(bn.label ?? "") + 2),
          });
        }
        const name = bn.fragments[0] ?? "";
        const value = this.parseExpr();
        const stmt: AttributeStmt = {
          kind: "attribute",
          name: { name, start: bn.start, end: this.after(bn.start, bn.firstEnd - bn.start.offset) },
          value,
          start: bn.start,
          end: value.end,
        };
        return stmt;
      }
      case Token.LCURLY: {
        const lcurly = this.expect(Token.LCURLY).pos;
        this.enter();
        const body = this.parseBody(Token.RCURLY);
        this.depth--;
        const rcurly = this.expect(Token.RCURLY).pos;
        const block: BlockStmt = {
          kind: "block",
          name: bn.fragments,
          namePos: bn.start,
          body,
          lcurly,
          rcurly,
          start: bn.start,
          end: this.after(rcurly, 1),
        };
        if (bn.labelPos) {
          block.label = bn.label ?? "";
          block.labelPos = bn.labelPos;
        }
        return block;
      }
      default:
        if (bn.fragments.length === 1 && !bn.label) {
          this.addError(`expected attribute assignment or block body, got ${tokenString(this.tok)}`);
        } else {
          this.addError(`expected block body, got ${tokenString(this.tok)}`);
        }
        this.advance(Token.IDENT);
        return undefined;
    }
  }

  private parseBlockName(): BlockName | undefined {
    if (this.tok !== Token.IDENT) {
      this.addError(`expected identifier, got ${tokenString(this.tok)}`);
      return undefined;
    }
    const bn: BlockName = { fragments: [this.lit], firstEnd: this.end, label: undefined, start: this.pos, labelPos: undefined };
    this.next();

    while (this.cur() === Token.DOT) {
      this.next();
      if (this.tok !== Token.IDENT) this.addError(`expected identifier, got ${tokenString(this.tok)}`);
      bn.fragments.push(this.lit);
      this.next();
    }

    const afterName = this.cur();
    if (afterName !== Token.ASSIGN && afterName !== Token.LCURLY) {
      if (afterName === Token.STRING) {
        const lit = this.lit;
        if (lit.charCodeAt(0) !== 0x22) {
          this.addError(`expected block label to be a double quoted string, but got ${quoteGoBytes(this.src.bytes.subarray(this.offset, this.end))}`);
        }
        if (this.end - this.offset > 2) {
          bn.label = lit.slice(1, lit.length - 1);
          if (!isValidIdentifier(bn.label)) {
            const raw = this.src.bytes.subarray(this.offset + 1, this.end - 1);
            this.addError(`expected block label to be a valid identifier, but got ${quoteGoBytes(raw)}`);
          }
        } else {
          bn.label = "";
        }
        bn.labelPos = this.pos;
      } else {
        this.addError(`expected block label, got ${tokenString(this.tok)}`);
      }
      this.next();
    }
    return bn;
  }

  parseExpr(): Expr {
    this.enter();
    const e = this.parseBinOp(1);
    this.depth--;
    return e;
  }

  private parseBinOp(inPrec: number): Expr {
    let lhs = this.parsePowExpr();
    const depth = this.depth;
    for (;;) {
      const tok = this.tok;
      const prec = binaryPrecedence(tok);
      if (prec < inPrec) {
        this.depth = depth;
        return lhs;
      }
      this.enter(); // each operator adds a level to the left-leaning tree
      const opPos = this.pos;
      this.next();
      const rhs = this.parseBinOp(prec + 1);
      lhs = { kind: "binary", op: binaryOps[tok]!, opPos, left: lhs, right: rhs, start: lhs.start, end: rhs.end };
    }
  }

  private parsePowExpr(): Expr {
    const lhs = this.parseUnaryExpr();
    if (this.tok === Token.POW) {
      const opPos = this.pos;
      this.next();
      this.enter();
      const rhs = this.parsePowExpr();
      this.depth--;
      return { kind: "binary", op: "^", opPos, left: lhs, right: rhs, start: lhs.start, end: rhs.end };
    }
    return lhs;
  }

  private parseUnaryExpr(): Expr {
    if (this.tok === Token.NOT || this.tok === Token.SUB) {
      const op: UnaryOp = this.tok === Token.NOT ? "!" : "-";
      const opPos = this.pos;
      this.next();
      this.enter();
      const value = this.parseUnaryExpr();
      this.depth--;
      return { kind: "unary", op, opPos, value, start: opPos, end: value.end };
    }

    let primary = this.parsePrimaryExpr();
    const depth = this.depth;
    for (;;) {
      // Each access, index or call wraps the tree built so far.
      if (this.tok === Token.DOT || this.tok === Token.LBRACK || this.tok === Token.LPAREN) this.enter();
      switch (this.tok) {
        case Token.DOT: {
          this.next();
          const { pos, lit, end } = this.expect(Token.IDENT);
          const name = { name: lit, start: pos, end: this.after(pos, end - pos.offset) };
          primary = { kind: "access", value: primary, name, start: primary.start, end: name.end };
          break;
        }
        case Token.LBRACK: {
          const lbrack = this.expect(Token.LBRACK).pos;
          const index = this.parseExpr();
          const rbrack = this.expect(Token.RBRACK).pos;
          primary = { kind: "index", value: primary, index, lbrack, rbrack, start: primary.start, end: this.after(rbrack, 1) };
          break;
        }
        case Token.LPAREN: {
          const lparen = this.expect(Token.LPAREN).pos;
          const args = this.cur() !== Token.RPAREN ? this.parseExpressionList(Token.RPAREN) : [];
          const rparen = this.expect(Token.RPAREN).pos;
          primary = { kind: "call", value: primary, args, lparen, rparen, start: primary.start, end: this.after(rparen, 1) };
          break;
        }
        case Token.STRING:
        case Token.LCURLY: {
          // Looks like `attr = name "label" { ... }`: parse the rest as a block
          // only to tell the user that a block is not an expression.
          if (this.tok === Token.STRING) this.next();
          if (this.expect(Token.LCURLY).tok !== Token.LCURLY) {
            this.consumeStatement();
            this.depth = depth;
            return primary;
          }
          this.parseBody(Token.RCURLY);
          const { pos: rcurly, tok } = this.expect(Token.RCURLY);
          if (tok !== Token.RCURLY) {
            this.consumeStatement();
            this.depth = depth;
            return primary;
          }
          this.diags.push({
            severity: "error",
            message: "cannot use a block as an expression",
            file: this.fileName,
            start: primary.start,
            end: this.after(rcurly, 1),
          });
          break;
        }
        default:
          this.depth = depth;
          return primary;
      }
    }
  }

  private parsePrimaryExpr(): Expr {
    switch (this.tok) {
      case Token.IDENT: {
        const start = this.pos;
        const name = this.lit;
        const end = this.after(start, this.end - start.offset);
        this.next();
        return { kind: "identifier", name, start, end };
      }
      case Token.STRING:
      case Token.NUMBER:
      case Token.FLOAT:
      case Token.BOOL:
      case Token.NULL: {
        const start = this.pos;
        const raw = this.lit;
        const end = this.tok === Token.STRING ? this.endPos(start, this.end, raw) : this.after(start, this.end - start.offset);
        const literal = literalKinds[this.tok]!;
        this.next();
        return { kind: "literal", literal, raw, start, end };
      }
      case Token.LPAREN: {
        const lparen = this.expect(Token.LPAREN).pos;
        const inner = this.parseExpr();
        const rparen = this.expect(Token.RPAREN).pos;
        return { kind: "paren", inner, lparen, rparen, start: lparen, end: this.after(rparen, 1) };
      }
      case Token.LBRACK: {
        const lbrack = this.expect(Token.LBRACK).pos;
        const elements = this.cur() !== Token.RBRACK ? this.parseExpressionList(Token.RBRACK) : [];
        const rbrack = this.expect(Token.RBRACK).pos;
        return { kind: "array", elements, lbrack, rbrack, start: lbrack, end: this.after(rbrack, 1) };
      }
      case Token.LCURLY: {
        const lcurly = this.expect(Token.LCURLY).pos;
        // Alloy checks for `]` here rather than `}`; keep its behaviour for `{]`.
        const fields = this.cur() !== Token.RBRACK ? this.parseFieldList(Token.RCURLY) : [];
        const rcurly = this.expect(Token.RCURLY).pos;
        return { kind: "object", fields, lcurly, rcurly, start: lcurly, end: this.after(rcurly, 1) };
      }
    }
    this.addError(`expected expression, got ${tokenString(this.tok)}`);
    const start = this.pos;
    const res: Expr = { kind: "literal", literal: "NULL", raw: "null", start, end: this.after(start, 4) };
    while (this.tok !== Token.EOF && !isStatementEnd(this.tok)) this.next();
    return res;
  }

  private parseExpressionList(until: Token): Expr[] {
    const exprs: Expr[] = [];
    while (this.tok !== until && this.tok !== Token.EOF) {
      exprs.push(this.parseExpr());
      if (this.tok === until) break;
      if (this.tok !== Token.COMMA) this.addError("missing ',' in expression list");
      this.next();
    }
    return exprs;
  }

  private parseFieldList(until: Token): ObjectField[] {
    const fields: ObjectField[] = [];
    while (this.tok !== until && this.tok !== Token.EOF) {
      fields.push(this.parseField());
      if (this.tok === until) break;
      if (this.tok !== Token.COMMA) this.addError("missing ',' in field list");
      this.next();
    }
    return fields;
  }

  private parseField(): ObjectField {
    let name = "";
    let quoted = false;
    const namePos = this.pos;
    if (this.tok === Token.STRING || this.tok === Token.IDENT) {
      name = this.lit;
      if (this.tok === Token.STRING && this.end - this.offset > 2) {
        // Quoted keys are taken verbatim between the quotes; escapes stay undecoded.
        name = this.lit.slice(1, this.lit.length - 1);
        quoted = true;
      }
      this.next();
    } else {
      this.addError(`expected field name (string or identifier), got ${tokenString(this.tok)}`);
      this.advance(Token.ASSIGN);
    }
    this.expect(Token.ASSIGN);
    const value = this.parseExpr();
    return { name, quoted, namePos, value, start: namePos, end: value.end };
  }
}

const encoder = new TextEncoder();

function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return encoder.encode(s).length;
  }
  return s.length;
}
