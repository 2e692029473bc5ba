// XXH64 in plain JavaScript, for runtimes without Bun.hash. Series identity only
// needs a good, stable 64-bit hash; this matches the reference algorithm (seed 0).

const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function round(acc: bigint, input: bigint): bigint {
  acc = (acc + input * P2) & MASK;
  acc = rotl(acc, 31n);
  return (acc * P1) & MASK;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val);
  return (acc * P1 + P4) & MASK;
}

function read64(b: Uint8Array, i: number): bigint {
  const lo = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  const hi = (b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function read32(b: Uint8Array, i: number): bigint {
  return BigInt((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0);
}

/** XXH64 of `data` with `seed`, as an unsigned 64-bit bigint. */
export function xxHash64(data: Uint8Array, seed = 0n): bigint {
  const len = data.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & MASK;
    let v2 = (seed + P2) & MASK;
    let v3 = seed;
    let v4 = (seed - P1) & MASK;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, read64(data, i));
      v2 = round(v2, read64(data, i + 8));
      v3 = round(v3, read64(data, i + 16));
      v4 = round(v4, read64(data, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = (seed + P5) & MASK;
  }
  h = (h + BigInt(len)) & MASK;
  for (; i + 8 <= len; i += 8) {
    h ^= round(0n, read64(data, i));
    h = (rotl(h, 27n) * P1 + P4) & MASK;
  }
  if (i + 4 <= len) {
    h ^= (read32(data, i) * P1) & MASK;
    h = (rotl(h, 23n) * P2 + P3) & MASK;
    i += 4;
  }
  for (; i < len; i++) {
    h ^= (BigInt(data[i]!) * P5) & MASK;
    h = (rotl(h, 11n) * P1) & MASK;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}
