// Go's fmt.Sprintf for the values string.format receives, including Go's
// in-band error texts (`%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA …)`).
// Arguments arrive as Alloy values and are seen the way Go sees them after
// decoding into interface{}: int, float64, string, bool, []interface {},
// map[string]interface {}, or nil.

import { Capsule, Secret, typeOf, type ObjectValue, type Value } from "./value.ts";
import { decimalDigits, fixedFromDigits, floatParts, fmtE, fmtF } from "./gofloat.ts";

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const MAX_INT64 = (1n << 63n) - 1n;

/** The Go type name of a value decoded into interface{}. */
function goType(v: Value): string {
  switch (typeOf(v)) {
    case "null":
      return "<nil>";
    case "bool":
      return "bool";
    case "string":
      return "string";
    case "number":
      if (typeof v === "number") return "float64";
      return (v as bigint) > MAX_INT64 ? "uint64" : "int";
    case "array":
      return "[]interface {}";
    case "object":
      return "map[string]interface {}";
    case "function":
      return "func";
    case "capsule":
      return v instanceof Secret ? "alloytypes.Secret" : `*${(v as Capsule).typeName}`;
  }
}

const encoder = new TextEncoder();

function isPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  return !(cp >= 0xd800 && cp <= 0xdfff);
}

/** Go's strconv.Quote (printable Unicode kept, the rest escaped). */
export function goQuoteString(s: string, quote = '"'): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (isPrintable(cp)) out += ch;
    else if (cp === 7) out += "\\a";
    else if (cp === 8) out += "\\b";
    else if (cp === 12) out += "\\f";
    else if (cp === 10) out += "\\n";
    else if (cp === 13) out += "\\r";
    else if (cp === 9) out += "\\t";
    else if (cp === 11) out += "\\v";
    else if (cp < 0x80) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + quote;
}

function pad(s: string, spec: Spec, zeroOK = false): string {
  const w = spec.width ?? 0;
  const len = [...s].length;
  if (len >= w) return s;
  const n = w - len;
  if (spec.minus) return s + " ".repeat(n);
  if (spec.zero && zeroOK) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    const rest = sign ? s.slice(1) : s;
    const prefix = /^0[xXbBoO]/.test(rest) ? rest.slice(0, 2) : "";
    return sign + prefix + "0".repeat(n) + rest.slice(prefix.length);
  }
  return " ".repeat(n) + s;
}

function fmtInteger(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n;
  let a = neg ? -n : n;
  let digits: string;
  switch (verb) {
    case "d":
    case "v":
      digits = a.toString(10);
      break;
    case "b":
      digits = a.toString(2);
      break;
    case "o":
    case "O":
      digits = a.toString(8);
      break;
    case "x":
      digits = a.toString(16);
      break;
    case "X":
      digits = a.toString(16).toUpperCase();
      break;
    case "c":
      return pad(String.fromCodePoint(validRune(n)), spec);
    case "q":
      return pad(goQuoteString(String.fromCodePoint(validRune(n)), "'"), spec);
    case "U": {
      let u = "U+" + a.toString(16).toUpperCase().padStart(4, "0");
      if (spec.sharp && isPrintable(Number(a))) u += " '" + String.fromCodePoint(validRune(n)) + "'";
      return pad(u, spec);
    }
    default:
      digits = a.toString(10);
  }
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && a === 0n) digits = "";
    digits = digits.padStart(spec.prec, "0");
  }
  let prefix = "";
  if (spec.sharp) {
    if (verb === "x") prefix = "0x";
    else if (verb === "X") prefix = "0X";
    else if (verb === "b") prefix = "0b";
    else if (verb === "o" && !digits.startsWith("0")) prefix = "0";
  }
  if (verb === "O") prefix = "0o";
  a = 0n;
  const sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return pad(sign + prefix + digits, spec, spec.prec === undefined);
}

function validRune(n: bigint): number {
  return n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn) ? 0xfffd : Number(n);
}

