import { describe, expect, test } from "bun:test";
import * as schema from "../../../src/syntax/schema/index.ts";
import { DiagnosticsError, formatDiagnostic } from "../../../src/syntax/diag.ts";
import { Scope } from "../../../src/syntax/vm.ts";
import { Capsule, Secret, newObject, type ObjectValue } from "../../../src/syntax/value.ts";
import { body, obj } from "../helpers.ts";

const range = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

function decode<S extends schema.BlockSchema | schema.AttrMapSchema<unknown, unknown>>(
  s: S,
  src: string,
  vars: ObjectValue = newObject(),
  stability: "experimental" | "public-preview" | "generally-available" = "generally-available",
): schema.Infer<S> {
  return schema.decodeBody(s, body(src), new Scope(vars), { file: "test", stability, range });
}

/** The one-line diagnostics a decode fails with. */
function errors(s: schema.BlockSchema | schema.AttrMapSchema<unknown, unknown>, src: string, vars: ObjectValue = newObject()): string[] {
  try {
    decode(s, src, vars);
  } catch (e) {
    if (e instanceof DiagnosticsError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

const TLS = schema.block({
  ca_file: schema.attr(schema.string, { optional: true }),
  insecure_skip_verify: schema.attr(schema.bool, { default: false }),
});

const Rule = schema.block({
  action: schema.attr(schema.enumOf("keep", "drop"), { default: "keep" }),
  regex: schema.attr(schema.string, { default: "(.*)" }),
});

const LocalFile = schema.block(
  {
    filename: schema.attr(schema.string),
    detector: schema.attr(schema.enumOf("fsnotify", "poll"), { default: "fsnotify" }),
    poll_frequency: schema.attr(schema.duration, { default: "1m" }),
    is_secret: schema.attr(schema.bool, { default: false }),
    max: schema.attr(schema.int, { optional: true }),
    tls_config: schema.block(TLS, { optional: true }),
    rule: schema.blocks(Rule),
  },
  { validate: (a) => (a.max !== undefined && a.max < 0 ? "max must not be negative" : undefined) },
);

describe("decoding a body", () => {
  test("applies defaults and decodes attributes and blocks", () => {
    const v = decode(
      LocalFile,
      `filename = "/tmp/x"
poll_frequency = "1m30s"
tls_config { ca_file = "ca.pem" }
rule { action = "drop" }
rule { regex = "a+" }`,
    );
    expect(v).toEqual({
      filename: "/tmp/x",
      detector: "fsnotify",
      poll_frequency: 90000,
      is_secret: false,
      tls_config: { ca_file: "ca.pem", insecure_skip_verify: false },
      rule: [
        { action: "drop", regex: "(.*)" },
        { action: "keep", regex: "a+" },
      ],
    });
    expect(v.max).toBeUndefined();
  });

  test("the decoded value is fully typed", () => {
    const v = decode(LocalFile, `filename = "f"`);
    const name: string = v.filename;
    const freq: number = v.poll_frequency;
    const det: "fsnotify" | "poll" = v.detector;
    const tls: { ca_file?: string; insecure_skip_verify: boolean } | undefined = v.tls_config;
    const rules: { action: "keep" | "drop"; regex: string }[] = v.rule;
    expect([name, freq, det, tls, rules]).toEqual(["f", 60000, "fsnotify", undefined, []]);
  });

  test("attributes are evaluated in the scope", () => {
    const v = decode(LocalFile, `filename = local.path + ".txt"`, obj({ local: obj({ path: "/a" }) }));
    expect(v.filename).toBe("/a.txt");
  });

  test("null decodes to the zero value", () => {
    expect(decode(LocalFile, `filename = null`).filename).toBe("");
  });
});

describe("errors carry Alloy's messages and positions", () => {
  test("missing required attribute", () => {
    expect(errors(LocalFile, ``)).toEqual(['test:1:1: missing required attribute "filename"']);
  });
  test("unrecognized attribute and block names", () => {
    expect(errors(LocalFile, `filename = "a"\nfoo = 1\nbar { }`)).toEqual([
      'test:2:1: unrecognized attribute name "foo"',
      'test:3:1: unrecognized block name "bar"',
    ]);
  });
  test("attribute used as a block and block used as an attribute", () => {
    expect(errors(LocalFile, `filename = "a"\ndetector { }\ntls_config = {}`)).toEqual([
      'test:2:1: "detector" must be an attribute, but is used as a block',
      'test:3:1: "tls_config" must be a block, but is used as an attribute',
    ]);
  });
  test("attribute provided twice", () => {
    expect(errors(LocalFile, `filename = "a"\nfilename = "b"`)).toEqual(['test:2:1: attribute "filename" may only be provided once']);
  });
  test("single block specified twice", () => {
    expect(errors(LocalFile, `filename = "a"\ntls_config { }\ntls_config { }`)).toEqual([
      'test:2:1: block "tls_config" may only be specified once',
    ]);
  });
  test("value conversion errors start with the expression", () => {
    expect(errors(LocalFile, `filename = true\npoll_frequency = "1d"\nis_secret = "yes"`)).toEqual([
      "test:1:12: true should be string, got bool",
      'test:2:18: "1d" time: unknown unit "d" in duration "1d"',
      'test:3:13: "yes" should be bool, got string',
    ]);
  });
  test("nested block errors are reported too", () => {
    expect(errors(LocalFile, `filename = "a"\nrule {\n  action = "maybe"\n}`)).toEqual([
      'test:3:12: "maybe" invalid value "maybe", must be one of "keep", "drop"',
    ]);
  });
  test("evaluation errors are collected with decoding errors", () => {
    expect(errors(LocalFile, `filename = nope\nzzz = 1`)).toEqual([
      'test:1:12: identifier "nope" does not exist',
      'test:2:1: unrecognized attribute name "zzz"',
    ]);
  });
  test("validate runs after decoding and its message is reported", () => {
    expect(errors(LocalFile, `filename = "a"\nmax = -1`)).toEqual(["test:1:1: max must not be negative"]);
  });
  test("validate may throw", () => {
    const S = schema.block({ a: schema.attr(schema.int) }, { validate: () => { throw new Error("bad a"); } });
    expect(errors(S, `a = 1`)).toEqual(["test:1:1: bad a"]);
  });
  test("missing required block inside a nested block points at that block", () => {
    const Inner = schema.block({ x: schema.attr(schema.string) });
    const Outer = schema.block({ inner: schema.block(Inner) });
    expect(errors(Outer, `inner {\n}`)).toEqual(['test:1:1: missing required attribute "x"']);
    expect(errors(Outer, ``)).toEqual(['test:1:1: missing required block "inner"']);
  });
});

describe("labels", () => {
  const Labeled = schema.block({ name: schema.label(), v: schema.attr(schema.int, { default: 0 }) });
  const Parent = schema.block({ item: schema.blocks(Labeled), plain: schema.block(TLS, { optional: true }) });
  test("a labeled block gets its label", () => {
    expect(decode(Parent, `item "a" { v = 1 }\nitem "b" { }`).item).toEqual([
      { name: "a", v: 1 },
      { name: "b", v: 0 },
    ]);
  });
  test("label errors", () => {
    expect(errors(Parent, `item { }\nplain "x" { }`)).toEqual([
      'test:1:1: block "item" requires non-empty label',
      'test:2:1: block "plain" does not support specifying labels',
    ]);
  });
});

describe("fixed-count blocks", () => {
  const S = schema.block({ pair: schema.blocksExactly(Rule, 2) });
  test("exact count decodes", () => {
    expect(decode(S, `pair { }\npair { }`).pair).toHaveLength(2);
  });
  test("other counts are refused", () => {
    expect(errors(S, `pair { }`)).toEqual(['test:1:1: block "pair" must be specified exactly 2 times, but was specified 1 times']);
  });
});

describe("enum blocks keep order across kinds", () => {
  const StageJSON = schema.block({ expressions: schema.attr(schema.map(schema.string)) });
  const StageRegex = schema.block({ expression: schema.attr(schema.string) });
  const Process = schema.block({
    forward_to: schema.attr(schema.list(schema.string), { default: () => [] }),
    stages: schema.enumBlocks({ "stage.json": StageJSON, "stage.regex": StageRegex }),
  });
  test("mixed stages in source order", () => {
    const v = decode(
      Process,
      `stage.regex { expression = "a" }
stage.json { expressions = { x = "" } }
stage.regex { expression = "b" }`,
    );
    expect(v.stages).toEqual([
      { kind: "stage.regex", value: { expression: "a" } },
      { kind: "stage.json", value: { expressions: { x: "" } } },
      { kind: "stage.regex", value: { expression: "b" } },
    ]);
    const first = v.stages[0]!;
    if (first.kind === "stage.regex") expect(first.value.expression).toBe("a");
  });
  test("unknown stage names are unrecognized blocks", () => {
    expect(errors(Process, `stage.nope { }`)).toEqual(['test:1:1: unrecognized block name "stage.nope"']);
  });
});

describe("squash spreads a shared block's fields", () => {
  const HTTPClient = schema.block({
    bearer_token: schema.attr(schema.secret, { optional: true }),
    follow_redirects: schema.attr(schema.bool, { default: true }),
  });
  const S = schema.block({ url: schema.attr(schema.string), ...schema.squash(HTTPClient) });
  test("fields decode flat", () => {
    const v = decode(S, `url = "http://x"\nbearer_token = "t"`);
    expect(v.url).toBe("http://x");
    expect(v.follow_redirects).toBe(true);
    expect(v.bearer_token).toBeInstanceOf(Secret);
  });
});

describe("types", () => {
  test("secrets and optional secrets", () => {
    const S = schema.block({ s: schema.attr(schema.secret), o: schema.attr(schema.optionalSecret), p: schema.attr(schema.optionalSecret) });
    const v = decode(S, `s = "a"\no = "b"\np = sec`, obj({ sec: new Secret("c") }));
    expect(v.s.value).toBe("a");
    expect(v.o).toEqual({ value: "b", isSecret: false });
    expect(v.p).toEqual({ value: "c", isSecret: true });
  });
  test("a secret cannot become a string", () => {
    const S = schema.block({ s: schema.attr(schema.string) });
    expect(errors(S, `s = sec`, obj({ sec: new Secret("c") }))).toEqual(["test:1:5: sec secrets may not be converted into strings"]);
  });
  test("numbers convert to strings and strings to numbers", () => {
    const S = schema.block({ s: schema.attr(schema.string), n: schema.attr(schema.number), i: schema.attr(schema.int) });
    expect(decode(S, `s = 1.5\nn = "2.5"\ni = "-3"`)).toEqual({ s: "1.5", n: 2.5, i: -3 });
    expect(errors(S, `s = "x"\nn = "abc"\ni = 1`)).toEqual(['test:2:5: "abc" should be number, got string']);
  });
  test("targets convert values to label strings as discovery.Target does", () => {
    const S = schema.block({ targets: schema.attr(schema.targets) });
    expect(decode(S, `targets = [{__address__ = "a:1", n = 1, b = true, f = 1.5, l = [1, "x"]}, null]`).targets).toEqual([
      { __address__: "a:1", n: "1", b: "true", f: "1.5", l: "[1 x]" },
      {},
    ]);
  });
  test("target conversion errors use Alloy's messages and name the element", () => {
    const S = schema.block({ targets: schema.attr(schema.targets) });
    expect(errors(S, `targets = [{a = "x"}, 10]`)).toEqual(["test:1:23: 10 target::ConvertFrom: conversion from 'int64' is not supported"]);
    expect(errors(S, `targets = t`, obj({ t: [obj({ a: "x" }), "s"] }))).toEqual([
      "test:1:11: t[1] target::ConvertFrom: conversion from 'string' is not supported",
    ]);
    expect(errors(S, `targets = [{a = null}]`)).toEqual(["test:1:12: {a = null} target::ConvertFrom: cannot convert a nil value to a target value"]);
    expect(errors(S, `targets = [{a = s}]`, obj({ s: new Secret("x") }))).toEqual([
      "test:1:12: {a = s} target::ConvertFrom: cannot use a secret as a target value",
    ]);
  });
  test("object attributes refuse unknown keys", () => {
    const S = schema.block({ o: schema.attr(schema.object({ a: schema.string, b: schema.int })) });
    expect(decode(S, `o = {a = "x"}`).o).toEqual({ a: "x" });
    expect(errors(S, `o = {c = 1}`)).toEqual(['test:1:10: 1 does not have field named "c"']);
  });
  test("capsules only accept their own type", () => {
    const S = schema.block({ forward_to: schema.attr(schema.list(schema.capsule<{ id: number }>("loki.LogsReceiver"))) });
    const recv = { id: 1 };
    expect(decode(S, `forward_to = [r]`, obj({ r: new Capsule("loki.LogsReceiver", recv) })).forward_to).toEqual([recv]);
    expect(errors(S, `forward_to = [r]`, obj({ r: new Capsule("storage.Appendable", {}) }))).toEqual([
      'test:1:15: r expected capsule("loki.LogsReceiver"), got capsule("storage.Appendable")',
    ]);
    expect(errors(S, `forward_to = ["x"]`)).toEqual(['test:1:15: "x" should be capsule, got string']);
  });
  test("text types parse strings", () => {
    const S = schema.block({
      re: schema.attr(schema.text("regexp", (s) => new RegExp(s), (r) => r.source, () => /(?:)/)),
    });
    expect(decode(S, `re = "a+"`).re.source).toBe("a+");
    expect(errors(S, `re = "("`)[0]).toStartWith('test:1:6: "(" ');
  });
  test("block default 'defaults' fills an absent block from its defaults", () => {
    const S = schema.block({ queue: schema.block(Rule, { default: "defaults" }) });
    expect(decode(S, ``).queue).toEqual({ action: "keep", regex: "(.*)" });
  });
  test("function defaults give fresh objects", () => {
    const S = schema.block({ l: schema.attr(schema.list(schema.string), { default: () => ["a"] }) });
    const a = decode(S, ``);
    const b = decode(S, ``);
    expect(a.l).toEqual(["a"]);
    expect(a.l).not.toBe(b.l);
  });
});

describe("attribute maps (custom component arguments)", () => {
  const M = schema.attrMap(schema.any);
  test("every attribute is kept", () => {
    expect(decode(M, `a = 1\nb = "x"`)).toEqual({ a: 1n, b: "x" });
  });
  test("nested blocks are refused", () => {
    expect(errors(M, `a = 1\nb { }`)).toEqual(["test:2:1: nested blocks not supported here"]);
  });
});

describe("stability of arguments", () => {
  const S = schema.block({
    a: schema.attr(schema.string, { optional: true }),
    x: schema.attr(schema.string, { optional: true, stability: "experimental" }),
    b: schema.block(TLS, { optional: true, stability: "public-preview" }),
  });
  test("arguments above the allowed level are refused", () => {
    expect(errors(S, `x = "1"\nb { }`)).toEqual([
      'test:1:1: attribute "x" is at stability level "experimental", which is below the minimum allowed stability level "generally-available". Use --stability.level command-line flag to enable "experimental" features',
      'test:2:1: block "b" is at stability level "public-preview", which is below the minimum allowed stability level "generally-available". Use --stability.level command-line flag to enable "public-preview" features',
    ]);
  });
  test("allowed at the right level", () => {
    expect(decode(S, `x = "1"\nb { }`, newObject(), "experimental").x).toBe("1");
  });
});

describe("values and exports", () => {
  test("decodeValue and encodeValue", () => {
    expect(schema.decodeValue(schema.duration, "2m")).toBe(120000);
    expect(schema.encodeValue(schema.duration, 90000)).toBe("1m30s");
    expect(schema.decodeValue(schema.list(schema.int), [1n, 2.7])).toEqual([1, 2]);
    expect(schema.encodeValue(schema.int, 5)).toBe(5n);
    expect(() => schema.decodeValue(schema.bool, "x")).toThrow("should be bool, got string");
  });
  test("encodeBody turns exports into an object value", () => {
    const Exports = schema.block({ content: schema.attr(schema.optionalSecret), n: schema.attr(schema.int, { optional: true }) });
    const secret = schema.encodeBody(Exports, { content: { value: "x", isSecret: true }, n: undefined });
    expect(secret["content"]).toBeInstanceOf(Secret);
    expect(secret["n"]).toBe(null);
    expect(schema.encodeBody(Exports, { content: { value: "x", isSecret: false }, n: 3 })).toEqual(obj({ content: "x", n: 3n }));
  });
});

describe("secret attributes are reported for redaction", () => {
  test("attributes decoded into secret types, in nested blocks too", () => {
    const Inner = schema.block({ password: schema.attr(schema.secret), user: schema.attr(schema.string) });
    const S = schema.block({ token: schema.attr(schema.optionalSecret, { optional: true }), auth: schema.block(Inner, { optional: true }) });
    const seen: string[] = [];
    schema.decodeBody(S, body(`token = "a"\nauth {\n  password = "p"\n  user = "u"\n}`), new Scope(newObject()), {
      file: "test",
      stability: "generally-available",
      onSecretAttribute: (a) => seen.push(a.name.name),
    });
    expect(seen).toEqual(["token", "password"]);
  });
});

describe("map-typed blocks", () => {
  const S = schema.block({ settings: schema.block(schema.attrMap(schema.any), { optional: true }) });
  test("decode their attributes into a record", () => {
    expect(decode(S, `settings {\n  field_a = 12345\n  field_b = "helloworld"\n}`).settings).toEqual({ field_a: 12345n, field_b: "helloworld" });
  });
  test("reject labels and nested blocks (Alloy's cases)", () => {
    expect(errors(S, `settings "foo" {\n  field_a = 1\n}`)).toEqual(['test:1:1: block "settings" requires empty label']);
    expect(errors(S, `settings {\n  inner_map {\n    field_a = 1\n  }\n}`)).toEqual(["test:2:3: nested blocks not supported here"]);
  });
  test("encode and render", () => {
    expect(schema.encodeBody(S, { settings: { a: "x" } })).toEqual(obj({ settings: obj({ a: "x" }) }));
    expect(schema.bodyToAlloyJSON(S, { settings: { a: "x" } })).toEqual([
      { name: "settings", type: "block", body: [{ name: "a", type: "attr", value: { type: "string", value: "x" } }] },
    ]);
  });
});
