// Number syntax of the exposition formats, as Go's strconv parses and formats it
// (Prometheus parses values with strconv.ParseFloat, refusing `_` and hex floats).

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Parses like Prometheus's parseFloat; returns an error message string on failure. */
export function parseGoFloat(s: string): number | string {
  // Fast path: only digits, sign, dot and exponent characters. For these, JS Number()
  // accepts exactly what Go's ParseFloat accepts (both reject "1e", "--1", ".").
  let plain = s.length > 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69)) {
      plain = false;
      break;
    }
  }
  if (plain) {
    const v = Number(s);
    if (Number.isFinite(v)) return v;
    if (Number.isNaN(v)) return `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`;
    return `strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`;
  }
  if (/[pP_]/.test(s)) return "unsupported character in float";
  if (DECIMAL.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return `strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`;
    return v;
  }
  if (SPECIAL.test(s)) {
    const lower = s.toLowerCase();
    if (lower.endsWith("nan")) return NaN;
    return lower.startsWith("-") ? -Infinity : Infinity;
  }
  return `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`;
}

/** Parses a base-10 int64 of digits only, as strconv.ParseInt; returns an error message on failure. */
export function parseGoInt(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`;
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) {
    return `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`;
  }
  return Number(b);
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64). */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mant, expStr] = f.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  // Go uses the exponent form for shortest 'g' when exp < -4 or exp >= 6 (fixed
  // precision 6 for the decision); the exponent has at least two digits.
  if (exp < -4 || exp >= 6) {
    return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(f);
}

/** Prometheus's labels.FormatOpenMetricsFloat: Go formatting plus ".0" when neither "." nor "e" appear. */
export function formatOpenMetricsFloat(f: number): string {
  const s = formatGoFloat(f);
  if (s === "NaN" || s === "+Inf" || s === "-Inf") return s;
  return /[.e]/.test(s) ? s : `${s}.0`;
}