/** Decimal digits and exponent of |f|: shortest when prec is undefined, else rounded to prec significant digits. */
function fmtFloat(f: number, verb: string, spec: Spec): string {
  const neg = f < 0 || Object.is(f, -0);
  let body: string;
  if (Number.isNaN(f)) body = "NaN";
  else if (!Number.isFinite(f)) body = "Inf";
  else {
    switch (verb) {
      case "e":
      case "E": {
        const prec = spec.prec ?? 6;
        const { digits, exp } = f === 0 ? { digits: "0", exp: 0 } : decimalDigits(f, prec + 1);
        body = fmtE(digits, exp, prec, verb);
        break;
      }
      case "f":
      case "F":
        body = fmtF(f, spec.prec ?? 6);
        break;
      default: {
        // %g, %G, %v follow strconv's 'g': shortest digits (or prec significant ones),
        // exponent form when the exponent is < -4 or >= the precision (6 when shortest).
        const letter = verb === "G" ? "E" : "e";
        const shortest = spec.prec === undefined;
        const p = shortest ? undefined : spec.prec === 0 ? 1 : spec.prec;
        const raw = f === 0 ? { digits: "0", exp: 0 } : decimalDigits(f, p);
        const d = raw.digits.replace(/0+$/, "") || "0";
        const nd = d.length;
        const dp = f === 0 ? 1 : raw.exp + 1;
        let prec = shortest ? nd : p!;
        let eprec = prec;
        if (eprec > nd && nd >= dp) eprec = nd;
        if (shortest) eprec = 6;
        const exp = dp - 1;
        if (exp < -4 || exp >= eprec) {
          if (prec > nd) prec = nd;
          body = fmtE(d, exp, prec - 1, letter);
        } else {
          if (prec > dp) prec = nd;
          body = fixedFromDigits(d, dp, Math.max(prec - dp, 0));
        }
        if (spec.sharp && !body.includes(".")) body = body.replace(/^(\d+)/, "$1.");
      }
    }
  }
  const sign = neg && !Number.isNaN(f) ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return pad(sign + body, spec, Number.isFinite(f));
}

/** %b (decimalless mantissa, binary exponent) and %x/%X (hexadecimal mantissa) for floats. */
function fmtFloatBits(f: number, verb: string, spec: Spec): string {
  if (!Number.isFinite(f)) return fmtFloat(f, "g", spec);
  const { neg, exp, mant } = floatParts(f);
  const sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  if (verb === "b") {
    const e = exp;
    return pad(`${sign}${mant}p${e >= 0 ? "+" : "-"}${Math.abs(e)}`, spec);
  }
  let body: string;
  if (mant === 0n) body = "0x0p+00";
  else {
    // Normalize to 1.xxx × 2^e with the leading bit at position 52.
    let m = mant;
    let e = exp + 52;
    while (m < 1n << 52n) {
      m <<= 1n;
      e--;
    }
    let frac = (m & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
    if (spec.prec !== undefined) {
      // Round the 52-bit fraction to prec hex digits (half to even), carrying into the leading digit.
      const drop = 52 - 4 * Math.min(spec.prec, 13);
      let full = m;
      if (drop > 0) {
        const half = 1n << BigInt(drop - 1);
        const rest = full & ((1n << BigInt(drop)) - 1n);
        full >>= BigInt(drop);
        if (rest > half || (rest === half && (full & 1n) === 1n)) full += 1n;
        full <<= BigInt(drop);
        if (full >= 1n << 53n) {
          full >>= 1n;
          e++;
        }
      }
      frac = (full & ((1n << 52n) - 1n)).toString(16).padStart(13, "0").slice(0, spec.prec).padEnd(spec.prec, "0");
    } else frac = frac.replace(/0+$/, "");
    const expText = `p${e >= 0 ? "+" : "-"}${String(Math.abs(e)).padStart(2, "0")}`;
    body = "0x1" + (frac ? "." + frac : "") + expText;
  }
  if (verb === "X") body = body.toUpperCase();
  return pad(sign + body, spec, true);
}

function fmtString(s: string, verb: string, spec: Spec): string {
  let t = s;
  if (spec.prec !== undefined) t = [...t].slice(0, spec.prec).join("");
  switch (verb) {
    case "q":
      return pad(spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f]/.test(t) ? "`" + t + "`" : goQuoteString(t), spec);
    case "x":
    case "X": {
      const bytes = [...encoder.encode(t)].map((b) => b.toString(16).padStart(2, "0"));
      let hex = spec.sharp ? bytes.map((b) => "0x" + b).join(spec.space ? " " : "") : bytes.join(spec.space ? " " : "");
      if (spec.sharp && !spec.space) hex = "0x" + bytes.join("");
      return pad(verb === "X" ? hex.toUpperCase() : hex, spec);
    }
    default:
      return pad(t, spec);
  }
}

