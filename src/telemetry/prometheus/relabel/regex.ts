// RE2 regular expressions for relabeling, fully anchored as Alloy anchors them
// (`^(?:<regex>)$`). Every pattern is first compiled with re2js, which is the RE2
// parser: invalid syntax and RE2-only rules (no backreferences or lookarounds,
// repeat counts ≤ 1000) are rejected with Go's own messages. The pattern is then
// translated to an equivalent JavaScript RegExp (`u` flag), because matching with
// the engine's RegExp is 7–25× faster than re2js on the relabel hot path
// (measured: ~0.7 µs vs 5.5–17 µs per exec on metric names). Constructs whose
// meaning differs and that are not rewritten here — flag groups other than a
// leading one, (?m), (?U), octal escapes, \C, negated POSIX classes, \S inside a
// class, \w/\b under (?i) — keep using re2js, so results never depend on the engine.
//
// Rewrites: `.` → `[^\n]` (JS `.` also stops at \r, \u2028, \u2029), `\s` → ASCII
// `[\t\n\f\r ]` (JS \s is Unicode), `\A`/`\z` → look-arounds, `\Q…\E` → escaped
// literals, `[[:alpha:]]` → ASCII ranges, `\pN`/`\p{Greek}` → `\p{N}`/
// `\p{Script=Greek}`, `\x{263a}` → `\u{263a}`, `(?P<n>` → `(?<n>`, literal `{`,
// `}`, `]` and escaped punctuation → forms the `u` flag accepts.

import { RE2JS } from "re2js";
import { GoRegexp } from "../../../gocompat/regexp.ts";

export class RegexError extends Error {
  override name = "RegexError";
}

/** A compiled, anchored RE2 pattern. */
export interface Re2Regexp {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** Which engine matches: "js" (translated RegExp) or "re2js". */
  readonly engine: "js" | "re2js";
  /** Number of capture groups. */
  readonly groupCount: number;
  /** Named groups → group index. */
  readonly groupNames: ReadonlyMap<string, number>;
  test(s: string): boolean;
  /** Capture groups of a full match ([0] is the whole input), or null. Unset groups are undefined. */
  exec(s: string): (string | undefined)[] | null;
}

const SYNTAX = new Set("^$\\.*+?()[]{}|/");
const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};
const CATEGORIES = new Set([
  "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
  "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
]);

class Untranslatable extends Error {}

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** Escape for one code point written literally inside or outside a class. */
function literal(ch: string, inClass: boolean): string {
  if (SYNTAX.has(ch) || (inClass && ch === "-")) return `\\${ch}`;
  return ch;
}

interface Translation {
  pattern: string;
  flags: string;
}

