// Reading loosely-typed YAML maps: typed getters that tolerate absent keys.

import { formatDurationNanos } from "../../syntax/duration.ts";

export type YamlMap = Record<string, unknown>;

export function isMap(v: unknown): v is YamlMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function map(v: unknown): YamlMap {
  return isMap(v) ? v : {};
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : String(v);
}

export function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map((x) => String(x)) : undefined;
}

const units: Record<string, bigint> = {
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

/** Parses a Prometheus duration (`1h30m`, `5d`, `100ms`) into nanoseconds. */
export function promDurationNanos(s: string): bigint {
  if (s === "0") return 0n;
  const re = /(\d+)(ms|y|w|d|h|m|s)/gy;
  let total = 0n;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += BigInt(m[1]!) * units[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== s.length || s === "") throw new Error(`not a valid duration string: ${JSON.stringify(s)}`);
  return total;
}

/** A Prometheus duration rendered as Go's time.Duration String (`5m0s`). */
export function goDuration(v: unknown, fallback?: string): string | undefined {
  const s = str(v) ?? fallback;
  if (s === undefined) return undefined;
  return formatDurationNanos(promDurationNanos(s));
}
