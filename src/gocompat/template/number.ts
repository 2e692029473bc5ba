// Number literals in templates, as text/template/parse's newNumber reads
// them: Go integer syntax (base prefixes, underscores), floats, character
// constants; an integral float also counts as an int.

import { goParseFloat } from "../strconv_int.ts";
import { unquote } from "../strconv.ts";
import type { Item } from "./lex.ts";
import type { NumberNode } from "./nodes.ts";

export class NumberSyntaxError extends Error {}

function fail(msg: string): never {
  throw new NumberSyntaxError(msg);
}

export function parseNumber(t: Item): NumberNode {
  const n: NumberNode = { type: "number", pos: t.pos, text: t.val, isInt: false, isFloat: false, int: 0n, float: 0 };
  if (t.type === "complex") fail(`complex numbers are not supported: ${JSON.stringify(t.val)}`);
  if (t.type === "charConstant") {
    let r: string;
    try {
      r = unquote(t.val);
    } catch {
      fail(`malformed character constant: ${t.val}`);
    }
    const cp = r.codePointAt(0)!;
    return { ...n, isInt: true, isFloat: true, int: BigInt(cp), float: cp };
  }
  const text = t.val;
  if (text.endsWith("i")) {
    let imaginary = false;
    try {
      goParseFloat(text.slice(0, -1).replaceAll("_", ""));
      imaginary = true;
    } catch {
      // not a number with an `i` suffix: reported as illegal below
    }
    if (imaginary) fail(`complex numbers are not supported: ${JSON.stringify(text)}`);
  }
  const i = parseGoInt(text);
  if (i !== undefined && i >= -(2n ** 63n) && i < 2n ** 64n) {
    n.isInt = i < 2n ** 63n;
    n.int = i;
    n.isFloat = true;
    n.float = Number(i);
    if (!n.isInt) fail(`${text} overflows int`);
    return n;
  }
  let f: number | undefined;
  try {
    f = goParseFloat(text.replaceAll("_", ""));
  } catch {
    f = undefined;
  }
  if (f !== undefined && Number.isFinite(f)) {
    if (!/[.eEpP]/.test(text)) fail(`integer overflow: ${JSON.stringify(text)}`);
    n.isFloat = true;
    n.float = f;
    if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
      n.isInt = true;
      n.int = BigInt(f);
    }
    return n;
  }
  fail(`illegal number syntax: ${JSON.stringify(text)}`);
}

/** Go integer literal syntax with base prefixes and underscores; undefined if not an integer. */
export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let body: string;
  let prefix = "";
  if (/^0[xX]/.test(s)) [prefix, body] = ["0x", s.slice(2)];
  else if (/^0[oO]/.test(s)) [prefix, body] = ["0o", s.slice(2)];
  else if (/^0[bB]/.test(s)) [prefix, body] = ["0b", s.slice(2)];
  else if (/^0[\d_]/.test(s)) [prefix, body] = ["0o", s.slice(1)];
  else body = s;
  if (body.includes("_")) {
    // Underscores only separate digits (or follow a base prefix).
    if (/__|_$/.test(body) || (body.startsWith("_") && prefix === "")) return undefined;
    body = body.replaceAll("_", "");
  }
  const valid = prefix === "0x" ? /^[0-9a-fA-F]+$/ : prefix === "0o" ? /^[0-7]+$/ : prefix === "0b" ? /^[01]+$/ : /^\d+$/;
  if (!valid.test(body)) return undefined;
  const v = BigInt(prefix + body);
  return neg ? -v : v;
}
