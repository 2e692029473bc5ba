// Go's strconv float formatting pieces that fmt's verbs build on: exact
// decimal expansion of a double, half-to-even rounding, %e/%f layouts.

/** The exact decimal expansion of |f| (f finite, non-zero): value = 0.digits × 10^dp. */
export function exactDecimal(f: number): { digits: string; dp: number } {
  const { exp, mant } = floatParts(Math.abs(f));
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return { digits: digits.replace(/0+$/, ""), dp };
}

/** Rounds a decimal to `nd` significant digits, half to even on exact ties (Go's strconv rounding). */
export function roundDecimal(d: { digits: string; dp: number }, nd: number): { digits: string; dp: number } {
  if (nd >= d.digits.length) return d;
  if (nd < 0) return { digits: "", dp: d.dp };
  const keep = d.digits.slice(0, nd);
  const next = d.digits[nd]!;
  const exactHalf = next === "5" && nd + 1 === d.digits.length;
  const up = exactHalf ? nd > 0 && Number(keep[nd - 1]) % 2 === 1 : next >= "5";
  if (!up) return { digits: keep.replace(/0+$/, ""), dp: d.dp };
  const chars = keep.split("");
  let i = chars.length - 1;
  while (i >= 0 && chars[i] === "9") chars[i--] = "0";
  if (i < 0) return { digits: "1", dp: d.dp + 1 };
  chars[i] = String(Number(chars[i]) + 1);
  return { digits: chars.join("").replace(/0+$/, ""), dp: d.dp };
}

/** Decimal digits and exponent of |f|: shortest when `sig` is undefined, else rounded to `sig` significant digits. */
export function decimalDigits(f: number, sig?: number): { digits: string; exp: number } {
  if (sig === undefined) {
    const [m, e] = Math.abs(f).toExponential().split("e") as [string, string];
    return { digits: m.replace(".", "").replace(/0+$/, "") || "0", exp: Number(e) };
  }
  const r = roundDecimal(exactDecimal(f), sig);
  return { digits: r.digits || "0", exp: r.dp - 1 };
}

export function expText(exp: number, letter: string): string {
  const sign = exp < 0 ? "-" : "+";
  return letter + sign + String(Math.abs(exp)).padStart(2, "0");
}

export function fmtE(digits: string, exp: number, prec: number, letter: string): string {
  let d = digits;
  if (d.length < prec + 1) d = d.padEnd(prec + 1, "0");
  const mant = prec > 0 ? d[0] + "." + d.slice(1, prec + 1) : d[0]!;
  return mant + expText(exp, letter);
}

/** Fixed notation from significant digits `d` with the decimal point after `dp` digits. */
export function fixedFromDigits(d: string, dp: number, frac: number): string {
  const int = dp > 0 ? d.slice(0, dp).padEnd(dp, "0") || "0" : "0";
  const rest = dp >= 0 ? d.slice(dp) : "0".repeat(-dp) + d;
  return frac > 0 ? int + "." + rest.slice(0, frac).padEnd(frac, "0") : int;
}

export function fmtF(f: number, prec: number): string {
  if (f === 0) return prec > 0 ? "0." + "0".repeat(prec) : "0";
  const d = exactDecimal(f);
  const r = roundDecimal(d, d.dp + prec);
  return fixedFromDigits(r.digits, r.dp, prec);
}

/** The sign, unbiased exponent and 53-bit mantissa of a finite double. */
export function floatParts(f: number): { neg: boolean; exp: number; mant: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { neg, exp: -1074, mant: frac };
  return { neg, exp: biased - 1075, mant: frac | (1n << 52n) };
}

