// Go's fmt.Sprint / Sprintln / Sprintf over JavaScript values (see
// govalue.ts for the value mapping), with Go's verbs, flags, width,
// precision and error forms (%!d(string=x), %!v(MISSING), %!(EXTRA ...)).

import { fromBytes, isGoTime, kindOf, mapEntries, stringerOf, timeString, toBytes, typeName } from "./govalue.ts";
import { isPrint, quote } from "./strconv.ts";
import { formatFloat } from "./ftoa.ts";

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid?: number;
  prec?: number;
}

const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false });

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(...args: unknown[]): string {
  let out = "";
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === "string";
    if (i > 0 && !isString && !prevString) out += " ";
    out += formatArg(a, "v", noFlags());
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always spaces between operands, and a newline. */
export function sprintln(...args: unknown[]): string {
  return args.map((a) => formatArg(a, "v", noFlags())).join(" ") + "\n";
}

/** fmt.Sprintf. */
export function sprintf(format: string, ...args: unknown[]): string {
  let out = "";
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;
  while (i < end) {
    const next = format.indexOf("%", i);
    if (next < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, next);
    i = next + 1;
    const f = noFlags();
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case "#": f.sharp = true; break;
        case "0": f.zero = !f.minus; break;
        case "+": f.plus = true; break;
        case "-": f.minus = true; f.zero = false; break;
        case " ": f.space = true; break;
        default: break flags;
      }
    }
    const argIndex = () => {
      const m = /^\[(\d+)\]/.exec(format.slice(i));
      if (!m) return;
      reordered = true;
      argNum = Number(m[1]) - 1;
      i += m[0].length;
    };
    argIndex();
    if (format[i] === "*") {
      i++;
      const w = intArg(args[argNum++]);
      if (w === undefined) out += "%!(BADWIDTH)";
      else if (w < 0) {
        f.minus = true;
        f.zero = false;
        f.wid = -w;
      } else f.wid = w;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.wid = Number(m[0]);
        i += m[0].length;
      }
    }
    if (i + 1 <= end && format[i] === ".") {
      i++;
      argIndex();
      if (format[i] === "*") {
        i++;
        const p = intArg(args[argNum++]);
        if (p === undefined) out += "%!(BADPREC)";
        else if (p >= 0) f.prec = p;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === "v") {
      f.sharpV = f.sharp;
      f.sharp = false;
      f.plusV = f.plus;
      f.plus = false;
    }
    out += formatArg(args[argNum++], verb, f);
  }
  if (!reordered && argNum < args.length) {
    out +=
      "%!(EXTRA " +
      args
        .slice(argNum)
        .map((a) => (a === null || a === undefined ? "<nil>" : `${typeName(a)}=${formatArg(a, "v", noFlags())}`))
        .join(", ") +
      ")";
  }
  return out;
}

function intArg(v: unknown): number | undefined {
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, f: Flags, zeroOk = true): string {
  if (f.wid === undefined) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero && zeroOk ? "0" : " ").repeat(n) + s;
}

function badVerb(v: unknown, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatArg(v, "v", noFlags())})`;
}

/** Formats one operand for one verb (Go's printArg). */
export function formatArg(v: unknown, verb: string, f: Flags): string {
  if (v === null || v === undefined) {
    if (verb === "T" || verb === "v") return pad("<nil>", f);
    return badVerb(v, verb);
  }
  if (verb === "T") return pad(typeName(v), f);
  if (verb === "p") return badVerb(v, verb);
  const kind = kindOf(v);
  // error and Stringer values print through their text for string verbs.
  if (!f.sharpV && (kind === "error" || kind === "time" || kind === "struct")) {
    const s = stringerOf(v);
    if (s !== undefined && "vsxXq".includes(verb)) return fmtString(s, verb, f);
  }
  switch (kind) {
    case "bool":
      if (verb === "t" || verb === "v") return pad(v ? "true" : "false", f);
      return badVerb(v, verb);
    case "int":
      return fmtInteger(v as bigint, verb, f);
    case "float":
      return fmtFloatVerb(v as number, verb, f);
    case "string":
      return fmtString(v as string, verb, f);
    case "bytes":
      if (verb === "s" || verb === "q" || verb === "x" || verb === "X") return fmtString(fromBytes(v as Uint8Array), verb, f);
      return fmtList([...(v as Uint8Array)].map((b) => BigInt(b)), verb, f, "[]byte");
    case "slice":
      return fmtList(v as unknown[], verb, f, "[]interface {}");
    case "map": {
      const entries = mapEntries(v as Record<string, unknown>);
      if (f.sharpV) {
        return "map[string]interface {}{" + entries.map(([k, x]) => `${formatArg(k, "v", f)}:${formatArg(x, "v", f)}`).join(", ") + "}";
      }
      return "map[" + entries.map(([k, x]) => `${formatArg(k, verb, f)}:${formatArg(x, verb, f)}`).join(" ") + "]";
    }
    case "func":
      if (verb === "v") return pad("0x1", f);
      return badVerb(v, verb);
    case "time":
      return pad(timeString(v as never), f);
    default: {
      const fields = Object.entries(v as object);
      const body = fields.map(([k, x]) => (f.plusV || f.sharpV ? `${k}:` : "") + formatArg(x, verb, f)).join(f.sharpV ? ", " : " ");
      return (f.sharpV ? typeName(v) : "") + "{" + body + "}";
    }
  }
}

function fmtList(items: readonly unknown[], verb: string, f: Flags, type: string): string {
  if (f.sharpV) return type + "{" + items.map((x) => formatArg(x, "v", f)).join(", ") + "}";
  return "[" + items.map((x) => formatArg(x, verb, f)).join(" ") + "]";
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case "v":
      if (f.sharpV) return pad(quote(s), f);
      return pad(truncate(s, f), f);
    case "s":
      return pad(truncate(s, f), f);
    case "q": {
      const t = truncate(s, f);
      if (f.sharp && !t.includes("`") && [...t].every((c) => c === "\t" || isPrint(c.codePointAt(0)!))) return pad("`" + t + "`", f);
      return pad(quote(t, '"', f.plus), f);
    }
    case "x":
    case "X": {
      let bytes = toBytes(s);
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      return pad(hexBytes(bytes, verb === "X", f), f);
    }
  }
  return badVerb(s, verb);
}

