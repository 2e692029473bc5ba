import { describe, expect, test } from "bun:test";
import { ev, evErr, obj } from "../helpers.ts";
import { Secret } from "../../../src/syntax/value.ts";

describe("encoding.from_json", () => {
  test("objects, arrays and nulls", () => {
    expect(ev('encoding.from_json("{\\"foo\\": \\"bar\\"}")')).toEqual({ foo: "bar" });
    expect(ev('encoding.from_json("{\\"foo\\": null}")')).toEqual({ foo: null });
    expect(ev('encoding.from_json("[0, null]")')).toEqual([0, null]);
  });
  test("every number is a float, as Go decodes JSON into interface{}", () => {
    const v = ev('encoding.from_json("[0, 1, 2]")') as unknown[];
    expect(v).toEqual([0, 1, 2]);
    expect(typeof v[0]).toBe("number");
  });
  test("syntax errors use encoding/json wording", () => {
    expect(evErr('encoding.from_json("{")')).toBe("test:1:1: encoding.from_json unexpected end of JSON input");
    expect(evErr('encoding.from_json("x")')).toBe(
      "test:1:1: encoding.from_json invalid character 'x' looking for beginning of value",
    );
    expect(evErr('encoding.from_json("{} x")')).toBe("test:1:1: encoding.from_json invalid character 'x' after top-level value");
    expect(evErr('encoding.from_json("[1 2]")')).toBe("test:1:1: encoding.from_json invalid character '2' after array element");
  });
});

describe("encoding.from_yaml", () => {
  test("maps and sequences; ints stay ints", () => {
    expect(ev("encoding.from_yaml(`foo: bar`)")).toEqual({ foo: "bar" });
    expect(ev("encoding.from_yaml(`[0, 1, 2]`)")).toEqual([0n, 1n, 2n]);
    expect(ev("encoding.from_yaml(`[0.0, 1.0, 2.0]`)")).toEqual([0, 1, 2]);
    expect(ev("encoding.from_yaml(`foo: null`)")).toEqual({ foo: null });
    expect(ev('encoding.from_yaml("[0, null]")')).toEqual([0n, null]);
  });
  test("invalid YAML is an error on the function", () => {
    expect(evErr('encoding.from_yaml("a: [")')).toStartWith("test:1:1: encoding.from_yaml yaml: ");
  });
});

describe("base64", () => {
  test("standard and URL-safe round trips (Alloy's examples)", () => {
    expect(ev('encoding.from_base64("Zm9vYmFyMTIzIT8kKiYoKSctPUB+")')).toBe("foobar123!?$*&()'-=@~");
    expect(ev('encoding.from_URLbase64("c3RyaW5nMTIzIT8kKiYoKSctPUB-")')).toBe("string123!?$*&()'-=@~");
    expect(ev("encoding.to_base64(\"string123!?$*&()'-=@~\")")).toBe("c3RyaW5nMTIzIT8kKiYoKSctPUB+");
    expect(ev("encoding.to_URLbase64(\"string123!?$*&()'-=@~\")")).toBe("c3RyaW5nMTIzIT8kKiYoKSctPUB-");
    expect(ev('encoding.to_base64("a")')).toBe("YQ==");
    expect(ev('encoding.from_base64("YQ==")')).toBe("a");
  });
  test("bad input names the byte, as Go does", () => {
    expect(evErr('encoding.from_base64("a")')).toBe("test:1:1: encoding.from_base64 illegal base64 data at input byte 1");
    expect(evErr('encoding.from_base64("YQ")')).toBe("test:1:1: encoding.from_base64 illegal base64 data at input byte 2");
    expect(evErr('encoding.from_base64("Y!==")')).toBe("test:1:1: encoding.from_base64 illegal base64 data at input byte 1");
    expect(evErr('encoding.from_base64("c3RyaW5nMTIzIT8kKiYoKSctPUB-")')).toBe(
      "test:1:1: encoding.from_base64 illegal base64 data at input byte 27",
    );
  });
});

