// Walks the syntax tree and feeds tokens, positions and abstract whitespace to
// the printer. Line breaks inside expressions are kept only where the source
// had them; blocks are always separated by a blank line. Mirrors Alloy's
// syntax/printer/walker.go.

import type { ArrayExpr, AttributeStmt, BlockStmt, CallExpr, Expr, ObjectExpr, ObjectField, Stmt } from "../ast.ts";
import { Token, quoteGo } from "../token.ts";
import { Printer, WS } from "./printer.ts";

/** Decides whether an attribute's literal value is printed as `"(secret)"`; `path` holds the enclosing block IDs, then the attribute name. */
export type RedactSecret = (attr: AttributeStmt, path: string[]) => boolean;

const binaryTokens: Record<string, Token> = {
  "||": Token.OR,
  "&&": Token.AND,
  "==": Token.EQ,
  "!=": Token.NEQ,
  "<": Token.LT,
  "<=": Token.LTE,
  ">": Token.GT,
  ">=": Token.GTE,
  "+": Token.ADD,
  "-": Token.SUB,
  "*": Token.MUL,
  "/": Token.DIV,
  "%": Token.MOD,
  "^": Token.POW,
};

const literalTokens: Record<string, Token> = {
  NUMBER: Token.NUMBER,
  FLOAT: Token.FLOAT,
  STRING: Token.STRING,
  BOOL: Token.BOOL,
  NULL: Token.NULL,
};

function stmtStartLine(s: Stmt): number {
  return s.kind === "attribute" ? s.name.start.line : s.namePos.line;
}

function stmtEndLine(s: Stmt): number {
  return s.kind === "attribute" ? s.value.end.line : s.rcurly.line;
}

function exprLines(e: Expr): number {
  return e.end.line - e.start.line + 1;
}

/** Line of a field name's last character, computed as Alloy does from the unquoted name's length. */
function fieldNameEndLine(f: ObjectField): number {
  let line = f.namePos.line;
  // Alloy measures from the opening quote using the unquoted name, so the last
  // counted byte is one before the name's own last character.
  const counted = f.quoted ? f.name.slice(0, Math.max(0, f.name.length - 1)) : f.name;
  for (let i = 0; i < counted.length; i++) if (counted.charCodeAt(i) === 10) line++;
  return line;
}

export class Walker {
  private readonly path: string[] = [];

  constructor(
    private readonly p: Printer,
    private readonly redact?: RedactSecret,
  ) {}

  stmts(ss: Stmt[]): void {
    const p = this.p;
    for (let i = 0; i < ss.length; i++) {
      const s = ss[i]!;
      let addedSpacing = false;
      if (i > 0 && s.kind === "block") {
        p.ws(WS.Formfeed);
        addedSpacing = true;
      }
      if (i > 0 && !addedSpacing && stmtStartLine(s) - stmtEndLine(ss[i - 1]!) > 1) p.ws(WS.Formfeed);

      if (s.kind === "attribute") this.attribute(s);
      else this.block(s);

      // A statement spanning lines ends its alignment run.
      p.ws(stmtEndLine(s) - stmtStartLine(s) + 1 > 1 ? WS.Formfeed : WS.Newline);
    }
  }

  private attribute(s: AttributeStmt): void {
    const p = this.p;
    p.at(s.name.start);
    p.ident(s.name.name);
    p.ws(WS.VTab);
    p.token(Token.ASSIGN);
    p.ws(WS.Blank);
    if (s.value.kind === "literal" && this.redact?.(s, [...this.path, s.name.name])) {
      p.at(s.value.start);
      p.literal('"(secret)"', Token.STRING);
      return;
    }
    this.expr(s.value);
  }

  private block(s: BlockStmt): void {
    const p = this.p;
    p.at(s.namePos);
    p.ident(s.name.join("."));
    if (s.label) {
      p.ws(WS.Blank);
      p.at(s.labelPos);
      p.literal(quoteGo(s.label), Token.STRING);
    }
    p.ws(WS.Blank);
    p.at(s.lcurly);
    p.token(Token.LCURLY);
    p.ws(WS.Indent);
    if (s.body.length > 0) {
      p.ws(WS.Formfeed);
      this.path.push(s.label ? `${s.name.join(".")}.${s.label}` : s.name.join("."));
      this.stmts(s.body);
      this.path.pop();
    } else {
      p.ws(WS.Blank);
    }
    p.ws(WS.Unindent);
    p.at(s.rcurly);
    p.token(Token.RCURLY);
  }

