// Go's strconv.ParseInt(s, 10, 64) with its error texts.

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

export class NumError extends Error {
  constructor(fn: string, input: string, reason: "invalid syntax" | "value out of range") {
    super(`strconv.${fn}: parsing ${JSON.stringify(input)}: ${reason}`);
    this.name = "NumError";
  }
}

/** Decimal int64: optional sign, digits only (underscores are not allowed in base 10). */
export function goParseInt(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) throw new NumError("ParseInt", s, "invalid syntax");
  const v = BigInt(s);
  if (v > MAX || v < MIN) throw new NumError("ParseInt", s, "value out of range");
  return v;
}

/** strconv.ParseFloat(s, 64): Go accepts decimal, exponent, hex floats, inf/infinity/nan and underscores between digits only with a base prefix. */
export function goParseFloat(s: string): number {
  const t = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (t === "nan") return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) {
    const v = Number(t);
    if (!Number.isFinite(v)) throw new NumError("ParseFloat", s, "value out of range");
    return v;
  }
  if (/^[+-]?0x[0-9a-f]*\.?[0-9a-f]*p[+-]?\d+$/.test(t)) {
    const m = /^([+-]?)0x([0-9a-f]*)\.?([0-9a-f]*)p([+-]?\d+)$/.exec(t)!;
    const mant = parseInt((m[2] || "0") + (m[3] ?? ""), 16) / 16 ** (m[3]?.length ?? 0);
    return (m[1] === "-" ? -1 : 1) * mant * 2 ** Number(m[4]);
  }
  throw new NumError("ParseFloat", s, "invalid syntax");
}
