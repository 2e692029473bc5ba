// Label-set text as Loki reads and writes it: `{a="b", c="d"}` (Prometheus
// model.LabelSet.String: names sorted, values Go-%q quoted, ", " between).

import { quote, unquote } from "../../gocompat/strconv.ts";
import { newLabelSet, type LabelSet } from "./entry.ts";

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True for a name Prometheus' legacy validation accepts (what Loki accepts for stream labels). */
export function isValidLabelName(name: string): boolean {
  return LEGACY_NAME.test(name);
}

// Printable ASCII other than `"` and `\\`: Go's %q leaves such text as it is.
const PLAIN_VALUE = /^[ !#-[\]-~]*$/;

const quoteValue = (v: string) => (PLAIN_VALUE.test(v) ? `"${v}"` : quote(v));

/** Canonical text of a label set; also the stream key used to group entries. */
export function formatLabels(labels: Readonly<LabelSet>): string {
  const names = Object.keys(labels);
  // Label sets are mostly built in name order already; sorting only when not saves most of its cost.
  for (let i = 1; i < names.length; i++) {
    if (names[i - 1]! > names[i]!) {
      names.sort();
      break;
    }
  }
  let out = "{";
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (i > 0) out += ", ";
    // Names outside the legacy charset are quoted, as Prometheus does for UTF-8 names.
    out += (LEGACY_NAME.test(n) ? n : quote(n)) + "=" + quoteValue(labels[n]!);
  }
  return out + "}";
}

const keys = new WeakMap<Readonly<LabelSet>, string>();

/**
 * formatLabels, remembered per label-set object. Only for label sets that no
 * longer change: those received from another component (see receiver.ts) or
 * built by a stage that never changes a label set in place.
 */
export function streamKey(labels: Readonly<LabelSet>): string {
  let k = keys.get(labels);
  if (k === undefined) {
    k = formatLabels(labels);
    keys.set(labels, k);
  }
  return k;
}

export class LabelParseError extends Error {
  constructor(
    readonly input: string,
    readonly column: number,
    detail: string,
  ) {
    super(`parse error at line 1, col ${column}: ${detail}`);
    this.name = "LabelParseError";
  }
}

/**
 * Parses label-set text as Loki's push path does (PromQL metric syntax):
 * an optional metric name (becomes __name__), then `{name="value", ...}` with
 * double, single or backtick quoted values; a trailing comma is allowed.
 * Empty values are dropped; a repeated name is an error.
 */
export function parseLabels(text: string): LabelSet {
  const out = newLabelSet();
  const seen = new Set<string>();
  let i = 0;
  const n = text.length;
  const fail = (detail: string): never => {
    throw new LabelParseError(text, i + 1, detail);
  };
  const skipSpace = () => {
    while (i < n && /\s/.test(text[i]!)) i++;
  };
  const describe = () => (i >= n ? "end of input" : JSON.stringify(text[i]));
  const ident = (): string => {
    const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text.slice(i));
    if (!m) return "";
    i += m[0].length;
    return m[0];
  };
  const quoted = (): string => {
    const q = text[i];
    if (q !== '"' && q !== "'" && q !== "`") return fail(`unexpected ${describe()}, expected quoted string`);
    let j = i + 1;
    while (j < n && text[j] !== q) {
      if (text[j] === "\\" && q !== "`") j++;
      j++;
    }
    if (j >= n) return fail("unterminated quoted string");
    const lit = text.slice(i, j + 1);
    try {
      const v = unquote(lit);
      i = j + 1;
      return v;
    } catch {
      return fail(`invalid quoted string ${lit}`);
    }
  };
  const add = (name: string, value: string) => {
    if (seen.has(name)) fail(`duplicate label name ${quote(name)}`);
    seen.add(name);
    if (value !== "") out[name] = value;
  };

  skipSpace();
  const metric = ident();
  if (metric) add("__name__", metric);
  skipSpace();
  if (i >= n && metric) return out;
  if (text[i] !== "{") fail(`unexpected ${describe()}, expected "{"`);
  i++;
  for (;;) {
    skipSpace();
    if (text[i] === "}") {
      i++;
      break;
    }
    let name: string;
    if (text[i] === '"') name = quoted();
    else {
      name = ident();
      if (!name || name.includes(":")) fail(`unexpected ${describe()}, expected label name`);
    }
    skipSpace();
    if (text[i] !== "=") fail(`unexpected ${describe()} after label name, expected "="`);
    i++;
    skipSpace();
    add(name, quoted());
    skipSpace();
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text[i] === "}") {
      i++;
      break;
    }
    fail(`unexpected ${describe()}, expected "," or "}"`);
  }
  skipSpace();
  if (i < n) fail(`unexpected ${describe()} after "}"`);
  return out;
}
