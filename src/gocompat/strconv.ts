// Go's strconv.Quote / Unquote, so text that Go programs produce or read
// (Loki label strings, template literals, printf %q) round-trips exactly.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's unicode.IsPrint for one code point. */
export function isPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const SHORT_ESCAPES: Record<number, string> = {
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** Go's strconv.Quote (or QuoteASCII when asciiOnly, as %+q does). */
export function quote(s: string, quoteChar = '"', asciiOnly = false): string {
  let out = quoteChar;
  for (const ch of s) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate is what Go sees as invalid UTF-8
    if (ch === quoteChar || ch === "\\") {
      out += "\\" + ch;
    } else if (cp < 0x7f && cp >= 0x20) {
      out += ch;
    } else if (!asciiOnly && cp >= 0x7f && isPrint(cp)) {
      out += String.fromCodePoint(cp);
    } else if (SHORT_ESCAPES[cp] !== undefined) {
      out += SHORT_ESCAPES[cp];
    } else if (cp < 0x20 || cp === 0x7f) {
      out += "\\x" + hex(cp, 2);
    } else if (cp < 0x10000) {
      out += "\\u" + hex(cp, 4);
    } else {
      out += "\\U" + hex(cp, 8);
    }
  }
  return out + quoteChar;
}

export class SyntaxError extends Error {
  constructor(message = "invalid syntax") {
    super(message);
    this.name = "SyntaxError";
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Go's strconv.Unquote for "double-quoted", `raw` and 'c' literals. Throws
 * SyntaxError("invalid syntax") as Go returns ErrSyntax. \x and octal escapes
 * are bytes; the result is decoded as UTF-8 (invalid bytes become U+FFFD).
 */
export function unquote(s: string): string {
  if (s.length < 2) throw new SyntaxError();
  const q = s[0];
  if (q !== s[s.length - 1]) throw new SyntaxError();
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) throw new SyntaxError();
    return body.replaceAll("\r", "");
  }
  if (q !== '"' && q !== "'") throw new SyntaxError();
  if (!body.includes("\\") && !body.includes(q) && !body.includes("\n")) {
    if (q === "'" && [...body].length !== 1) throw new SyntaxError();
    return body;
  }
  const bytes: number[] = [];
  let runes = 0;
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === q || c === "\n") throw new SyntaxError();
    runes++;
    if (c !== "\\") {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of utf8.encode(ch)) bytes.push(b);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    switch (e) {
      case "a": bytes.push(7); break;
      case "b": bytes.push(8); break;
      case "f": bytes.push(12); break;
      case "n": bytes.push(10); break;
      case "r": bytes.push(13); break;
      case "t": bytes.push(9); break;
      case "v": bytes.push(11); break;
      case "\\": bytes.push(0x5c); break;
      case "'":
      case '"':
        if (e !== q) throw new SyntaxError();
        bytes.push(e.charCodeAt(0));
        break;
      case "x":
      case "u":
      case "U": {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        const digits = body.slice(i, i + n);
        if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) throw new SyntaxError();
        i += n;
        const v = parseInt(digits, 16);
        if (e === "x") {
          if (q === "'") {
            for (const b of utf8.encode(String.fromCodePoint(v))) bytes.push(b);
          } else bytes.push(v);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new SyntaxError();
          for (const b of utf8.encode(String.fromCodePoint(v))) bytes.push(b);
        }
        break;
      }
      case "0": case "1": case "2": case "3": case "4": case "5": case "6": case "7": {
        const digits = body.slice(i - 1, i + 2);
        if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxError();
        const v = parseInt(digits, 8);
        if (v > 255) throw new SyntaxError();
        i += 2;
        bytes.push(v);
        break;
      }
      default:
        throw new SyntaxError();
    }
  }
  if (q === "'" && runes !== 1) throw new SyntaxError();
  return utf8Decoder.decode(new Uint8Array(bytes));
}
