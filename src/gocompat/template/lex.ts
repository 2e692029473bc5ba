// Lexer for Go's text/template, following text/template/parse/lex.go:
// the same items, trim markers ("{{- " and " -}}"), comments and errors.

export type ItemType =
  | "error" | "bool" | "char" | "charConstant" | "comment" | "complex" | "assign" | "declare" | "eof" | "field"
  | "identifier" | "leftDelim" | "leftParen" | "number" | "pipe" | "rawString" | "rightDelim" | "rightParen"
  | "space" | "string" | "text" | "variable"
  // keywords
  | "block" | "break" | "continue" | "dot" | "define" | "else" | "end" | "if" | "nil" | "range" | "template" | "with";

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Readonly<Record<string, ItemType>> = Object.assign(Object.create(null) as Record<string, ItemType>, {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
});

export function isKeyword(t: ItemType): boolean {
  return Object.values(KEYWORDS).includes(t);
}

/** Go's item.String(), used in "unexpected X in Y" errors. */
export function itemString(i: Item): string {
  if (i.type === "eof") return "EOF";
  if (i.type === "error") return i.val;
  if (isKeyword(i.type)) return `<${i.val}>`;
  if ([...i.val].length > 10) return goQuoteTrunc(i.val, 10) + "...";
  return JSON.stringify(i.val);
}

function goQuoteTrunc(s: string, n: number): string {
  return JSON.stringify([...s].slice(0, n).join(""));
}

const LEFT = "{{";
const RIGHT = "}}";
const TRIM = "-";

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlphaNumeric = (c: string) => c === "_" || /^[\p{L}\p{Nd}]$/u.test(c);
const hasLeftTrimMarker = (s: string, i: number) => s[i] === TRIM && isSpace(s[i + 1]);
const hasRightTrimMarker = (s: string, i: number) => isSpace(s[i]) && s[i + 1] === TRIM;

