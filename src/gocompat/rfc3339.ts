// The usual RFC 3339 text (`2024-01-01T00:00:00.123456789Z`, or with a `±hh:mm`
// offset, a fraction of any length after `.` or `,`) read straight from its digits:
// the common case of Go's time.Parse with RFC3339 or RFC3339Nano, without the general
// layout machinery. Anything else, out-of-range fields included, is left to the
// general parser, which decides and words the error.

import { daysFromCivil, daysIn } from "./civil.ts";

const digit = (v: string, i: number): number => {
  const c = v.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const num2 = (v: string, i: number) => digit(v, i) * 10 + digit(v, i + 1);

/**
 * Reads `v`; when it is such a text, leaves its Unix seconds, nanoseconds and zone
 * offset (seconds east of UTC) in `out[0]`, `out[1]` and `out[2]` and returns true.
 * Digits of the fraction past the ninth are read but ignored, as Go does.
 */
export function readRFC3339(v: string, out: Float64Array): boolean {
  const n = v.length;
  if (n < 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return false;
  const year = num2(v, 0) * 100 + num2(v, 2);
  const month = num2(v, 5);
  const day = num2(v, 8);
  const hour = num2(v, 11);
  const min = num2(v, 14);
  const sec = num2(v, 17);
  // NaN (a non-digit) fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && min <= 59 && sec <= 59 && year >= 0) || day > daysIn(month, year)) return false;
  let i = 19;
  let nsec = 0;
  const sep = v.charCodeAt(i);
  if (sep === 46 || sep === 44) {
    i++;
    const start = i;
    let scale = 100_000_000;
    for (; i < n; i++) {
      const d = digit(v, i);
      if (Number.isNaN(d)) break;
      if (scale >= 1) {
        nsec += d * scale;
        scale /= 10;
      }
    }
    if (i === start) return false;
  }
  let offset = 0;
  if (i === n - 1 && v.charCodeAt(i) === 90) offset = 0;
  else if (i === n - 6 && (v.charCodeAt(i) === 43 || v.charCodeAt(i) === 45) && v.charCodeAt(i + 3) === 58) {
    const hh = num2(v, i + 1);
    const mm = num2(v, i + 4);
    if (!(hh <= 24 && mm <= 60)) return false;
    offset = (v.charCodeAt(i) === 45 ? -1 : 1) * (hh * 3600 + mm * 60);
  } else return false;
  out[0] = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
  out[1] = nsec;
  out[2] = offset;
  return true;
}
