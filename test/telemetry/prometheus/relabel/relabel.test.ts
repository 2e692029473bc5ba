import { describe, expect, test } from "bun:test";
import { Labels } from "../../../../src/telemetry/prometheus/labels.ts";
import { CachedRelabeler, RelabelCache } from "../../../../src/telemetry/prometheus/relabel/cache.ts";
import { hashMod, relabel, relabelTarget } from "../../../../src/telemetry/prometheus/relabel/process.ts";
import { compileRegex } from "../../../../src/telemetry/prometheus/relabel/regex.ts";
import { newRelabelRule, newRelabelRules, type RelabelRule, type RelabelRuleArgs } from "../../../../src/telemetry/prometheus/relabel/rule.ts";
import fixture from "./prometheus-cases.json" with { type: "json" };

interface Case {
  input: Record<string, string>;
  rules: RelabelRuleArgs[];
  output: Record<string, string> | null;
  drop: boolean;
}

/** Prometheus's test loop: empty fields take defaults, regexes use Prometheus's (?s:) anchoring, UTF-8 names. */
function promRule(a: RelabelRuleArgs): RelabelRule {
  const action = (a.action || "replace") as RelabelRule["action"];
  return {
    action,
    sourceLabels: a.source_labels ?? [],
    separator: a.separator || ";",
    regex: compileRegex(a.regex || "(.*)", { dotAll: true }),
    modulus: BigInt(a.modulus ?? 0),
    targetLabel: a.target_label ?? "",
    replacement: a.replacement || "$1",
    hasSourceLabels: a.source_labels !== undefined,
  };
}

