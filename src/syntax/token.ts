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
  if (isPlainQuotable(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) out += quoteRune(ch.codePointAt(0)!);
  return out + '"';
}

/** Printable ASCII without quotes or backslashes needs no escaping. */
function isPlainQuotable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Go's `%q` of raw bytes: like quoteGo, but bytes that are not valid UTF-8 become `\xNN`. */
export function quoteGoBytes(b: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [cp, width] = decodeRune(b, i);
    out += cp === 0xfffd && width === 1 ? "\\x" + hex(b[i]!, 2) : quoteRune(cp);
    i += width;
  }
  return out + '"';
}

const simpleEscapes: Record<number, string> = {
  0x22: '\\"',
  0x5c: "\\\\",
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
};

function quoteRune(cp: number): string {
  const simple = simpleEscapes[cp];
  if (simple !== undefined) return simple;
  if (isPrintRune(cp)) return String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return "\\x" + hex(cp, 2);
  if (cp >= 0xd800 && cp < 0xe000) return "\\ufffd";
  if (cp < 0x10000) return "\\u" + hex(cp, 4);
  return "\\U" + hex(cp, 8);
}

/** Decodes one UTF-8 sequence like Go's utf8.DecodeRune: [rune, width]; invalid ⇒ [U+FFFD, 1]. */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const n = b.length - i;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    if (n < 2) return [0xfffd, 1];
    const c1 = b[i + 1]!;
    if ((c1 & 0xc0) !== 0x80) return [0xfffd, 1];
    return [((c0 & 0x1f) << 6) | (c1 & 0x3f), 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    if (n < 3) return [0xfffd, 1];
    const c1 = b[i + 1]!;
    const c2 = b[i + 2]!;
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (c1 < lo || c1 > hi || (c2 & 0xc0) !== 0x80) return [0xfffd, 1];
    return [((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f), 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    if (n < 4) return [0xfffd, 1];
    const c1 = b[i + 1]!;
    const c2 = b[i + 2]!;
    const c3 = b[i + 3]!;
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return [0xfffd, 1];
    return [((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f), 4];
  }
  return [0xfffd, 1];
}
