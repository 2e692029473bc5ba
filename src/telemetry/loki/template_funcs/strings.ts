// Go strings-package functions (Alloy's stage.template extras use them
// directly) and sprig's string functions.

import { GoRegexp, quoteMeta } from "../../../gocompat/regexp.ts";
import { quote } from "../../../gocompat/strconv.ts";
import { goFunc, type FuncMap } from "../../../gocompat/template/template.ts";
import { strval } from "./convert.ts";

/** unicode.IsSpace. */
export function isGoSpace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);
}

export function goTrimSpace(s: string): string {
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && isGoSpace(chars[a]!)) a++;
  while (b > a && isGoSpace(chars[b - 1]!)) b--;
  return chars.slice(a, b).join("");
}

/** Simple (one-to-one) case mapping as Go's unicode.ToUpper/ToLower, unlike JS's full mapping ("ß" stays "ß"). */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function mapCase(s: string, upper: boolean): string {
  if (ASCII_ONLY.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const c of s) {
    const m = upper ? c.toUpperCase() : c.toLowerCase();
    out += [...m].length === 1 ? m : c;
  }
  return out;
}
export const goToUpper = (s: string) => mapCase(s, true);
export const goToLower = (s: string) => mapCase(s, false);

function trimLeftSet(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  while (a < chars.length && set.has(chars[a]!)) a++;
  return chars.slice(a).join("");
}
function trimRightSet(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let b = chars.length;
  while (b > 0 && set.has(chars[b - 1]!)) b--;
  return chars.slice(0, b).join("");
}

