// Go's time.ParseDuration and Duration.String(), so duration arguments accept
// and print exactly what Alloy does. Durations travel as milliseconds (a JS
// number); sub-millisecond precision stays as a fraction.

const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // micro sign
  "\u03bcs": 1_000n, // Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
const OVERFLOW_LIMIT = 1n << 63n;

/** Go's time.quote: the string between double quotes, escaping what Go escapes. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch < " " || ch === "\u007f") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

export class DurationError extends Error {}

function invalid(orig: string): DurationError {
  return new DurationError(`time: invalid duration ${goQuote(orig)}`);
}

/** Parses a Go duration string into nanoseconds. Throws DurationError with Go's message. */
export function parseDurationNanos(orig: string): bigint {
  let s = orig;
  let neg = false;
  if (s !== "") {
    const c = s[0];
    if (c === "-" || c === "+") {
      neg = c === "-";
      s = s.slice(1);
    }
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid(orig);
  let d = 0n;
  while (s !== "") {
    const c0 = s[0]!;
    if (!(c0 === "." || (c0 >= "0" && c0 <= "9"))) throw invalid(orig);
    // Integer part.
    let i = 0;
    let v = 0n;
    while (i < s.length && s[i]! >= "0" && s[i]! <= "9") {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > OVERFLOW_LIMIT) throw invalid(orig);
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    // Fractional part.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (j < s.length && s[j]! >= "0" && s[j]! <= "9") {
        if (!overflow) {
          if (f > (MAX_INT64 - 9n) / 10n) overflow = true;
          else {
            f = f * 10n + BigInt(s.charCodeAt(j) - 48);
            scale *= 10;
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid(orig);
    // Unit.
    let k = 0;
    while (k < s.length) {
      const c = s[k]!;
      if (c === "." || (c >= "0" && c <= "9")) break;
      k++;
    }
    if (k === 0) throw new DurationError(`time: missing unit in duration ${goQuote(orig)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = NS[u];
    if (unit === undefined) throw new DurationError(`time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}`);
    if (v > OVERFLOW_LIMIT / unit) throw invalid(orig);
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > OVERFLOW_LIMIT) throw invalid(orig);
    }
    d += v;
    if (d > OVERFLOW_LIMIT) throw invalid(orig);
  }
  if (neg) return -d;
  if (d > MAX_INT64) throw invalid(orig);
  return d;
}

/** Parses a Go duration string into milliseconds (fractional for sub-ms precision). */
export function parseDuration(s: string): number {
  return Number(parseDurationNanos(s)) / 1e6;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = digit.toString() + out;
    v /= 10n;
  }
  if (print) out = "." + out;
  return [out, v];
}

/** Go's Duration.String() for a nanosecond count. */
export function formatDurationNanos(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return "0s";
    let unit: string;
    let prec: number;
    if (u < 1_000n) {
      unit = "ns";
      prec = 0;
    } else if (u < 1_000_000n) {
      unit = "\u00b5s";
      prec = 3;
    } else {
      unit = "ms";
      prec = 6;
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = rest.toString() + frac + unit;
  } else {
    const [frac, rest] = fmtFrac(u, 9);
    u = rest;
    out = (u % 60n).toString() + frac + "s";
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + "m" + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

/** Go's Duration.String() for a millisecond count (rounded to whole nanoseconds). */
export function formatDuration(ms: number): string {
  return formatDurationNanos(BigInt(Math.round(ms * 1e6)));
}
