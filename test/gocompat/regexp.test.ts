import { describe, expect, test } from "bun:test";
import { GoRegexp, quoteMeta } from "../../src/gocompat/regexp.ts";

describe("Go regexp", () => {
  test("syntax errors read like Go's", () => {
    expect(() => GoRegexp.compile("(")).toThrow("error parsing regexp: missing closing ): `(`");
    expect(() => GoRegexp.compile("a(?=b)")).toThrow("error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    expect(() => GoRegexp.compile("(a)\\1")).toThrow("invalid escape sequence: `\\1`");
    expect(() => GoRegexp.mustCompile("[a")).toThrow("regexp: Compile(`[a`): error parsing regexp: missing closing ]: `[a`");
  });

  test("RE2 meanings survive translation", () => {
    const dot = GoRegexp.compile("^a.c$");
    expect(dot.native).toBe(true);
    expect(dot.matchString("a\rc")).toBe(true); // JS `.` would not match \r
    expect(dot.matchString("a\nc")).toBe(false);
    expect(GoRegexp.compile("(?s)a.c").matchString("a\nc")).toBe(true);
    expect(GoRegexp.compile("^\\s$").matchString("\u00a0")).toBe(false); // RE2 \s is ASCII only
    expect(GoRegexp.compile("^\\w+$").matchString("héllo")).toBe(false);
    expect(GoRegexp.compile("a{").matchString("a{")).toBe(true);
    expect(GoRegexp.compile("^[[:alpha:]]+$").matchString("abcXYZ")).toBe(true);
    expect(GoRegexp.compile("(?i)HELLO").matchString("hello")).toBe(true);
    expect(GoRegexp.compile("\\#\\-").matchString("#-")).toBe(true);
  });

  test("constructs JS lacks run on re2js with the same results", () => {
    const p = GoRegexp.compile("\\pL+");
    expect(p.native).toBe(false);
    expect(p.findString("12héllo3")).toBe("héllo");
    const q = GoRegexp.compile("\\Qa.b\\E");
    expect(q.matchString("a.b")).toBe(true);
    expect(q.matchString("axb")).toBe(false);
    expect(GoRegexp.compile("a(?i:B)c").matchString("abc")).toBe(true);
  });

  test("named groups and submatches", () => {
    const re = GoRegexp.compile("(?P<key>\\w+)=(?P<val>\\w*)(x)?");
    expect(re.subexpNames()).toEqual(["", "key", "val", ""]);
    expect(re.findStringSubmatch("a=1 b=2")).toEqual(["a=1", "a", "1", ""]);
    expect(re.findStringSubmatchIndex("a=1")).toEqual([0, 3, 0, 1, 2, 3, -1, -1]);
    expect(re.findAllString("a=1 b=2 c=")).toEqual(["a=1", "b=2", "c="]);
  });

  test("ReplaceAllString expands like Go (including $1a meaning group `1a`)", () => {
    const re = GoRegexp.compile("(a*)bc");
    expect(re.replaceAllString("xabcabc", "${1}a")).toBe("xaaaa");
    expect(GoRegexp.compile("a(x*)b").replaceAllString("-ab-axxb-", "${1}W")).toBe("-W-xxW-");
    expect(GoRegexp.compile("a(x*)b").replaceAllString("-ab-axxb-", "$1W")).toBe("---");
    expect(re.replaceAllString("xabcabc", "$1a")).toBe("x");
    expect(re.replaceAllString("abc", "$$")).toBe("$");
    expect(re.replaceAllLiteralString("abc", "$1")).toBe("$1");
    expect(GoRegexp.compile("(?P<w>o)").replaceAllString("foo", "[$w]")).toBe("f[o][o]");
  });

  test("empty matches follow Go's iteration rules", () => {
    expect(GoRegexp.compile("a*").replaceAllString("baaac", "X")).toBe("XbXcX");
    expect(GoRegexp.compile("x*").findAllString("abc")).toEqual(["", "", "", ""]);
    expect(GoRegexp.compile(",").split("a,b,,c")).toEqual(["a", "b", "", "c"]);
  });

  test("QuoteMeta", () => expect(quoteMeta("1.5+[x]")).toBe("1\\.5\\+\\[x\\]"));
});

describe("scoped flag groups", () => {
  test("(?s:...) and (?i:...) translate natively with their scope", () => {
    const a = GoRegexp.compile("^(?s:a.b)$");
    expect(a.native).toBe(true);
    expect(a.matchString("a\nb")).toBe(true);
    const b = GoRegexp.compile("(?s:a.)b.");
    expect(b.matchString("a\nbx")).toBe(true);
    expect(b.matchString("a\nb\n")).toBe(false); // the second dot is outside the (?s:) group
    const c = GoRegexp.compile("(?i:ab)C");
    expect(c.native).toBe(true);
    expect(c.matchString("ABC")).toBe(true);
    expect(c.matchString("ABc")).toBe(false);
  });
});

import fc from "fast-check";

describe("native translation agrees with re2js", () => {
  const atom = fc.constantFrom("a", "b", "c", ".", "\\d", "\\w", "\\s", "\\S", "[ab]", "[^a]", "[a-c]", "\\.", "-", " ", "\n", "é", "[[:alpha:]]", "\\b");
  const quant = fc.constantFrom("", "", "*", "+", "?", "{1,2}", "*?", "+?", "{2}");
  const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
  const seq = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(""));
  const inner = fc.tuple(seq, fc.option(seq, { nil: undefined })).map(([a, b]) => (b === undefined ? a : `${a}|${b}`));
  const group1 = fc.tuple(inner, fc.constantFrom("(", "(?:", "(?s:", "(?i:"), quant).map(([s, open, q]) => `${open}${s})${q}`);
  const group = fc
    .tuple(fc.oneof(inner, fc.tuple(group1, inner).map(([g, s]) => g + s)), fc.constantFrom("(", "(?:", "(?P<n>", "(?s:", "(?i:"), fc.constantFrom("", "*", "+", "?", "{0,1}", "{2,}"))
    .map(([s, open, q]) => `${open}${s})${q}`);
  const pattern = fc
    .tuple(fc.constantFrom("", "^", "(?i)", "(?s)"), fc.array(fc.oneof(seq, group), { minLength: 1, maxLength: 3 }), fc.constantFrom("", "$", "|a"))
    .map(([pre, parts, post]) => pre + parts.join("") + post);
  const subject = fc.string({ unit: fc.constantFrom("a", "b", "c", "A", "1", " ", "\n", "\r", ".", "-", "é", "\u00a0", "ß"), maxLength: 12 });

  test("same submatch indices on random patterns and inputs", () => {
    fc.assert(
      fc.property(pattern, subject, (p, s) => {
        let native: GoRegexp;
        try {
          native = GoRegexp.compile(p);
        } catch {
          return; // invalid for RE2 (e.g. a name used twice): refused by both
        }
        const ref = GoRegexp.compileRE2(p);
        expect({ p, s, m: native.findAllStringSubmatchIndex(s) }).toEqual({ p, s, m: ref.findAllStringSubmatchIndex(s) });
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});

describe("linear time", () => {
  test("patterns that backtrack exponentially in JS run on re2js", () => {
    for (const p of ["(a+)+b", "(a|a)*b", "(?:a*)*b", "((ab)*)+c"]) {
      const re = GoRegexp.compile(p);
      expect(re.native).toBe(false);
      // With backtracking this input would take minutes; re2js answers at once.
      expect(re.matchString("a".repeat(40) + "!")).toBe(false);
    }
    expect(GoRegexp.compile("(ab)+c").native).toBe(true);
  });
});