function badVerb(verb: string, v: Value): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goType(v)}=${formatValue(v, "v", emptySpec())})`;
}

function emptySpec(): Spec {
  return { minus: false, plus: false, sharp: false, space: false, zero: false };
}

/** Formats one argument with one verb, as fmt's printArg does. */
function formatValue(v: Value, verb: string, spec: Spec): string {
  if (verb === "T") return pad(goType(v), spec);
  switch (typeOf(v)) {
    case "null":
      return verb === "v" ? pad("<nil>", spec) : badVerb(verb, v);
    case "bool":
      return verb === "t" || verb === "v" ? pad(String(v), spec) : badVerb(verb, v);
    case "number":
      if (typeof v === "bigint") return "bcdoOqxXUv".includes(verb) ? fmtInteger(v, verb, spec) : badVerb(verb, v);
      if (verb === "x" || verb === "X" || verb === "b") return fmtFloatBits(v as number, verb, spec);
      return "gGfFeEv".includes(verb) ? fmtFloat(v as number, verb, spec) : badVerb(verb, v);
    case "string":
      return "vsxXq".includes(verb) ? fmtString(v as string, verb, spec) : badVerb(verb, v);
    case "array":
      return "[" + (v as Value[]).map((e) => formatValue(e, verb, spec)).join(" ") + "]";
    case "object": {
      const obj = v as ObjectValue;
      const keys = Object.keys(obj).sort();
      return "map[" + keys.map((k) => `${formatValue(k, verb, spec)}:${formatValue(obj[k]!, verb, spec)}`).join(" ") + "]";
    }
    case "function":
      return pad("func", spec);
    case "capsule":
      if (v instanceof Secret) return "vsxXq".includes(verb) ? fmtString(v.value, verb, spec) : badVerb(verb, v);
      return pad(`capsule(${JSON.stringify((v as Capsule).typeName)})`, spec);
  }
}

/** Go's fmt refuses widths and precisions beyond a million. */
const MAX_WIDTH = 1_000_000n;

/** Go's parsenum: undefined for "crazy long" numbers, which swallow the rest of the format. */
function parseNum(digits: string): number | undefined {
  let num = 0;
  for (const d of digits) {
    if (num > 1_000_000) return undefined;
    num = num * 10 + Number(d);
  }
  return num;
}

/** Go's fmt.Sprintf. */
export function sprintf(format: string, args: readonly Value[]): string {
  let out = "";
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec = emptySpec();
    // Flags.
    for (; i < n; i++) {
      const c = format[i];
      if (c === "-") {
        spec.minus = true;
        spec.zero = false;
      } else if (c === "+") spec.plus = true;
      else if (c === "#") spec.sharp = true;
      else if (c === " ") spec.space = true;
      else if (c === "0") spec.zero = !spec.minus;
      else break;
    }
    const argIndex = (): boolean => {
      if (format[i] !== "[") return true;
      reordered = true;
      const close = format.indexOf("]", i);
      const idx = close > i ? Number(format.slice(i + 1, close)) : NaN;
      if (close < 0 || !Number.isInteger(idx) || idx < 1 || idx > args.length) {
        i = close < 0 ? n : close + 1;
        return false;
      }
      argNum = idx - 1;
      i = close + 1;
      return true;
    };
    let goodArgNum = argIndex();
    // Width.
    if (format[i] === "*") {
      i++;
      const w = args[argNum];
      argNum++;
      if (typeof w === "bigint" && w <= MAX_WIDTH && w >= -MAX_WIDTH) {
        spec.width = Number(w < 0n ? -w : w);
        if (w < 0n) {
          spec.minus = true;
          spec.zero = false;
        }
      } else out += "%!(BADWIDTH)";
      goodArgNum = argIndex() && goodArgNum;
    } else {
      const m = /^[0-9]+/.exec(format.slice(i));
      if (m) {
        const w = parseNum(m[0]);
        if (w === undefined) i = n;
        else {
          spec.width = w;
          i += m[0].length;
        }
      }
    }
    // Precision.
    if (format[i] === ".") {
      i++;
      goodArgNum = argIndex() && goodArgNum;
      if (format[i] === "*") {
        i++;
        const p = args[argNum];
        argNum++;
        if (typeof p === "bigint" && p >= 0n && p <= MAX_WIDTH) spec.prec = Number(p);
        else out += "%!(BADPREC)";
        goodArgNum = argIndex() && goodArgNum;
      } else {
        const m = /^[0-9]*/.exec(format.slice(i))!;
        const p = m[0] === "" ? 0 : parseNum(m[0]);
        if (p === undefined) i = n;
        else {
          spec.prec = p;
          i += m[0].length;
        }
      }
    }
    if (!reordered || goodArgNum) goodArgNum = argIndex() && goodArgNum;
    if (i >= n) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[argNum]!;
    argNum++;
    if (verb === "w" || !/[a-zA-Z]/.test(verb)) {
      out += badVerb(verb, v);
      continue;
    }
    out += formatValue(v, verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out += "%!(EXTRA " + args.slice(argNum).map((v) => (v === null ? "<nil>" : `${goType(v)}=${formatValue(v, "v", emptySpec())}`)).join(", ") + ")";
  }
  return out;
}