/** strings.Replace(s, old, new, n): n < 0 replaces all; empty old matches between runes. */
export function goReplace(s: string, old: string, rep: string, n: bigint): string {
  if (old === rep || n === 0n) return s;
  let count = n < 0n ? Infinity : Number(n);
  if (old === "") {
    const chars = [...s];
    let out = "";
    for (let i = 0; i <= chars.length; i++) {
      if (count > 0) {
        out += rep;
        count--;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  let out = "";
  let i = 0;
  while (count > 0) {
    const j = s.indexOf(old, i);
    if (j < 0) break;
    out += s.slice(i, j) + rep;
    i = j + old.length;
    count--;
  }
  return out + s.slice(i);
}

const S = "string";

export const GO_STRINGS_FUNCS: FuncMap = {
  ToLower: goFunc([S], goToLower),
  ToUpper: goFunc([S], goToUpper),
  Replace: goFunc([S, S, S, "int"], goReplace),
  Trim: goFunc([S, S], (s: string, c: string) => trimRightSet(trimLeftSet(s, c), c)),
  TrimLeft: goFunc([S, S], trimLeftSet),
  TrimRight: goFunc([S, S], trimRightSet),
  TrimPrefix: goFunc([S, S], (s: string, p: string) => (p !== "" && s.startsWith(p) ? s.slice(p.length) : s)),
  TrimSuffix: goFunc([S, S], (s: string, p: string) => (p !== "" && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  TrimSpace: goFunc([S], goTrimSpace),
};

const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "");
const splitCase = (s: string) =>
  s
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");

function title(s: string): string {
  // strings.Title: upper-case the first letter of each word (words split at non-letters).
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + goToUpper(b));
}

function substr(start: bigint, end: bigint, s: string): string {
  const len = BigInt(s.length);
  if (start < 0n) return s.slice(0, Number(end < 0n ? len : end));
  if (end < 0n || end > len) return s.slice(Number(start));
  return s.slice(Number(start), Number(end));
}

function trunc(c: bigint, s: string): string {
  const n = Number(c);
  if (c < 0n && s.length + n > 0) return s.slice(s.length + n);
  if (c >= 0n && s.length > n) return s.slice(0, n);
  return s;
}

function abbrev(width: bigint, s: string): string {
  const w = Number(width);
  if (w < 4 || s.length <= w) return s;
  return s.slice(0, w - 3) + "...";
}

function wrapWith(width: number, sep: string, s: string): string {
  // Word wrap at spaces; words longer than width stay whole (goutils.WrapCustom without long-word breaking).
  const lines: string[] = [];
  for (const para of s.split("\n")) {
    let line = "";
    for (const w of para.split(" ").filter((x) => x !== "")) {
      if (line === "") line = w;
      else if (line.length + 1 + w.length <= width) line += " " + w;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines.join(sep);
}

const re = (r: string) => GoRegexp.mustCompile(r);
const compile = (r: string) => GoRegexp.compile(r);

export const SPRIG_STRING_FUNCS: FuncMap = {
  trim: goFunc([S], goTrimSpace),
  trimAll: goFunc([S, S], (cut: string, s: string) => trimRightSet(trimLeftSet(s, cut), cut)),
  trimSuffix: goFunc([S, S], (suf: string, s: string) => (suf !== "" && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s)),
  trimPrefix: goFunc([S, S], (pre: string, s: string) => (pre !== "" && s.startsWith(pre) ? s.slice(pre.length) : s)),
  upper: goFunc([S], goToUpper),
  lower: goFunc([S], goToLower),
  title: goFunc([S], title),
  untitle: goFunc([S], (s: string) => s.replace(/(^|\s)(\p{L})/gu, (_m, a: string, b: string) => a + goToLower(b))),
  repeat: goFunc(["int", S], (n: bigint, s: string) => s.repeat(Number(n))),
  substr: goFunc(["int", "int", S], substr),
  nospace: goFunc([S], (s: string) => [...s].filter((c) => !isGoSpace(c)).join("")),
  trunc: goFunc(["int", S], trunc),
  abbrev: goFunc(["int", S], abbrev),
  abbrevboth: goFunc(["int", "int", S], (l: bigint, r: bigint, s: string) => {
    const left = Number(l);
    let t = s;
    if (left > 4 && s.length > Number(r)) t = "..." + s.slice(left);
    return abbrev(r, t);
  }),
  initials: goFunc([S], (s: string) => words(s).map((w) => [...w][0]).join("")),
  wrap: goFunc(["int", S], (n: bigint, s: string) => wrapWith(Number(n), "\n", s)),
  wrapWith: goFunc(["int", S, S], (n: bigint, sep: string, s: string) => wrapWith(Number(n), sep, s)),
  contains: goFunc([S, S], (sub: string, s: string) => s.includes(sub)),
  hasPrefix: goFunc([S, S], (p: string, s: string) => s.startsWith(p)),
  hasSuffix: goFunc([S, S], (p: string, s: string) => s.endsWith(p)),
  quote: goFunc(["any"], (...a: unknown[]) => a.filter((x) => x !== null).map((x) => quote(strval(x))).join(" "), true),
  squote: goFunc(["any"], (...a: unknown[]) => a.filter((x) => x !== null).map((x) => `'${strval(x)}'`).join(" "), true),
  cat: goFunc(["any"], (...a: unknown[]) => a.filter((x) => x !== null).map(strval).join(" "), true),
  indent: goFunc(["int", S], (n: bigint, s: string) => {
    const pad = " ".repeat(Number(n));
    return pad + s.replaceAll("\n", "\n" + pad);
  }),
  nindent: goFunc(["int", S], (n: bigint, s: string) => {
    const pad = " ".repeat(Number(n));
    return "\n" + pad + s.replaceAll("\n", "\n" + pad);
  }),
  replace: goFunc([S, S, S], (o: string, n: string, s: string) => goReplace(s, o, n, -1n)),
  plural: goFunc([S, S, "int"], (one: string, many: string, n: bigint) => (n === 1n ? one : many)),
  snakecase: goFunc([S], (s: string) => splitCase(s).map(goToLower).join("_")),
  camelcase: goFunc([S], (s: string) => s.split(/[_\s]+/).filter((w) => w).map((w) => goToUpper(w[0]!) + w.slice(1)).join("")),
  kebabcase: goFunc([S], (s: string) => splitCase(s).map(goToLower).join("-")),
  swapcase: goFunc([S], (s: string) => [...s].map((c) => (c === goToUpper(c) ? goToLower(c) : goToUpper(c))).join("")),
  shuffle: goFunc([S], (s: string) => {
    const a = [...s];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a.join("");
  }),
  toString: goFunc(["any"], strval),
  regexMatch: goFunc([S, S], (r: string, s: string) => re(r).matchString(s)),
  mustRegexMatch: goFunc([S, S], (r: string, s: string) => compile(r).matchString(s)),
  regexFind: goFunc([S, S], (r: string, s: string) => re(r).findString(s)),
  mustRegexFind: goFunc([S, S], (r: string, s: string) => compile(r).findString(s)),
  regexFindAll: goFunc([S, S, "int"], (r: string, s: string, n: bigint) => re(r).findAllString(s, Number(n))),
  mustRegexFindAll: goFunc([S, S, "int"], (r: string, s: string, n: bigint) => compile(r).findAllString(s, Number(n))),
  regexReplaceAll: goFunc([S, S, S], (r: string, s: string, repl: string) => re(r).replaceAllString(s, repl)),
  mustRegexReplaceAll: goFunc([S, S, S], (r: string, s: string, repl: string) => compile(r).replaceAllString(s, repl)),
  regexReplaceAllLiteral: goFunc([S, S, S], (r: string, s: string, repl: string) => re(r).replaceAllLiteralString(s, repl)),
  mustRegexReplaceAllLiteral: goFunc([S, S, S], (r: string, s: string, repl: string) => compile(r).replaceAllLiteralString(s, repl)),
  regexSplit: goFunc([S, S, "int"], (r: string, s: string, n: bigint) => re(r).split(s, Number(n))),
  mustRegexSplit: goFunc([S, S, "int"], (r: string, s: string, n: bigint) => compile(r).split(s, Number(n))),
  regexQuoteMeta: goFunc([S], quoteMeta),
  split: goFunc([S, S], (sep: string, s: string) => Object.fromEntries(goSplit(s, sep).map((p, i) => [`_${i}`, p]))),
  splitList: goFunc([S, S], (sep: string, s: string) => goSplit(s, sep)),
  splitn: goFunc([S, "int", S], (sep: string, n: bigint, s: string) => {
    const parts = goSplit(s, sep);
    const k = Number(n);
    const out = k > 0 && parts.length > k ? [...parts.slice(0, k - 1), parts.slice(k - 1).join(sep)] : parts;
    return Object.fromEntries(out.map((p, i) => [`_${i}`, p]));
  }),
};

/** strings.Split: an empty separator splits into runes. */
export function goSplit(s: string, sep: string): string[] {
  return sep === "" ? [...s] : s.split(sep);
}