function translate(src: string, dotAll: boolean): Translation {
  let flags = "u";
  let i = 0;
  let ci = false;
  // A leading flag group applies to the whole pattern and maps to RegExp flags.
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === "i") ci = true;
      else if (f === "s") dotAll = true;
      else throw new Untranslatable();
    }
    i = lead[0].length;
  }
  if (ci) flags += "i";
  let out = "";
  const cp = (at: number) => src.codePointAt(at)!;
  const chLen = (at: number) => (cp(at) > 0xffff ? 2 : 1);

  const escape = (inClass: boolean): string => {
    // src[i] is the backslash.
    const c = src[i + 1]!;
    i += 2;
    switch (c) {
      case "d": case "D": case "w": case "W":
        if (ci && (c === "w" || c === "W")) throw new Untranslatable();
        return `\\${c}`;
      case "b": case "B":
        if (inClass || ci) throw new Untranslatable();
        return `\\${c}`;
      case "s":
        return inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
      case "S":
        if (inClass) throw new Untranslatable();
        return "[^\\t\\n\\f\\r ]";
      case "A":
        return "(?<![^])";
      case "z":
        return "(?![^])";
      case "a": return "\\x07";
      case "f": return "\\f";
      case "t": return "\\t";
      case "n": return "\\n";
      case "r": return "\\r";
      case "v": return "\\v";
      case "x": {
        if (src[i] === "{") {
          const end = src.indexOf("}", i);
          const v = parseInt(src.slice(i + 1, end), 16);
          i = end + 1;
          return hexEscape(v);
        }
        const v = parseInt(src.slice(i, i + 2), 16);
        i += 2;
        return hexEscape(v);
      }
      case "p": case "P": {
        let name: string;
        if (src[i] === "{") {
          const end = src.indexOf("}", i);
          name = src.slice(i + 1, end);
          i = end + 1;
        } else {
          name = src[i]!;
          i++;
        }
        let neg = c === "P";
        if (name.startsWith("^")) {
          neg = !neg;
          name = name.slice(1);
        }
        if (name === "Any") {
          if (inClass) throw new Untranslatable();
          return neg ? "[^\\s\\S]" : "[\\s\\S]";
        }
        const body = CATEGORIES.has(name) ? name : `Script=${name}`;
        return `\\${neg ? "P" : "p"}{${body}}`;
      }
      default: {
        // Escaped punctuation is a literal; anything else (octal, \C, \Q in a class) is left to re2js.
        if (!/[!-\/:-@[-`{-~]/.test(c)) throw new Untranslatable();
        return literal(c, inClass);
      }
    }
  };

  const klass = (): string => {
    // src[i] is "[".
    i++;
    let body = "";
    let negated = false;
    if (src[i] === "^") {
      negated = true;
      i++;
    }
    let first = true;
    for (;;) {
      const c = src[i]!;
      if (c === "]" && !first) {
        i++;
        break;
      }
      first = false;
      if (c === "[" && src[i + 1] === ":") {
        const end = src.indexOf(":]", i + 2);
        const name = src.slice(i + 2, end);
        const set = POSIX[name];
        if (set === undefined) throw new Untranslatable();
        body += set;
        i = end + 2;
        continue;
      }
      if (c === "\\") {
        body += escape(true);
        continue;
      }
      if (c === "-") {
        body += "-";
        i++;
        continue;
      }
      const n = chLen(i);
      body += literal(src.slice(i, i + n), true);
      i += n;
    }
    // A `-` at the edges is literal in RE2; make that explicit for JS.
    body = body.replace(/^-/, "\\-").replace(/(?<!\\)-$/, "\\-");
    return `[${negated ? "^" : ""}${body}]`;
  };

  while (i < src.length) {
    const c = src[i]!;
    switch (c) {
      case "\\":
        if (src[i + 1] === "Q") {
          let end = src.indexOf("\\E", i + 2);
          if (end < 0) end = src.length;
          for (const ch of src.slice(i + 2, end)) out += literal(ch, false);
          i = end + 2;
          continue;
        }
        out += escape(false);
        continue;
      case ".":
        out += dotAll ? "[^]" : "[^\\n]";
        i++;
        continue;
      case "[":
        out += klass();
        continue;
      case "(":
        if (src[i + 1] === "?") {
          if (src.startsWith("(?P<", i)) {
            out += "(?<";
            i += 4;
            continue;
          }
          if (src.startsWith("(?<", i) || src.startsWith("(?:", i)) {
            out += src.slice(i, i + 3);
            i += 3;
            continue;
          }
          throw new Untranslatable();
        }
        out += "(";
        i++;
        continue;
      case "{": {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
        if (m && i > 0) {
          out += m[0];
          i += m[0].length;
        } else {
          out += "\\{";
          i++;
        }
        continue;
      }
      case "}":
      case "]":
        out += `\\${c}`;
        i++;
        continue;
      default: {
        const n = chLen(i);
        out += src.slice(i, i + n);
        i += n;
      }
    }
  }
  return { pattern: out, flags };
}

function re2Error(e: unknown): RegexError {
  const msg = e instanceof Error ? e.message : String(e);
  return new RegexError(msg);
}

export interface CompileOptions {
  /** Prometheus anchors with `(?s:` so `.` matches newlines; Alloy with `(?:`. Default false (Alloy). */
  dotAll?: boolean;
}

/** Compiles `pattern` as an anchored RE2 regex. Throws RegexError with RE2's message when invalid. */
export function compileRegex(pattern: string, opts: CompileOptions = {}): Re2Regexp {
  const dotAll = opts.dotAll ?? false;
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(dotAll ? `^(?s:${pattern})$` : `^(?:${pattern})$`);
  } catch (e) {
    throw re2Error(e);
  }
  const groupCount = re2.groupCount();
  const groupNames = new Map(Object.entries(re2.namedGroups()));
  let js: RegExp | undefined;
  // A repeated group is where a backtracking engine can take exponential time
  // (e.g. `(a+)+`): for those, gocompat's GoRegexp decides whether a native RegExp
  // is safe, and re2js runs the rest.
  const repeatedGroup = /\)[*+?{]/.test(pattern);
  if (!repeatedGroup || GoRegexp.compile(pattern).native) {
    try {
      const t = translate(pattern, dotAll);
      js = new RegExp(`^(?:${t.pattern})$`, t.flags);
    } catch {
      js = undefined;
    }
  }
  if (js !== undefined) {
    const rx = js;
    return {
      source: pattern,
      engine: "js",
      groupCount,
      groupNames,
      test: (s) => rx.test(s),
      exec: (s) => {
        const m = rx.exec(s);
        return m === null ? null : Array.from(m);
      },
    };
  }
  return {
    source: pattern,
    engine: "re2js",
    groupCount,
    groupNames,
    test: (s) => re2.testExact(s),
    exec: (s) => {
      const m = re2.exec(s);
      if (m === null) return null;
      const out: (string | undefined)[] = [];
      for (let g = 0; g <= groupCount; g++) out.push(m[g] ?? undefined);
      return out;
    },
  };
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` and `$$`. A name is the
 * longest run of letters, digits and `_` (`$1x` means group "1x"); unknown or
 * unset groups expand to ""; a malformed `$` is copied literally.
 */
export function expandTemplate(template: string, groups: readonly (string | undefined)[], names: ReadonlyMap<string, number>): string {
  if (template.indexOf("$") < 0) return template;
  let out = "";
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf("$", i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    if (template[i] === "{") {
      let j = i + 1;
      while (j < template.length && isNameChar(template.charCodeAt(j))) j++;
      if (j === i + 1 || template[j] !== "}") {
        out += "$";
        continue;
      }
      name = template.slice(i + 1, j);
      i = j + 1;
    } else {
      let j = i;
      while (j < template.length && isNameChar(template.charCodeAt(j))) j++;
      if (j === i) {
        out += "$";
        continue;
      }
      name = template.slice(i, j);
      i = j;
    }
    let idx: number | undefined;
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      idx = n < groups.length ? n : undefined;
    } else {
      idx = names.get(name);
    }
    if (idx !== undefined) out += groups[idx] ?? "";
  }
  return out;
}