describe("relabeling", () => {
  const cases = (fixture as unknown as { cases: Case[] }).cases;
  test.each(cases.map((c, i) => [i, c] as const))("Prometheus TestRelabel case %d", (_i, c) => {
    const out = relabel(Labels.fromObject(c.input), c.rules.map(promRule), { nameValidation: "utf8" });
    if (c.drop) expect(out).toBeUndefined();
    else expect(out?.toObject()).toEqual(c.output!);
  });

  const l = Labels.fromObject({ __name__: "node_cpu_seconds_total", job: "node", instance: "host:9100", mode: "idle" });
  const run = (...rules: RelabelRuleArgs[]) => relabel(l, newRelabelRules(rules))?.toObject();

  test("replace defaults: regex (.*), separator ;, replacement $1", () => {
    expect(run({ source_labels: ["job", "mode"], target_label: "jm" })?.jm).toBe("node;idle");
    expect(run({ source_labels: ["instance"], regex: "([^:]+):.*", target_label: "host" })?.host).toBe("host");
    // Fully anchored: a partial match does not replace.
    expect(run({ source_labels: ["instance"], regex: "host", target_label: "x" })?.x).toBeUndefined();
    // Replacement expanding to "" deletes the target.
    expect(run({ source_labels: ["missing"], regex: "(.*)", target_label: "job" })?.job).toBeUndefined();
    // Target label with a group reference; invalid expansions are skipped.
    expect(run({ source_labels: ["mode"], regex: "(.*)", target_label: "m_${1}", replacement: "y" })?.m_idle).toBe("y");
    expect(run({ source_labels: ["instance"], regex: "(.*)", target_label: "${1}", replacement: "y" })).toEqual(l.toObject());
  });

  test("keep, drop, keepequal, dropequal", () => {
    expect(run({ source_labels: ["job"], regex: "node", action: "keep" })).toBeDefined();
    expect(run({ source_labels: ["job"], regex: "nod", action: "keep" })).toBeUndefined();
    expect(run({ source_labels: ["mode"], regex: "idle|iowait", action: "drop" })).toBeUndefined();
    expect(run({ source_labels: ["job"], target_label: "job", action: "keepequal" })).toBeDefined();
    expect(run({ source_labels: ["job"], target_label: "mode", action: "keepequal" })).toBeUndefined();
    expect(run({ source_labels: ["job"], target_label: "job", action: "dropequal" })).toBeUndefined();
  });

  test("hashmod uses md5's last 8 bytes big-endian, as Prometheus", () => {
    // md5("foo") = acbd18db4cc2f85c edef654fccc4a4d8; the last 8 bytes as a big-endian uint64.
    expect(hashMod("foo", 1000n)).toBe(0xedef654fccc4a4d8n % 1000n);
    expect(run({ source_labels: ["instance"], target_label: "shard", modulus: 4, action: "hashmod" })?.shard).toMatch(/^[0-3]$/);
  });

  test("labelmap, labeldrop, labelkeep, lowercase, uppercase", () => {
    expect(run({ regex: "(job|mode)", replacement: "copy_${1}", action: "labelmap" })).toMatchObject({ copy_job: "node", copy_mode: "idle", job: "node" });
    expect(run({ regex: "mode|instance", action: "labeldrop" })).toEqual({ __name__: "node_cpu_seconds_total", job: "node" });
    expect(run({ regex: "__name__|job", action: "labelkeep" })).toEqual({ __name__: "node_cpu_seconds_total", job: "node" });
    expect(run({ source_labels: ["mode"], target_label: "M", action: "uppercase" })?.M).toBe("IDLE");
    expect(relabel(Labels.fromObject({ a: "ÀΣΑΣ" }), newRelabelRules([{ source_labels: ["a"], target_label: "b", action: "lowercase" }]))?.get("b")).toBe("àσασ");
    expect(relabel(Labels.fromObject({ a: "straße" }), newRelabelRules([{ source_labels: ["a"], target_label: "b", action: "uppercase" }]))?.get("b")).toBe("STRAßE");
  });

  test("discovery targets relabel as maps", () => {
    expect(relabelTarget({ __address__: "a:1", __meta_x: "v" }, newRelabelRules([{ source_labels: ["__meta_x"], target_label: "x" }]))).toEqual({
      __address__: "a:1",
      __meta_x: "v",
      x: "v",
    });
  });

  test("validation errors read like Alloy's", () => {
    const err = (a: RelabelRuleArgs) => {
      try {
        newRelabelRule(a);
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err({ action: "" })).toBe("relabel action cannot be empty");
    expect(err({ action: "bogus" })).toBe('unrecognized action type "bogus"');
    expect(err({ action: "hashmod", target_label: "x" })).toBe("relabel configuration for hashmod requires non-zero modulus");
    expect(err({ action: "replace" })).toBe("relabel configuration for replace action requires 'target_label' value");
    expect(err({ action: "replace", target_label: "0abc" })).toBe("\"0abc\" is invalid 'target_label' for replace action");
    expect(err({ action: "lowercase", target_label: "a", replacement: "x" })).toBe("'replacement' can not be set for lowercase action");
    expect(err({ action: "labelmap", replacement: "-" })).toBe("\"-\" is invalid 'replacement' for labelmap action");
    expect(err({ action: "hashmod", target_label: "${1}", modulus: 2 })).toBe("\"${1}\" is invalid 'target_label' for hashmod action");
    expect(err({ action: "labeldrop", regex: "a", source_labels: ["x"] })).toBe("labeldrop action requires only 'regex', and no other fields");
    expect(err({ action: "keepequal", target_label: "a", regex: "x" })).toBe("keepequal action requires only 'source_labels' and 'target_label', and no other fields");
    expect(err({ regex: "(", target_label: "a" })).toBe("error parsing regexp: missing closing ): `^(?:()$`"); // Go quotes the anchored pattern
    expect(() => newRelabelRules([{ target_label: "a" }, { action: "x" }])).toThrow('rule 2: unrecognized action type "x"');
  });
});

describe("RE2 regex translation", () => {
  const both = (pattern: string, inputs: string[], opts = {}) => {
    const re = compileRegex(pattern, opts);
    return inputs.map((s) => re.test(s));
  };

  test("uses RegExp where equivalent and re2js otherwise, with identical results", () => {
    const cases: [string, string[], boolean[], "js" | "re2js"][] = [
      ["foo.*", ["foobar", "foo\nbar", "foo\rbar"], [true, false, true], "js"],
      ["(?i)foo", ["FOO", "fOo", "food"], [true, true, false], "js"],
      ["a\\sb", ["a b", "a\tb", "a\u00a0b"], [true, true, false], "js"],
      ["[[:alpha:]]+[[:digit:]]", ["abc1", "ab12"], [true, false], "js"],
      ["\\pL+", ["héllo", "h1"], [true, false], "js"],
      ["\\p{Greek}+", ["αβγ", "abc"], [true, false], "js"],
      ["\\Qa.b\\E", ["a.b", "axb"], [true, false], "js"],
      ["a{", ["a{"], [true], "js"],
      ["x\\z", ["x"], [true], "js"],
      ["\\x{263a}", ["☺"], [true], "js"],
      ["\\-\\#", ["-#"], [true], "js"],
      ["(?P<first>\\w+)", ["abc"], [true], "js"],
      ["(?U)a+", ["aaa"], [true], "re2js"],
      ["a(?i)b", ["aB", "AB"], [true, false], "re2js"],
      ["[^\\S]", [" ", "x"], [true, false], "re2js"],
      ["\\101", ["A"], [true], "re2js"],
      // Nested repetition could backtrack exponentially in a JS RegExp: RE2 keeps it linear.
      ["(a+)+b", ["a".repeat(60) + "c", "aab"], [false, true], "re2js"],
      ["(x|xy)*z", ["xy".repeat(40), "xyz"], [false, true], "re2js"],
    ];
    for (const [p, inputs, want, engine] of cases) {
      expect([p, compileRegex(p).engine, both(p, inputs)]).toEqual([p, engine, want]);
    }
  });

  test("dot matches newlines only in Prometheus (?s) mode", () => {
    expect(both("a.b", ["a\nb"], { dotAll: true })).toEqual([true]);
    expect(both("a.b", ["a\nb"])).toEqual([false]);
  });

  test("rejects what RE2 rejects, with RE2's messages", () => {
    const msg = (p: string) => {
      try {
        compileRegex(p);
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(msg("(?=x)")).toBe("error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    expect(msg("(a)\\1")).toBe("error parsing regexp: invalid escape sequence: `\\1`");
    expect(msg("a{1001}")).toBe("error parsing regexp: invalid repeat count: `{1001}`");
    expect(msg("[z-a]")).toBe("error parsing regexp: invalid character class range: `z-a`");
  });

  test("expansion follows Go's Regexp.Expand", () => {
    const re = compileRegex("(?P<host>[^:]+):(\\d+)");
    const m = re.exec("web:80")!;
    const ex = (t: string) => relabel(Labels.fromObject({ a: "web:80" }), [{ ...newRelabelRule({ source_labels: ["a"], target_label: "b" }), regex: re, replacement: t }])?.get("b");
    expect(m).toEqual(["web:80", "web", "80"]);
    expect(ex("$host-$2")).toBe("web-80");
    expect(ex("${host}x")).toBe("webx");
    expect(ex("$hostx")).toBe(""); // group "hostx" does not exist → "" → label deleted
    expect(ex("$$1")).toBe("$1");
    expect(ex("${1")).toBe("${1");
    expect(ex("$9")).toBe("");
  });
});

describe("relabel cache", () => {
  test("caches results and drops, evicting least recently used", () => {
    const r = new CachedRelabeler(newRelabelRules([{ source_labels: ["a"], regex: "drop", action: "drop" }]), 2);
    const keep = Labels.fromObject({ a: "x" });
    const drop = Labels.fromObject({ a: "drop" });
    expect(r.process(keep)).toBe(keep);
    expect(r.process(drop)).toBeUndefined();
    expect(r.process(Labels.fromObject({ a: "drop" }))).toBeUndefined();
    expect([r.hits, r.misses]).toEqual([1, 2]);
    r.process(Labels.fromObject({ a: "y" }));
    expect(r.cache.size).toBe(2);
    expect(r.cache.get(keep.key())).toBeUndefined();
  });

  test("entries expire after the TTL", () => {
    let now = 0;
    const c = new RelabelCache(10, 1000, () => now);
    c.set("k", null);
    now = 999;
    expect(c.get("k")).toBeNull();
    now = 2500;
    expect(c.get("k")).toBeUndefined();
  });
});
