// Go's time.ParseDuration and Duration.String, for duration flags
// (`--cluster.rejoin-interval=60s`), with Go's error texts.

const unitNanos: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "μs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Milliseconds, or Go's error text. */
export function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration ${JSON.stringify(text)}`;
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return invalid;
  let nanos = 0;
  while (s.length > 0) {
    const num = /^([0-9]*)(\.[0-9]*)?/.exec(s)!;
    const whole = num[1]!;
    const frac = num[2] ?? "";
    if (whole === "" && frac.length <= 1) return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === "") return `time: missing unit in duration ${JSON.stringify(text)}`;
    const scale = unitNanos[unit];
    if (scale === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`;
    s = s.slice(unit.length);
    nanos += Number(`${whole || "0"}${frac}`) * scale;
  }
  return (sign * nanos) / 1e6;
}

/** Go's Duration.String (`1m0s`, `60s` → `1m0s`, `10m0s`, `0s`, `1.5s`, `500ms`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let nanos = Math.round(Math.abs(ms) * 1e6);
  let out: string;
  if (nanos < 1e9) {
    if (nanos < 1e3) out = `${nanos}ns`;
    else if (nanos < 1e6) out = `${trimFloat(nanos / 1e3)}µs`;
    else out = `${trimFloat(nanos / 1e6)}ms`;
  } else {
    const h = Math.floor(nanos / 3600e9);
    nanos -= h * 3600e9;
    const m = Math.floor(nanos / 60e9);
    nanos -= m * 60e9;
    const sec = `${trimFloat(nanos / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)));
}
