// The staleness marker: a NaN with the exact bit pattern 0x7ff0000000000002 that
// tells Prometheus a series ended. JavaScript engines canonicalise NaN payloads as
// soon as a value becomes a JS number (Bun/JSC always reads 0x7ff8000000000000 back),
// so the marker can never travel as a `number`. It lives only as raw bits inside a
// Float64Array's buffer (see MetricsBatch) and in encoded bytes, and is tested there.

export const STALE_NAN_BITS = 0x7ff0000000000002n;
/** High and low 32-bit halves of the marker, little-endian word order in memory. */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

/** True if the 64-bit value at `index` of a Float64Array (viewed as `words`) is the staleness marker. */
export function isStaleAt(words: Uint32Array, index: number): boolean {
  return words[2 * index] === STALE_NAN_LO && words[2 * index + 1] === STALE_NAN_HI;
}

/** Writes the staleness marker at `index` of a Float64Array (viewed as `words`). */
export function writeStaleAt(words: Uint32Array, index: number): void {
  words[2 * index] = STALE_NAN_LO;
  words[2 * index + 1] = STALE_NAN_HI;
}

/** True if 8 bytes at `offset` (little-endian float64) are the staleness marker. */
export function isStaleBytes(bytes: Uint8Array, offset: number): boolean {
  return (
    bytes[offset] === 0x02 &&
    bytes[offset + 1] === 0 &&
    bytes[offset + 2] === 0 &&
    bytes[offset + 3] === 0 &&
    bytes[offset + 4] === 0 &&
    bytes[offset + 5] === 0 &&
    bytes[offset + 6] === 0xf0 &&
    bytes[offset + 7] === 0x7f
  );
}
