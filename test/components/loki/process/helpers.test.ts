import { expect, test } from "bun:test";
import { TokenBucket } from "../../../../src/components/loki/process/limit.ts";
import { isLuhn, redactLuhn } from "../../../../src/components/loki/process/luhn.ts";
import { matchPattern, parsePattern } from "../../../../src/components/loki/process/pattern.ts";
import { splitJSONArray } from "../../../../src/components/loki/process/split_json.ts";
import { cutBytes, getFloat, getString, parseBase2Bytes } from "../../../../src/components/loki/process/values.ts";
import { sanitizeLabelName } from "../../../../src/components/loki/process/windows_messages.ts";
import { goJSONMarshal } from "../../../../src/components/loki/process/json.ts";

test("parseBase2Bytes reads alecthomas/units sizes (1KB = 1024) and refuses junk", () => {
  expect(parseBase2Bytes("")).toBe(0);
  expect(parseBase2Bytes("12B")).toBe(12);
  expect(parseBase2Bytes("1KB")).toBe(1024);
  expect(parseBase2Bytes("1KiB")).toBe(1024);
  expect(parseBase2Bytes("8KB")).toBe(8192);
  expect(parseBase2Bytes("1MB512KB")).toBe(1024 * 1024 + 512 * 1024);
  expect(() => parseBase2Bytes("1.21GIGAWATTS")).toThrow("units: unknown unit GIGAWATTS in 1.21GIGAWATTS");
  expect(() => parseBase2Bytes("1kb")).toThrow("units: unknown unit kb in 1kb");
  expect(parseBase2Bytes("0")).toBe(0);
  expect(() => parseBase2Bytes("12")).toThrow("units: unknown unit  in 12");
});

test("getString and getFloat convert extracted values as Alloy's helpers do", () => {
  expect(getString(125)).toBe("125");
  expect(getString(1.5e21)).toBe("1500000000000000000000");
  expect(getString(true)).toBe("true");
  expect(getString(null)).toBeUndefined();
  expect(getString({})).toBeUndefined();
  expect(getFloat("0.804")).toBe(0.804);
  expect(getFloat("0.5ms")).toBeCloseTo(0.0005);
  expect(getFloat(false)).toBe(0);
  expect(getFloat("abc")).toBeUndefined();
  expect(getFloat(null)).toBeUndefined();
});

test("cutBytes cuts at a byte length like Go's s[:n]", () => {
  expect(cutBytes("héllo", 3)).toBe("hé");
  expect(cutBytes("abc", 10)).toBe("abc");
});

test("Luhn check and redaction", () => {
  expect(isLuhn("4242424242424242")).toBe(true);
  expect(isLuhn("4242424242424241")).toBe(false);
  expect(isLuhn("79927398713")).toBe(true);
  expect(isLuhn("99999999999999999999")).toBe(false); // beyond int64, as Go's Atoi refuses it
  expect(redactLuhn("card 4242424242424242, ok", "X", 13, "")).toBe("card X, ok");
  expect(redactLuhn("card 4242 4242 4242 4242 end", "X", 13, " ")).toBe("card X end");
  expect(redactLuhn("short 79927398713", "X", 13, "")).toBe("short 79927398713");
});

test("splitJSONArray returns raw element text and refuses non-arrays", () => {
  expect(splitJSONArray(` [ {"a": [1,2]} , "x,y" , 3 ] `)).toEqual([`{"a": [1,2]}`, `"x,y"`, "3"]);
  expect(splitJSONArray(`["esc\\"aped]"]`)).toEqual([`"esc\\"aped]"`]);
  expect(splitJSONArray("[]")).toEqual([]);
  expect(splitJSONArray(`{"a":1}`)).toBeUndefined();
  expect(splitJSONArray("[1,")).toBeUndefined();
});

test("Loki pattern parsing and matching", () => {
  const p = parsePattern(`<ip> - <_> "<method> <path>"`);
  expect(matchPattern(p, `1.2.3.4 - x "GET /a" trailing`)).toEqual([
    ["ip", "1.2.3.4"],
    ["method", "GET"],
    ["path", "/a"],
  ]);
  expect(matchPattern(parsePattern("prefix <a>"), "other")).toBeUndefined();
  expect(() => parsePattern("<a> <a>")).toThrow("duplicate capture name (a): invalid expression");
});

test("the token bucket starts full, refills at rate, and reserves ahead", () => {
  let now = 0;
  const b = new TokenBucket(2, 2, () => now);
  expect([b.allow(), b.allow(), b.allow()]).toEqual([true, true, false]);
  now = 500;
  expect(b.allow()).toBe(true);
  expect(b.reserve()).toBe(500);
});

test("label names from Windows messages are sanitized like Alloy's SanitizeFullLabelName", () => {
  expect(sanitizeLabelName("\tSecurity ID")).toBe("_Security_ID");
  expect(sanitizeLabelName("1abc")).toBe("_abc");
  expect(sanitizeLabelName("")).toBe("_");
});

test("goJSONMarshal sorts keys and escapes HTML characters like encoding/json", () => {
  expect(goJSONMarshal({ b: 1, a: ["<&>"] })).toBe('{"a":["\\u003c\\u0026\\u003e"],"b":1}');
});