describe("encoding.to_json", () => {
  test("objects with sorted keys (Alloy's example)", () => {
    const vars = obj({ v: "Hello!" });
    expect(
      ev('encoding.to_json({"modules"={"http_2xx"={"prober"="http","timeout"="5s","http"={"headers"={"Authorization"=v}}}}})', vars),
    ).toBe('{"modules":{"http_2xx":{"http":{"headers":{"Authorization":"Hello!"}},"prober":"http","timeout":"5s"}}}');
  });
  test("numbers, nulls and HTML-safe escaping", () => {
    expect(ev('encoding.to_json({a = 1, b = 1.5, c = null, d = "<&>", e = [true]})')).toBe(
      '{"a":1,"b":1.5,"c":null,"d":"\\u003c\\u0026\\u003e","e":[true]}',
    );
    expect(ev("encoding.to_json({a = 0.0000001})")).toBe('{"a":1e-7}');
    expect(ev("encoding.to_json({a = 1e21, b = 1e20, c = 0.000001})")).toBe('{"a":1e+21,"b":100000000000000000000,"c":0.000001}');
  });
  test("only objects are accepted", () => {
    expect(evErr("encoding.to_json(12)")).toBe("test:1:1: encoding.to_json jsonEncode only supports map");
    expect(evErr("encoding.to_json([1])")).toBe("test:1:1: encoding.to_json jsonEncode only supports map");
  });
  test("secrets marshal as their text, as Go's string type does", () => {
    expect(ev("encoding.to_json({s = s})", obj({ s: new Secret("pw") }))).toBe('{"s":"pw"}');
  });
});

describe("URL query escaping", () => {
  test("Alloy's examples", () => {
    expect(ev("encoding.url_encode(\"string123!?$*&()'-=@~\")")).toBe("string123%21%3F%24%2A%26%28%29%27-%3D%40~");
    expect(ev("encoding.url_decode(\"string123%21%3F%24%2A%26%28%29%27-%3D%40~\")")).toBe("string123!?$*&()'-=@~");
  });
  test("spaces become + and back; UTF-8 is percent-encoded", () => {
    expect(ev('encoding.url_encode("a b/é")')).toBe("a+b%2F%C3%A9");
    expect(ev('encoding.url_decode("a+b%2F%C3%A9")')).toBe("a b/é");
  });
  test("bad escapes use Go's message", () => {
    expect(evErr('encoding.url_decode("%zz")')).toBe('test:1:1: encoding.url_decode invalid URL escape "%zz"');
    expect(evErr('encoding.url_decode("a%2")')).toBe('test:1:1: encoding.url_decode invalid URL escape "%2"');
  });
});

describe("YAML scalars resolve as yaml.v3 does", () => {
  const table: [string, unknown][] = [
    ["a: 017", { a: 15n }],
    ["a: 0x1F", { a: 31n }],
    ["a: 0o17", { a: 15n }],
    ["a: 0b101", { a: 5n }],
    ["a: 1_000", { a: 1000n }],
    ["a: -5", { a: -5n }],
    ["a: 1.5e3", { a: 1500 }],
    ["a: .inf", { a: Infinity }],
    ["a: yes", { a: "yes" }],
    ["a: True", { a: true }],
    ["a: ~", { a: null }],
    ["a:", { a: null }],
    ["a: 2001-12-14", { a: "2001-12-14" }],
    ['a: "017"', { a: "017" }],
    ["a: '1'", { a: "1" }],
    ["a: 18446744073709551615", { a: 18446744073709551615n }],
    ["a: 99999999999999999999", { a: 99999999999999999999 }],
  ];
  for (const [src, want] of table) {
    test(src, () => expect(ev(`encoding.from_yaml(${JSON.stringify(src)})`)).toEqual(want as never));
  }
  test("anchors, aliases and merge keys", () => {
    expect(ev('encoding.from_yaml("base: &b {x: 1, y: 2}\\nderived:\\n  <<: *b\\n  y: 3")')).toEqual({
      base: { x: 1n, y: 2n },
      derived: { x: 1n, y: 3n },
    });
  });
  test("an empty document is null", () => {
    expect(ev('encoding.from_yaml("")')).toBe(null);
  });
});
