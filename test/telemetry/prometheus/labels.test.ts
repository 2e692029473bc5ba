import { describe, expect, test } from "bun:test";
import { Labels, LabelsBuilder, StringInterner } from "../../../src/telemetry/prometheus/labels.ts";
import { xxHash64 } from "../../../src/telemetry/prometheus/xxhash64.ts";

describe("Labels", () => {
  test("are sorted by name and drop empty values", () => {
    const l = Labels.fromObject({ job: "x", __name__: "up", empty: "", a: "1" });
    expect(l.flat).toEqual(["__name__", "up", "a", "1", "job", "x"]);
    expect(l.get("missing")).toBe("");
    expect(l.metricName()).toBe("up");
    expect(l.toString()).toBe('{__name__="up", a="1", job="x"}');
  });

  test("equal label sets share key and hash regardless of input order", () => {
    const a = Labels.fromStrings("b", "2", "a", "1");
    const b = Labels.fromStrings("a", "1", "b", "2");
    expect(a.key()).toBe(b.key());
    expect(a.hash()).toBe(b.hash());
    expect(a.equals(b)).toBe(true);
    expect(a.compare(b)).toBe(0);
  });

  test("keys distinguish label sets that concatenate to the same text", () => {
    const a = Labels.fromStrings("a", "bc");
    const b = Labels.fromStrings("ab", "c");
    expect(a.key()).not.toBe(b.key());
  });

  test("builder edits and returns the base when unchanged", () => {
    const base = Labels.fromStrings("a", "1", "b", "2");
    expect(base.builder().set("a", "1").labels()).toBe(base);
    const edited = base.builder().set("c", "3").del("a").labels();
    expect(edited.flat).toEqual(["b", "2", "c", "3"]);
    expect(new LabelsBuilder().set("z", "1").set("y", "2").labels().flat).toEqual(["y", "2", "z", "1"]);
  });

  test("duplicate names are found when kept adjacent", () => {
    expect(Labels.fromSortedFlat(["a", "1", "a", "2"]).duplicateName()).toBe("a");
    expect(Labels.fromStrings("a", "1", "b", "2").duplicateName()).toBeUndefined();
  });

  test("interner returns one copy per distinct string", () => {
    const i = new StringInterner();
    const s1 = i.intern(["ab", "c"].join(""));
    const s2 = i.intern(["a", "bc"].join(""));
    expect(s1).toBe(s2);
    expect(i.size).toBe(1);
  });
});

describe("xxHash64 fallback", () => {
  test("matches the reference value and Bun.hash", () => {
    const enc = new TextEncoder();
    expect(xxHash64(enc.encode("abc")).toString(16)).toBe("44bc2cf5ad770999");
    for (const s of ["", "a", "hello world", "x".repeat(31), "y".repeat(32), "z".repeat(100), "ünïcødé labels 123"]) {
      expect(xxHash64(enc.encode(s))).toBe(BigInt.asUintN(64, Bun.hash.xxHash64(enc.encode(s))));
    }
  });
});

describe("exemplar label limits", () => {
  test("OpenMetrics caps exemplar labels at 128 characters, counted in code points", async () => {
    const { checkExemplarLabelLength } = await import("../../../src/telemetry/prometheus/exemplar.ts");
    expect(checkExemplarLabelLength(Labels.fromStrings("trace_id", "x".repeat(120)))).toBeUndefined();
    expect(checkExemplarLabelLength(Labels.fromStrings("trace_id", "é".repeat(121)))).toBe(
      "exemplar label set is 129 characters long, more than the 128 OpenMetrics allows",
    );
  });
});

describe("keyHash", () => {
  test("is FNV-1a of the identity key, the hash remote-write shard assignment has always used", () => {
    const fnv1a = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
      }
      return h >>> 0;
    };
    for (const l of [Labels.EMPTY, Labels.fromStrings("__name__", "up"), Labels.fromStrings("__name__", "x", "job", "j", "ü", "ñ😀")]) {
      expect(l.keyHash()).toBe(fnv1a(l.key()));
    }
  });
});