/** Splits template text into items; the last item is eof or error. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  let insideAction = false;

  const emit = (type: ItemType) => {
    items.push({ type, pos: start, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    for (let i = start; i < pos; i++) if (input[i] === "\n") line++;
    start = pos;
    startLine = line;
  };
  const advance = (n: number) => {
    for (let i = 0; i < n; i++) if (input[pos + i] === "\n") line++;
    pos += n;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) return undefined;
    const c = String.fromCodePoint(input.codePointAt(pos)!);
    if (c === "\n") line++;
    pos += c.length;
    return c;
  };
  const backup = (c: string | undefined) => {
    if (c === undefined) return;
    pos -= c.length;
    if (c === "\n") line--;
  };
  const peek = () => (pos < input.length ? String.fromCodePoint(input.codePointAt(pos)!) : undefined);
  const fail = (msg: string): false => {
    items.push({ type: "error", pos: start, val: msg, line: startLine });
    return false;
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(RIGHT, pos + 2)) return [true, true];
    if (input.startsWith(RIGHT, pos)) return [true, false];
    return [false, false];
  };
  const atTerminator = () => {
    const r = peek();
    if (r === undefined || isSpace(r)) return true;
    if (".,|:)(".includes(r)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const acceptRun = (valid: string) => {
    let c = next();
    while (c !== undefined && valid.includes(c)) c = next();
    backup(c);
  };
  const accept = (valid: string) => {
    const c = next();
    if (c !== undefined && valid.includes(c)) return true;
    backup(c);
    return false;
  };

  // Returns false when lexing must stop (error emitted).
  const lexText = (): boolean => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) {
        ignoreLinesIn(start, pos);
        emitText(pos);
      }
      items.push({ type: "eof", pos, val: "", line });
      return false;
    }
    let textEnd = x;
    if (hasLeftTrimMarker(input, x + LEFT.length)) {
      while (textEnd > start && isSpace(input[textEnd - 1])) textEnd--;
    }
    ignoreLinesIn(start, x);
    pos = x;
    if (textEnd > start) emitText(textEnd);
    start = x;
    startLine = line;
    return true;
  };
  // Text items carry their starting line; count lines separately.
  let textLine = 1;
  const ignoreLinesIn = (a: number, b: number) => {
    textLine = line;
    for (let i = a; i < b; i++) if (input[i] === "\n") line++;
  };
  const emitText = (end: number) => {
    items.push({ type: "text", pos: start, val: input.slice(start, end), line: textLine });
  };

  const lexLeftDelim = (): boolean => {
    advance(LEFT.length);
    const trim = hasLeftTrimMarker(input, pos);
    const after = trim ? 2 : 0;
    if (input.startsWith("/*", pos + after)) {
      advance(after);
      ignore();
      return lexComment();
    }
    emit("leftDelim");
    advance(after);
    ignore();
    parenDepth = 0;
    insideAction = true;
    return true;
  };

  const lexComment = (): boolean => {
    advance(2);
    const x = input.indexOf("*/", pos);
    if (x < 0) return fail("unclosed comment");
    advance(x - pos + 2);
    const [delim, trim] = atRightDelim();
    if (!delim) return fail("comment ends before closing delimiter");
    emit("comment");
    if (trim) advance(2);
    advance(RIGHT.length);
    if (trim) while (isSpace(input[pos])) advance(1);
    ignore();
    return true;
  };

  const lexRightDelim = (trim: boolean): boolean => {
    if (trim) {
      advance(2);
      ignore();
    }
    advance(RIGHT.length);
    emit("rightDelim");
    if (trim) {
      while (isSpace(input[pos])) advance(1);
      ignore();
    }
    insideAction = false;
    return true;
  };

  const lexSpace = (): boolean => {
    let n = 0;
    while (isSpace(peek())) {
      next();
      n++;
    }
    // A space before a trim-marked right delimiter belongs to the delimiter.
    if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
      backup(input[pos - 1]);
      if (n === 1) return true;
    }
    emit("space");
    return true;
  };

  const lexIdentifier = (): boolean => {
    for (;;) {
      const r = next();
      if (r !== undefined && isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) return fail(`bad character ${goRune(r)}`);
      const kw = KEYWORDS[word];
      if (kw && word !== ".") emit(kw);
      else if (word[0] === ".") emit("field");
      else if (word === "true" || word === "false") emit("bool");
      else emit("identifier");
      return true;
    }
  };

  const lexFieldOrVariable = (type: "field" | "variable"): boolean => {
    if (atTerminator()) {
      emit(type === "variable" ? "variable" : "dot");
      return true;
    }
    let r: string | undefined;
    for (;;) {
      r = next();
      if (r === undefined || !isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) return fail(`bad character ${goRune(r)}`);
    emit(type);
    return true;
  };

  const lexChar = (): boolean => {
    for (;;) {
      const r = next();
      if (r === "\\") {
        const e = next();
        if (e !== undefined && e !== "\n") continue;
        return fail("unterminated character constant");
      }
      if (r === undefined || r === "\n") return fail("unterminated character constant");
      if (r === "'") break;
    }
    emit("charConstant");
    return true;
  };

  const scanNumber = (): boolean => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    const p = peek();
    if (p !== undefined && isAlphaNumeric(p)) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): boolean => {
    if (!scanNumber()) return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === "+" || sign === "-") {
      if (!scanNumber() || input[pos - 1] !== "i") return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      emit("complex");
    } else emit("number");
    return true;
  };

  const lexQuote = (): boolean => {
    for (;;) {
      const r = next();
      if (r === "\\") {
        const e = next();
        if (e !== undefined && e !== "\n") continue;
        return fail("unterminated quoted string");
      }
      if (r === undefined || r === "\n") return fail("unterminated quoted string");
      if (r === '"') break;
    }
    emit("string");
    return true;
  };

  const lexRawQuote = (): boolean => {
    const x = input.indexOf("`", pos);
    if (x < 0) return fail("unterminated raw quoted string");
    advance(x - pos + 1);
    emit("rawString");
    return true;
  };

  const lexInsideAction = (): boolean => {
    const [delim, trim] = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim(trim);
      return fail("unclosed left paren");
    }
    const r = next();
    if (r === undefined) return fail("unclosed action");
    if (isSpace(r)) {
      backup(r);
      return lexSpace();
    }
    switch (r) {
      case "=":
        emit("assign");
        return true;
      case ":":
        if (next() !== "=") return fail("expected :=");
        emit("declare");
        return true;
      case "|":
        emit("pipe");
        return true;
      case '"':
        return lexQuote();
      case "`":
        return lexRawQuote();
      case "$":
        return lexFieldOrVariable("variable");
      case "'":
        return lexChar();
      case "(":
        emit("leftParen");
        parenDepth++;
        return true;
      case ")":
        parenDepth--;
        if (parenDepth < 0) return fail("unexpected right paren");
        emit("rightParen");
        return true;
    }
    if (r === ".") {
      const p = input[pos];
      if (p === undefined || p < "0" || p > "9") return lexFieldOrVariable("field");
    }
    if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
      backup(r);
      return lexNumber();
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier();
    }
    const cp = r.codePointAt(0)!;
    if (cp < 0x7f && cp >= 0x20) {
      emit("char");
      return true;
    }
    return fail(`unrecognized character in action: ${goRune(r)}`);
  };

  for (;;) {
    let ok: boolean;
    if (!insideAction) {
      ok = lexText();
      if (ok) ok = lexLeftDelim();
    } else ok = lexInsideAction();
    if (!ok) break;
  }
  if (items[items.length - 1]?.type !== "eof" && items[items.length - 1]?.type !== "error") {
    items.push({ type: "eof", pos, val: "", line });
  }
  return items;
}

/** Go's %#U of a rune, e.g. U+0021 '!'. */
function goRune(r: string | undefined): string {
  if (r === undefined) return "U+FFFFFFFF";
  const cp = r.codePointAt(0)!;
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  return cp >= 0x20 && cp !== 0x7f ? `${hex} '${r}'` : hex;
}
