// Go's regexp (RE2 syntax and semantics). Every pattern is validated by
// re2js, so syntax errors read exactly like Go's ("error parsing regexp:
// missing closing ): `(`") and Perl-only constructs (lookaround,
// backreferences) are refused. Patterns in the common subset are then run by
// a translated native RegExp (fast); the rest by re2js (exact RE2).
//
// Translation keeps RE2 meaning: `.` excludes only \n, \s is [\t\n\f\r ],
// \w \d \b are ASCII, `{` that is not a repeat is literal, (?i)/(?s) prefixes
// become flags. Anything else (\p classes, \Q…\E, mid-pattern (?i), (?m),
// (?U), POSIX classes other than the ASCII ones) falls back to re2js.
// Scoped (?i:...) groups use JavaScript regexp modifiers.
// Indices are JavaScript string indices, not Go byte offsets.

import { RE2JS } from "re2js";

export class RegexpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegexpError";
  }
}

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7f", blank: "\\t ", cntrl: "\\x00-\\x1f\\x7f", digit: "0-9",
  graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ", upper: "A-Z",
  word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

class Untranslatable extends Error {}

const hexEsc = (c: string) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0");

/** Translates an RE2 pattern to a JavaScript source and flags, or throws Untranslatable. */
function translate(expr: string): { source: string; flags: string } {
  let i = 0;
  let flags = "";
  let dotAll = false;
  const lead = /^\(\?([is]+)\)/.exec(expr);
  if (lead) {
    if (lead[1]!.includes("i")) flags += "i";
    if (lead[1]!.includes("s")) dotAll = true;
    i = lead[0].length;
  }
  let out = "";
  // dotAll in force for each open group, so (?s:...) scopes end with their group.
  const groupDotAll: boolean[] = [];
  const escape = (inClass: boolean): string => {
    const c = expr[i + 1];
    if (c === undefined) throw new Untranslatable();
    i += 2;
    switch (c) {
      case "d": case "D": case "w": case "W": case "n": case "t": case "r": case "f": case "v":
        return "\\" + c;
      case "b": case "B":
        if (inClass) throw new Untranslatable();
        return "\\" + c;
      case "s":
        return inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
      case "S":
        if (inClass) throw new Untranslatable();
        return "[^\\t\\n\\f\\r ]";
      case "a":
        return "\\x07";
      case "A":
        if (inClass) throw new Untranslatable();
        return "^";
      case "z":
        if (inClass) throw new Untranslatable();
        return "$";
      case "x": {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{2})/.exec(expr.slice(i));
        if (!m) throw new Untranslatable();
        i += m[0].length;
        return `\\u{${m[1] ?? m[2]}}`;
      }
    }
    if (/[!-/:-@[-`{-~]/.test(c)) return hexEsc(c);
    throw new Untranslatable();
  };
  // JavaScript skips a quantified group's iteration that matches empty, RE2 does not
  // (`(a*)?` on "a" captures "" in RE2, nothing in JS), so quantified groups that can
  // match empty go to re2js. Nullability is tracked per group and alternative.
  // Also, JS clears captures nested in a repeated group on each iteration while RE2
  // keeps their last match, so repeated groups holding capturing groups go to re2js too.
  // And a repeated group holding a repetition or an alternation (`(a+)+`, `(a|a)*`) can
  // backtrack exponentially in JS; RE2 promises linear time, so those run on re2js.
  const frames: { nullable: boolean; alt: boolean; captures: boolean; complex: boolean }[] = [
    { nullable: false, alt: true, captures: false, complex: false },
  ];
  let pending: { nullable: boolean; group: boolean; innerCaptures?: boolean; complex?: boolean } | undefined;
  const commit = () => {
    if (pending) frames[frames.length - 1]!.alt &&= pending.nullable;
    pending = undefined;
  };
  const quantified = (min0: boolean) => {
    if (!pending) return; // RE2 already refused a quantifier with nothing to repeat
    if (pending.group && (pending.nullable || pending.innerCaptures || pending.complex)) throw new Untranslatable();
    frames[frames.length - 1]!.complex = true;
    pending = { nullable: min0 || pending.nullable, group: false };
    commit();
    if (expr[i] === "?") {
      out += "?"; // lazy
      i++;
    }
  };
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === "*" || c === "+" || c === "?") {
      out += c;
      i++;
      quantified(c !== "+");
      continue;
    }
    if (c === "{") {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(expr.slice(i));
      if (rep && pending) {
        out += rep[0];
        i += rep[0].length;
        quantified(rep[1] === "0" || Number(rep[1]) === 0);
      } else {
        commit();
        out += "\\{";
        i++;
        pending = { nullable: false, group: false };
      }
      continue;
    }
    commit();
    if (c === "\\") {
      const zeroWidth = "bBAz".includes(expr[i + 1] ?? "");
      out += escape(false);
      pending = { nullable: zeroWidth, group: false };
      continue;
    }
    if (c === "^" || c === "$") {
      out += c;
      i++;
      pending = { nullable: true, group: false };
      continue;
    }
    if (c === "|") {
      const f = frames[frames.length - 1]!;
      f.nullable ||= f.alt;
      f.alt = true;
      f.complex = true;
      out += "|";
      i++;
      continue;
    }
    if (c === ".") {
      out += dotAll ? "[\\s\\S]" : "[^\\n]";
      i++;
      pending = { nullable: false, group: false };
      continue;
    }
    if (c === "(") {
      groupDotAll.push(dotAll);
      const capturing = expr[i + 1] !== "?" || /^\(\?P?<[A-Za-z_]/.test(expr.slice(i));
      if (capturing) for (const f of frames) f.captures = true;
      frames.push({ nullable: false, alt: true, captures: false, complex: false });
      if (expr[i + 1] === "?") {
        const rest = expr.slice(i);
        const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        const scoped = /^\(\?([is]*)(?:-([is]*))?:/.exec(rest);
        if (named) {
          out += `(?<${named[1]}>`;
          i += named[0].length;
        } else if (scoped) {
          const on = scoped[1] ?? "";
          const off = scoped[2] ?? "";
          if (on.includes("s")) dotAll = true;
          if (off.includes("s")) dotAll = false;
          const mods = (on.includes("i") ? "i" : "") + (off.includes("i") ? "-i" : "");
          out += mods ? `(?${mods}:` : "(?:";
          i += scoped[0].length;
        } else throw new Untranslatable();
      } else {
        out += "(";
        i++;
      }
      continue;
    }
    if (c === ")") {
      if (groupDotAll.length > 0) dotAll = groupDotAll.pop()!;
      const f = frames.length > 1 ? frames.pop()! : { nullable: true, alt: true, captures: false, complex: false };
      if (f.complex) frames[frames.length - 1]!.complex = true;
      pending = { nullable: f.nullable || f.alt, group: true, innerCaptures: f.captures, complex: f.complex };
      out += ")";
      i++;
      continue;
    }
    if (c === "}" || c === "]" || c === "/") {
      out += "\\" + c;
      i++;
      pending = { nullable: false, group: false };
      continue;
    }
    if (c === "[") {
      i++;
      let cls = "[";
      if (expr[i] === "^") {
        cls += "^";
        i++;
      }
      let first = true;
      while (i < expr.length && (expr[i] !== "]" || first)) {
        const d = expr[i]!;
        first = false;
        if (d === "[" && expr[i + 1] === ":") {
          const m = /^\[:(\^?)([a-z]+):\]/.exec(expr.slice(i));
          if (!m || m[1] || !POSIX[m[2]!]) throw new Untranslatable();
          cls += POSIX[m[2]!];
          i += m[0].length;
        } else if (d === "\\") {
          cls += escape(true);
        } else if (/[[\]{}()|/\-^]/.test(d) && !(d === "-" && expr[i - 1] !== "[" && expr[i + 1] !== "]")) {
          cls += hexEsc(d);
          i++;
        } else {
          cls += d;
          i += d.length;
        }
      }
      if (expr[i] !== "]") throw new Untranslatable();
      i++;
      out += cls + "]";
      pending = { nullable: false, group: false };
      continue;
    }
    out += c;
    i += 1;
    pending = { nullable: false, group: false };
  }
  return { source: out, flags };
}

type Matcher = (s: string, from: number) => number[] | null;

export class GoRegexp {
  private readonly names: string[];
  private readonly exec: Matcher;
  /** True when matching runs on a native RegExp (for tests and benchmarks). */
  readonly native: boolean;

  private constructor(
    readonly source: string,
    engine: "auto" | "re2" = "auto",
  ) {
    let re2: RE2JS;
    try {
      re2 = RE2JS.compile(source);
    } catch (err) {
      throw new RegexpError((err as Error).message);
    }
    const groups = re2.groupCount();
    this.names = [""];
    const named = new Map<number, string>();
    for (const [name, idx] of Object.entries(re2.namedGroups() as Record<string, number>)) named.set(idx, name);
    for (let g = 1; g <= groups; g++) this.names.push(named.get(g) ?? "");
    let native: RegExp | undefined;
    if (engine === "auto") {
      try {
        const t = translate(source);
        native = new RegExp(t.source, t.flags + "gdu");
      } catch {
        native = undefined;
      }
    }
    this.native = native !== undefined;
    if (native) {
      const re = native;
      this.exec = (s, from) => {
        re.lastIndex = from;
        const m = re.exec(s);
        if (!m) return null;
        const out: number[] = [];
        for (const pair of m.indices!) out.push(pair ? pair[0] : -1, pair ? pair[1] : -1);
        return out;
      };
    } else {
      this.exec = (s, from) => {
        const m = re2.matcher(s);
        if (!m.find(from)) return null;
        const out: number[] = [];
        for (let g = 0; g <= groups; g++) out.push(m.start(g), m.end(g));
        return out;
      };
    }
  }

  /** Go's regexp.Compile; throws RegexpError with Go's message. */
  static compile(expr: string): GoRegexp {
    return new GoRegexp(expr);
  }

  /** Always matches with re2js (the reference the native translation is tested against). */
  static compileRE2(expr: string): GoRegexp {
    return new GoRegexp(expr, "re2");
  }

  /** Go's regexp.MustCompile message shape: regexp: Compile(`x`): error parsing regexp: ... */
  static mustCompile(expr: string): GoRegexp {
    try {
      return new GoRegexp(expr);
    } catch (err) {
      throw new RegexpError(`regexp: Compile(${"`" + expr + "`"}): ${(err as Error).message}`);
    }
  }

  numSubexp(): number {
    return this.names.length - 1;
  }

  /** Group names, index 0 is the whole match (""), unnamed groups are "". */
  subexpNames(): readonly string[] {
    return this.names;
  }

  subexpIndex(name: string): number {
    return name === "" ? -1 : this.names.indexOf(name);
  }

  matchString(s: string): boolean {
    return this.exec(s, 0) !== null;
  }

  /** [start, end, g1start, g1end, ...] with -1 for groups that did not take part. */
  findStringSubmatchIndex(s: string): number[] | null {
    return this.exec(s, 0);
  }

  /** The match and groups; groups that did not take part are "" as in Go (see findStringSubmatchIndex to tell). */
  findStringSubmatch(s: string): string[] | null {
    const m = this.exec(s, 0);
    return m ? groupsOf(s, m) : null;
  }

  findString(s: string): string {
    const m = this.exec(s, 0);
    return m ? s.slice(m[0], m[1]) : "";
  }

  /** Successive non-overlapping matches, Go's rules for empty matches; n < 0 means all. */
  findAllStringSubmatchIndex(s: string, n = -1): number[][] {
    const out: number[][] = [];
    let pos = 0;
    let prevEnd = -1;
    while ((n < 0 || out.length < n) && pos <= s.length) {
      const m = this.exec(s, pos);
      if (!m) break;
      let accept = true;
      if (m[1] === pos && m[0] === m[1]) {
        if (m[0] === prevEnd) accept = false;
        const cp = s.codePointAt(pos);
        pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
      } else pos = m[1]!;
      prevEnd = m[1]!;
      if (accept) out.push(m);
    }
    return out;
  }

  findAllString(s: string, n = -1): string[] {
    return this.findAllStringSubmatchIndex(s, n).map((m) => s.slice(m[0], m[1]));
  }

  findAllStringSubmatch(s: string, n = -1): string[][] {
    return this.findAllStringSubmatchIndex(s, n).map((m) => groupsOf(s, m));
  }

  /** Go's ReplaceAllString: $1, ${1}, $name, ${name} expand; $$ is a dollar. */
  replaceAllString(src: string, repl: string): string {
    return this.replace(src, (m) => this.expand(repl, src, m));
  }

  replaceAllLiteralString(src: string, repl: string): string {
    return this.replace(src, () => repl);
  }

  replaceAllStringFunc(src: string, fn: (match: string) => string): string {
    return this.replace(src, (m) => fn(src.slice(m[0], m[1])));
  }

  private replace(src: string, sub: (m: number[]) => string): string {
    let out = "";
    let last = 0;
    for (const m of this.findAllStringSubmatchIndex(src)) {
      out += src.slice(last, m[0]) + sub(m);
      last = m[1]!;
    }
    return out + src.slice(last);
  }

  /** Go's Regexp.ExpandString for one match. */
  expand(template: string, src: string, m: number[]): string {
    let out = "";
    let t = template;
    for (;;) {
      const k = t.indexOf("$");
      if (k < 0) break;
      out += t.slice(0, k);
      t = t.slice(k + 1);
      if (t[0] === "$") {
        out += "$";
        t = t.slice(1);
        continue;
      }
      const ex = extractName(t);
      if (!ex) {
        out += "$";
        continue;
      }
      t = ex.rest;
      let g = ex.num;
      if (g < 0) g = this.names.indexOf(ex.name, 1);
      if (g >= 0 && 2 * g + 1 < m.length && m[2 * g]! >= 0) out += src.slice(m[2 * g], m[2 * g + 1]);
    }
    return out + t;
  }

  split(s: string, n = -1): string[] {
    if (n === 0) return [];
    if (this.source.length > 0 && s.length === 0) return [""];
    const matches = this.findAllStringSubmatchIndex(s, n);
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of matches) {
      if (n > 0 && out.length === n - 1) break;
      end = m[0]!;
      if (m[1] === 0) continue;
      out.push(s.slice(beg, end));
      beg = m[1]!;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
}

function groupsOf(s: string, m: number[]): string[] {
  const out: string[] = [];
  for (let g = 0; g < m.length; g += 2) out.push(m[g]! >= 0 ? s.slice(m[g], m[g + 1]) : "");
  return out;
}

function extractName(str: string): { name: string; num: number; rest: string } | undefined {
  if (str === "") return undefined;
  let brace = false;
  if (str[0] === "{") {
    brace = true;
    str = str.slice(1);
  }
  const m = /^[\p{L}\p{Nd}_]+/u.exec(str);
  if (!m) return undefined;
  const name = m[0];
  let i = name.length;
  if (brace) {
    if (str[i] !== "}") return undefined;
    i++;
  }
  let num = /^\d+$/.test(name) && name.length < 9 ? Number(name) : -1;
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: str.slice(i) };
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
