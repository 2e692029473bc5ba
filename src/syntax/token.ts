// Lexical tokens of the Alloy syntax and the few spelling rules shared by the
// scanner, the parser's messages and the printer (Go's %q and %#U forms).

export enum Token {
  ILLEGAL,
  EOF,
  COMMENT,

  IDENT,
  NUMBER,
  FLOAT,
  STRING,

  BOOL,
  NULL,

  OR,
  AND,
  NOT,

  ASSIGN,

  EQ,
  NEQ,
  LT,
  LTE,
  GT,
  GTE,

  ADD,
  SUB,
  MUL,
  DIV,
  MOD,
  POW,

  LCURLY,
  RCURLY,
  LPAREN,
  RPAREN,
  LBRACK,
  RBRACK,
  COMMA,
  DOT,

  TERMINATOR,
}

const names: Record<Token, string> = {
  [Token.ILLEGAL]: "ILLEGAL",
  [Token.EOF]: "EOF",
  [Token.COMMENT]: "COMMENT",
  [Token.IDENT]: "IDENT",
  [Token.NUMBER]: "NUMBER",
  [Token.FLOAT]: "FLOAT",
  [Token.STRING]: "STRING",
  [Token.BOOL]: "BOOL",
  [Token.NULL]: "NULL",
  [Token.OR]: "||",
  [Token.AND]: "&&",
  [Token.NOT]: "!",
  [Token.ASSIGN]: "=",
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
  [Token.LCURLY]: "{",
  [Token.RCURLY]: "}",
  [Token.LPAREN]: "(",
  [Token.RPAREN]: ")",
  [Token.LBRACK]: "[",
  [Token.RBRACK]: "]",
  [Token.COMMA]: ",",
  [Token.DOT]: ".",
  [Token.TERMINATOR]: "TERMINATOR",
};

/** The name Alloy uses for a token in messages ("IDENT", "TERMINATOR", "{", ...). */
export function tokenString(t: Token): string {
  return names[t] ?? "ILLEGAL";
}

/** Binary operator precedence (1 = `||` ... 6 = `^`); 0 for anything that is not a binary operator. */
export function binaryPrecedence(t: Token): number {
  switch (t) {
    case Token.OR:
      return 1;
    case Token.AND:
      return 2;
    case Token.EQ:
    case Token.NEQ:
    case Token.LT:
    case Token.LTE:
    case Token.GT:
    case Token.GTE:
      return 3;
    case Token.ADD:
    case Token.SUB:
      return 4;
    case Token.MUL:
    case Token.DIV:
    case Token.MOD:
      return 5;
    case Token.POW:
      return 6;
    default:
      return 0;
  }
}

/** Keywords are only `true`, `false` and `null`; every other word is an identifier. */
export function lookupKeyword(ident: string): Token {
  switch (ident) {
    case "true":
    case "false":
      return Token.BOOL;
    case "null":
      return Token.NULL;
    default:
      return Token.IDENT;
  }
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp >= 0xd800 && cp < 0xe000) return false;
  return printable.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Go's `%#U`: `U+0041 'A'`, or just `U+0000` when the rune is not printable. */
export function formatRuneU(cp: number): string {
  const code = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  return isPrintRune(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

/** Go's strconv.Quote (`%q`) of a JS string: printable runes kept, everything else escaped. */
export function quoteGo(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (cp) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
      case 0x07:
        out += "\\a";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x0b:
        out += "\\v";
        continue;
    }
    if (isPrintRune(cp)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
    else if (cp >= 0xd800 && cp < 0xe000) out += "\\ufffd";
    else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return out + '"';
}