  expr(e: Expr): void {
    const p = this.p;
    switch (e.kind) {
      case "literal":
        p.at(e.start);
        p.literal(e.raw, literalTokens[e.literal] ?? Token.STRING);
        return;
      case "array":
        return this.array(e);
      case "object":
        return this.object(e);
      case "identifier":
        p.at(e.start);
        p.ident(e.name);
        return;
      case "access":
        this.expr(e.value);
        p.token(Token.DOT);
        p.ident(e.name.name);
        return;
      case "index":
        this.expr(e.value);
        p.at(e.lbrack);
        p.token(Token.LBRACK);
        this.expr(e.index);
        p.at(e.rbrack);
        p.token(Token.RBRACK);
        return;
      case "call":
        return this.call(e);
      case "unary":
        p.at(e.opPos);
        p.token(e.op === "!" ? Token.NOT : Token.SUB);
        this.expr(e.value);
        return;
      case "binary":
        this.expr(e.left);
        p.ws(WS.Blank);
        p.at(e.opPos);
        p.token(binaryTokens[e.op] ?? Token.ADD);
        p.ws(WS.Blank);
        this.expr(e.right);
        return;
      case "paren":
        p.token(Token.LPAREN);
        this.expr(e.inner);
        p.token(Token.RPAREN);
        return;
    }
  }

  private array(e: ArrayExpr): void {
    const p = this.p;
    p.at(e.lbrack);
    p.token(Token.LBRACK);
    let prevLine = e.lbrack.line;
    const n = e.elements.length;
    for (let i = 0; i < n; i++) {
      const el = e.elements[i]!;
      let addedNewline = false;
      if (prevLine !== el.start.line) {
        // Indent before the newline so that comments ahead of the element are indented too.
        p.ws(WS.Indent);
        p.ws(WS.Formfeed);
        addedNewline = true;
      } else if (i > 0) {
        p.ws(WS.Blank);
      }
      prevLine = el.end.line;
      this.expr(el);
      if (i + 1 < n) p.token(Token.COMMA);
      if (addedNewline) p.ws(WS.Unindent);
    }
    if (n > 0 && prevLine !== e.rbrack.line) {
      p.token(Token.COMMA);
      p.ws(WS.Indent);
      p.ws(WS.Formfeed);
      p.ws(WS.Unindent);
    }
    p.at(e.rbrack);
    p.token(Token.RBRACK);
  }

  private object(e: ObjectExpr): void {
    const p = this.p;
    p.at(e.lcurly);
    p.token(Token.LCURLY);
    p.ws(WS.Indent);
    let prevLine = e.lcurly.line;
    const n = e.fields.length;
    for (let i = 0; i < n; i++) {
      const f = e.fields[i]!;
      if (prevLine !== f.namePos.line) {
        // Keep aligning `=` unless the previous field's value spanned lines.
        p.ws(i > 0 && exprLines(e.fields[i - 1]!.value) === 1 ? WS.Newline : WS.Formfeed);
      } else if (i > 0) {
        p.ws(WS.Blank);
      }
      prevLine = fieldNameEndLine(f);
      p.at(f.namePos);
      if (f.quoted) p.literal(quoteGo(f.name), Token.STRING);
      else p.ident(f.name);
      p.ws(WS.VTab);
      p.token(Token.ASSIGN);
      p.ws(WS.Blank);
      this.expr(f.value);
      if (i + 1 < n) p.token(Token.COMMA);
    }
    if (n > 0 && prevLine !== e.rcurly.line) {
      p.token(Token.COMMA);
      p.ws(WS.Formfeed);
    }
    p.ws(WS.Unindent);
    p.at(e.rcurly);
    p.token(Token.RCURLY);
  }

  private call(e: CallExpr): void {
    const p = this.p;
    this.expr(e.value);
    p.token(Token.LPAREN);
    let prevLine = e.lparen.line;
    const n = e.args.length;
    for (let i = 0; i < n; i++) {
      const arg = e.args[i]!;
      let addedNewline = false;
      if (prevLine !== arg.start.line) {
        p.ws(WS.Formfeed);
        p.ws(WS.Indent);
        addedNewline = true;
      }
      this.expr(arg);
      prevLine = arg.end.line;
      if (i + 1 < n) {
        p.token(Token.COMMA);
        p.ws(WS.Blank);
      }
      if (addedNewline) p.ws(WS.Unindent);
    }
    if (prevLine !== e.rparen.line) {
      p.token(Token.COMMA);
      p.ws(WS.Formfeed);
    }
    p.token(Token.RPAREN);
  }
}