function truncate(s: string, f: Flags): string {
  if (f.prec === undefined) return s;
  return [...s].slice(0, f.prec).join("");
}

function hexBytes(b: Uint8Array, upper: boolean, f: Flags): string {
  const parts = [...b].map((x) => x.toString(16).padStart(2, "0"));
  let out: string;
  if (f.space) out = parts.map((p) => (f.sharp ? "0x" + p : p)).join(" ");
  else out = (f.sharp && parts.length ? "0x" : "") + parts.join("");
  return upper ? out.toUpperCase() : out;
}

function fmtInteger(n: bigint, verb: string, f: Flags): string {
  let base: number;
  switch (verb) {
    case "v":
    case "d":
      base = 10;
      break;
    case "b":
      base = 2;
      break;
    case "o":
    case "O":
      base = 8;
      break;
    case "x":
    case "X":
      base = 16;
      break;
    case "c":
      return pad(String.fromCodePoint(validRune(n)), f);
    case "q":
      return pad(quoteRune(validRune(n)), f);
    case "U": {
      const cp = n < 0n ? 0 : Number(n);
      let s = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
      if (f.sharp && cp <= 0x10ffff && isPrint(cp)) s += " '" + String.fromCodePoint(cp) + "'";
      return pad(s, f);
    }
    case "e": case "E": case "f": case "F": case "g": case "G":
      return badVerb(n, verb);
    default:
      return badVerb(n, verb);
  }
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString(base);
  if (verb === "X") digits = digits.toUpperCase();
  if (f.prec !== undefined) {
    if (f.prec === 0 && n === 0n) digits = "";
    else digits = digits.padStart(f.prec, "0");
  } else if (f.zero && f.wid !== undefined && !f.minus) {
    let w = f.wid;
    if (neg || f.plus || f.space) w--;
    if (f.sharp && base === 16) w -= 2;
    digits = digits.padStart(w, "0");
  }
  let prefix = "";
  if (f.sharp) {
    if (base === 8 && digits[0] !== "0") prefix = "0";
    else if (base === 16) prefix = verb === "X" ? "0X" : "0x";
    else if (base === 2) prefix = "0b";
  }
  if (verb === "O") prefix = "0o";
  const sign = neg ? "-" : f.plus ? "+" : f.space ? " " : "";
  return pad(sign + prefix + digits, f, false);
}

function validRune(n: bigint): number {
  if (n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn)) return 0xfffd;
  return Number(n);
}

export function quoteRune(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  return quote(ch, "'");
}

function fmtFloatVerb(x: number, verb: string, f: Flags): string {
  let fmtc: "e" | "E" | "f" | "g" | "G";
  let prec = f.prec ?? -1;
  switch (verb) {
    case "v":
      fmtc = "g";
      prec = -1;
      break;
    case "g":
    case "G":
      fmtc = verb;
      break;
    case "e":
    case "E":
    case "f":
      fmtc = verb;
      if (f.prec === undefined) prec = 6;
      break;
    case "F":
      fmtc = "f";
      if (f.prec === undefined) prec = 6;
      break;
    default:
      return badVerb(x, verb);
  }
  if (!Number.isFinite(x)) {
    // Infinities keep their sign; NaN only shows one when asked. Neither is zero padded.
    let s: string;
    if (Number.isNaN(x)) s = (f.plus ? "+" : f.space ? " " : "") + "NaN";
    else s = x < 0 ? "-Inf" : f.space && !f.plus ? " Inf" : "+Inf";
    return pad(s, { ...f, zero: false });
  }
  let num = formatFloat(x, fmtc, prec);
  if (f.sharp && fmtc !== "f" && !num.includes(".")) {
    const e = num.search(/[eE]/);
    num = e < 0 ? num + "." : num.slice(0, e) + "." + num.slice(e);
  }
  let sign = "";
  if (num[0] === "-") {
    sign = "-";
    num = num.slice(1);
  } else if (f.plus) sign = "+";
  else if (f.space) sign = " ";
  if (f.zero && f.wid !== undefined && !f.minus) return sign + num.padStart(f.wid - sign.length, "0");
  return pad(sign + num, f);
}

/** fmt's %v of a time.Time (also what print shows). */
export function formatGoTime(v: unknown): string | undefined {
  return isGoTime(v) ? timeString(v) : undefined;
}
