// The Alloy syntax tree. Every node keeps the positions the printer and the
// diagnostics need; nothing here depends on a runtime.

/** A position in a source file. `column` is 1-based and counts UTF-8 bytes, as Alloy's does. */
export interface Pos {
  /** 0-based byte offset into the UTF-8 source. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based byte column. */
  column: number;
}

/** A half-open range [start, end) in one file. */
export interface Range {
  start: Pos;
  end: Pos;
}

export interface Comment {
  /** Verbatim text including the `//` or `/* *\/` markers. */
  text: string;
  start: Pos;
  end: Pos;
}

/** Comments that were adjacent in the source (no blank line or token between them). */
export type CommentGroup = Comment[];

export interface File {
  /** The file name used in diagnostics (as given on the command line or by the loader). */
  name: string;
  body: Body;
  /** Every comment in the file, in source order, for the printer. */
  comments: CommentGroup[];
}

export type Body = Stmt[];

export type Stmt = AttributeStmt | BlockStmt;

export interface Ident {
  name: string;
  start: Pos;
  end: Pos;
}

export interface AttributeStmt {
  kind: "attribute";
  name: Ident;
  value: Expr;
  start: Pos;
  end: Pos;
}

export interface BlockStmt {
  kind: "block";
  /** Dotted name fragments: `prometheus.scrape` → ["prometheus", "scrape"]. */
  name: string[];
  namePos: Pos;
  /** The label without quotes; undefined when the block has none. `""` is a present, empty label. */
  label?: string;
  labelPos?: Pos;
  body: Body;
  lcurly: Pos;
  rcurly: Pos;
  start: Pos;
  end: Pos;
}

export type Expr =
  | LiteralExpr
  | ArrayExpr
  | ObjectExpr
  | IdentifierExpr
  | AccessExpr
  | IndexExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ParenExpr;

export type LiteralKind = "NUMBER" | "FLOAT" | "STRING" | "BOOL" | "NULL";

export interface LiteralExpr {
  kind: "literal";
  literal: LiteralKind;
  /** The token's source text, verbatim (quotes and escapes kept for strings). */
  raw: string;
  start: Pos;
  end: Pos;
}

export interface ArrayExpr {
  kind: "array";
  elements: Expr[];
  lbrack: Pos;
  rbrack: Pos;
  start: Pos;
  end: Pos;
}

export interface ObjectField {
  /** The key: identifier text, or the text between the quotes of a quoted key (escapes not decoded). */
  name: string;
  quoted: boolean;
  namePos: Pos;
  value: Expr;
  start: Pos;
  end: Pos;
}

export interface ObjectExpr {
  kind: "object";
  fields: ObjectField[];
  lcurly: Pos;
  rcurly: Pos;
  start: Pos;
  end: Pos;
}

export interface IdentifierExpr {
  kind: "identifier";
  name: string;
  start: Pos;
  end: Pos;
}

export interface AccessExpr {
  kind: "access";
  value: Expr;
  name: Ident;
  start: Pos;
  end: Pos;
}

export interface IndexExpr {
  kind: "index";
  value: Expr;
  index: Expr;
  lbrack: Pos;
  rbrack: Pos;
  start: Pos;
  end: Pos;
}

export interface CallExpr {
  kind: "call";
  value: Expr;
  args: Expr[];
  lparen: Pos;
  rparen: Pos;
  start: Pos;
  end: Pos;
}

export type UnaryOp = "!" | "-";

export interface UnaryExpr {
  kind: "unary";
  op: UnaryOp;
  opPos: Pos;
  value: Expr;
  start: Pos;
  end: Pos;
}

export type BinaryOp =
  | "||" | "&&"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "+" | "-" | "*" | "/" | "%" | "^";

export interface BinaryExpr {
  kind: "binary";
  op: BinaryOp;
  opPos: Pos;
  left: Expr;
  right: Expr;
  start: Pos;
  end: Pos;
}

export interface ParenExpr {
  kind: "paren";
  inner: Expr;
  lparen: Pos;
  rparen: Pos;
  start: Pos;
  end: Pos;
}

/** The full dotted name of a block, e.g. `prometheus.scrape`. */
export function blockName(b: BlockStmt): string {
  return b.name.join(".");
}

/** The node ID Alloy gives a block: its name plus `.label` when it has one. */
export function blockID(b: BlockStmt): string {
  return b.label !== undefined && b.label !== "" ? `${blockName(b)}.${b.label}` : blockName(b);
}
