// YAML → Alloy values the way yaml.v3 decodes into interface{}: plain scalars
// are resolved with v3's rules (base-0 integers with `_` separators, so 017 is
// octal; YAML 1.2 booleans; timestamps stay strings), quoted scalars are strings,
// aliases and `<<` merge keys are followed.

import type * as YAML from "yaml";
import type { Document, Node } from "yaml";
import { newObject, type ObjectValue, type Value } from "../value.ts";

// The yaml package is loaded on the first decode, not with the syntax library: most
// configs never call yaml_decode, and loading it costs ~2 MiB of resident memory.
// A require() inside a function stays a lazily initialised module when bundled.
let yamlModule: typeof YAML | undefined;
function yaml(): typeof YAML {
  return (yamlModule ??= require("yaml") as typeof YAML);
}

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

/** Go's strconv.ParseInt/ParseUint with base 0 (after yaml.v3 removed underscores). */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let n: bigint;
  if (/^0[xXbBoO]/.test(body)) n = BigInt(body.toLowerCase());
  else if (body.length > 1 && body[0] === "0") n = BigInt("0o" + body.slice(1));
  else n = BigInt(body);
  if (m[1] === "-") n = -n;
  return n >= MIN_INT64 && n <= MAX_UINT64 ? n : undefined;
}

/** yaml.v3's resolution of a plain scalar. */
export function resolvePlainScalar(text: string): Value {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  switch (text) {
    case ".inf":
    case ".Inf":
    case ".INF":
    case "+.inf":
    case "+.Inf":
    case "+.INF":
      return Infinity;
    case "-.inf":
    case "-.Inf":
    case "-.INF":
      return -Infinity;
    case ".nan":
    case ".NaN":
    case ".NAN":
      return NaN;
  }
  const c = text[0]!;
  if (c === "-" || c === "+" || c === "." || (c >= "0" && c <= "9")) {
    const plain = text.replaceAll("_", "");
    const n = parseGoInt(plain);
    if (n !== undefined) return n;
    if (FLOAT_RE.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return f;
    }
  }
  return text;
}

function convert(node: unknown, doc: Document): Value {
  if (node === null || node === undefined) return null;
  if (yaml().isAlias(node)) return convert(node.resolve(doc), doc);
  if (yaml().isScalar(node)) {
    const text = String(node.value ?? "");
    const tag = node.tag;
    if (tag === "tag:yaml.org,2002:str" || tag === "!!str") return text;
    if (node.type === "PLAIN" || tag === "tag:yaml.org,2002:int" || tag === "tag:yaml.org,2002:float") {
      return resolvePlainScalar(text);
    }
    return text;
  }
  if (yaml().isSeq(node)) return node.items.map((item) => convert(item, doc));
  if (yaml().isMap(node)) {
    const obj = newObject();
    const merges: ObjectValue[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (yaml().isScalar(keyNode) && keyNode.type === "PLAIN" && keyNode.value === "<<") {
        const v = convert(pair.value, doc);
        for (const m of Array.isArray(v) ? v : [v]) if (m && typeof m === "object" && !Array.isArray(m)) merges.push(m as ObjectValue);
        continue;
      }
      const key = convert(keyNode, doc);
      obj[key === null ? "" : String(key)] = convert(pair.value, doc);
    }
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    for (const m of merges) for (const k of Object.keys(m)) if (!Object.hasOwn(obj, k)) obj[k] = m[k]!;
    return obj;
  }
  return null;
}

export class YAMLSyntaxError extends Error {}

/** Parses a YAML document; throws YAMLSyntaxError with the parser's first message. */
export function parseYAML(text: string): Value {
  const doc = yaml().parseDocument(text, { schema: "failsafe", uniqueKeys: false });
  if (doc.errors.length > 0) throw new YAMLSyntaxError(doc.errors[0]!.message.split("\n")[0]!);
  return convert(doc.contents, doc);
}
