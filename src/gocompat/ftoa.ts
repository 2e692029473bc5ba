// Go's strconv.FormatFloat(x, fmt, prec, 64) for 'e', 'E', 'f', 'g', 'G':
// shortest round-trip digits when prec < 0, otherwise exact decimal
// rounding half to even (as Go does, unlike Number#toFixed).

interface Digits {
  /** Significant digits without leading/trailing zeros ("" for zero). */
  d: string;
  /** Position of the decimal point relative to the start of d. */
  dp: number;
}

function shortest(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const [mant, exp] = x.toExponential().split("e") as [string, string];
  return { d: mant.replace(".", ""), dp: Number(exp) + 1 };
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The exact decimal expansion of a finite positive double. */
function exact(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  f64[0] = x;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  let d: string;
  let dp: number;
  if (e2 >= 0) {
    d = (mant << BigInt(e2)).toString();
    dp = d.length;
  } else {
    const k = -e2;
    d = (mant * 5n ** BigInt(k)).toString();
    dp = d.length - k;
  }
  const trimmedLead = d.replace(/^0+/, "");
  dp -= d.length - trimmedLead.length;
  return { d: trimmedLead.replace(/0+$/, ""), dp };
}

/** Rounds to nd significant digits, half to even on exact ties (Go's decimal.Round). */
function round(a: Digits, nd: number): Digits {
  if (nd < 0 || nd >= a.d.length) return a;
  const c = a.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (c === 5 && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 5;
  if (!up) return { d: a.d.slice(0, nd).replace(/0+$/, ""), dp: a.d.slice(0, nd).replace(/0+$/, "") === "" ? 0 : a.dp };
  let i = nd - 1;
  while (i >= 0 && a.d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: a.dp + 1 };
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
}

function fmtE(neg: boolean, digs: Digits, prec: number, e: string): string {
  let out = neg ? "-" : "";
  out += digs.d.length ? digs.d[0] : "0";
  if (prec > 0) out += "." + digs.d.slice(1, prec + 1).padEnd(prec, "0");
  const exp = digs.d.length === 0 ? 0 : digs.dp - 1;
  const a = Math.abs(exp);
  return out + e + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
}

function fmtF(neg: boolean, digs: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (digs.dp > 0) out += digs.d.slice(0, Math.min(digs.d.length, digs.dp)).padEnd(digs.dp, "0");
  else out += "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = digs.dp + i;
      out += j >= 0 && j < digs.d.length ? digs.d[j] : "0";
    }
  }
  return out;
}

export function formatFloat(x: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  const isShortest = prec < 0;
  let digs: Digits;
  if (isShortest) {
    digs = shortest(ax);
    if (fmt === "e" || fmt === "E") prec = Math.max(digs.d.length - 1, 0);
    else if (fmt === "f") prec = Math.max(digs.d.length - digs.dp, 0);
    else prec = digs.d.length;
  } else {
    const ex = exact(ax);
    if (fmt === "e" || fmt === "E") digs = round(ex, prec + 1);
    else if (fmt === "f") digs = round(ex, ex.dp + prec);
    else {
      if (prec === 0) prec = 1;
      digs = round(ex, prec);
    }
  }
  if (fmt === "e" || fmt === "E") return fmtE(neg, digs, prec, fmt);
  if (fmt === "f") return fmtF(neg, digs, prec);
  let eprec = prec;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  if (isShortest) eprec = 6;
  const exp = digs.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > digs.d.length) prec = digs.d.length;
    return fmtE(neg, digs, prec - 1, fmt === "g" ? "e" : "E");
  }
  if (prec > digs.dp) prec = digs.d.length;
  return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
}
