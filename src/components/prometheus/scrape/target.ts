// Scrape targets as Prometheus builds them from discovered labels
// (scrape/target.go PopulateLabels): job, __scheme__, __metrics_path__,
// __scrape_interval__, __scrape_timeout__ and __param_* defaults, address and
// interval checks, meta labels dropped, instance defaulted to the address. The
// public label set (no `__` names) is what every scraped sample receives.

import { hostname } from "node:os";
import { Labels, LabelsBuilder } from "../../../telemetry/prometheus/labels.ts";
import { xxHash64 } from "../../../telemetry/prometheus/xxhash64.ts";
import type { ScrapeConfig } from "./arguments.ts";

export const ADDRESS_LABEL = "__address__";
export const SCHEME_LABEL = "__scheme__";
export const METRICS_PATH_LABEL = "__metrics_path__";
export const SCRAPE_INTERVAL_LABEL = "__scrape_interval__";
export const SCRAPE_TIMEOUT_LABEL = "__scrape_timeout__";
export const PARAM_LABEL_PREFIX = "__param_";
const META_LABEL_PREFIX = "__meta_";
const RESERVED_PREFIX = "__";

const durationUnits: Array<[string, number]> = [
  ["y", 365 * 24 * 3600 * 1000],
  ["w", 7 * 24 * 3600 * 1000],
  ["d", 24 * 3600 * 1000],
  ["h", 3600 * 1000],
  ["m", 60 * 1000],
  ["s", 1000],
  ["ms", 1],
];

/** Prometheus's model.Duration.String(): `1m`, `1m30s`, `0s`. */
export function formatModelDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let out = "";
  for (const [unit, size] of durationUnits) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const MODEL_DURATION = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

/** Prometheus's model.ParseDuration; milliseconds, or an error message. */
export function parseModelDuration(s: string): number | string {
  if (s === "0") return 0;
  const m = MODEL_DURATION.exec(s);
  if (s === "" || !m) return `not a valid duration string: ${JSON.stringify(s)}`;
  let ms = 0;
  for (let i = 0; i < durationUnits.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) ms += Number(g) * durationUnits[i]![1];
  }
  return ms;
}

/** The labels a target has before relabeling: discovered ones plus the scrape config's defaults. */
export function discoveredLabels(target: Readonly<Record<string, string>>, cfg: ScrapeConfig): Labels {
  const lb = new LabelsBuilder();
  for (const [k, v] of Object.entries(target)) lb.set(k, v);
  const defaults: Array<[string, string]> = [
    ["job", cfg.jobName],
    [SCRAPE_INTERVAL_LABEL, formatModelDuration(cfg.intervalMs)],
    [SCRAPE_TIMEOUT_LABEL, formatModelDuration(cfg.timeoutMs)],
    [METRICS_PATH_LABEL, cfg.metricsPath],
    [SCHEME_LABEL, cfg.scheme],
  ];
  for (const [k, v] of defaults) if (lb.get(k) === "") lb.set(k, v);
  for (const [k, vs] of Object.entries(cfg.params)) {
    const name = PARAM_LABEL_PREFIX + k;
    if (vs.length > 0 && lb.get(name) === "") lb.set(name, vs[0]!);
  }
  return lb.labels();
}

export class TargetError extends Error {}

/** Prometheus's PopulateLabels without relabel rules (Alloy relabels in discovery.relabel). */
export function populateLabels(discovered: Labels): { labels: Labels; intervalMs: number; timeoutMs: number } {
  const lb = discovered.builder();
  const addr = lb.get(ADDRESS_LABEL);
  if (addr === "") throw new TargetError("no address");
  if (addr.includes("/")) throw new TargetError(`${JSON.stringify(addr)} is not a valid hostname`);
  const interval = lb.get(SCRAPE_INTERVAL_LABEL);
  const intervalMs = parseModelDuration(interval);
  if (typeof intervalMs === "string") throw new TargetError(`error parsing scrape interval: ${intervalMs}`);
  if (intervalMs === 0) throw new TargetError("scrape interval cannot be 0");
  const timeout = lb.get(SCRAPE_TIMEOUT_LABEL);
  const timeoutMs = parseModelDuration(timeout);
  if (typeof timeoutMs === "string") throw new TargetError(`error parsing scrape timeout: ${timeoutMs}`);
  if (timeoutMs === 0) throw new TargetError("scrape timeout cannot be 0");
  if (timeoutMs > intervalMs) {
    throw new TargetError(`scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${JSON.stringify(interval)})`);
  }
  lb.filter((name) => !name.startsWith(META_LABEL_PREFIX));
  if (lb.get("instance") === "") lb.set("instance", addr);
  return { labels: lb.labels(), intervalMs, timeoutMs };
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;
const utf8 = new TextEncoder();

function fnv64a(bytes: Uint8Array, h = FNV_OFFSET): bigint {
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK64;
  return h;
}

/** Prometheus's labels.Hash: XXH64 over name 0xff value 0xff ... */
export function prometheusLabelsHash(l: Labels): bigint {
  const parts: Uint8Array[] = [];
  let size = 0;
  l.forEach((n, v) => {
    for (const s of [n, v]) {
      const b = utf8.encode(s);
      parts.push(b, SEP_BYTE);
      size += b.length + 1;
    }
  });
  const buf = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return xxHash64(buf);
}
const SEP_BYTE = new Uint8Array([0xff]);

/** The offset seed of a scrape manager with no external labels: fnv64a(hostname + "{}"). */
export const OFFSET_SEED = fnv64a(utf8.encode(`${hostname()}{}`));

/** One scrape target: its full label set (with `__` labels), public labels and URL. */
export class ScrapeTarget {
  readonly url: string;
  /** Labels every sample of this target receives (no `__` names). */
  readonly publicLabels: Labels;
  readonly hash: bigint;

  constructor(
    readonly labels: Labels,
    readonly discovered: Labels,
    readonly intervalMs: number,
    readonly timeoutMs: number,
    params: Readonly<Record<string, string[]>>,
  ) {
    const pb = new LabelsBuilder();
    labels.forEach((n, v) => {
      if (!n.startsWith(RESERVED_PREFIX)) pb.set(n, v);
    });
    this.publicLabels = pb.labels();
    const query = new Map<string, string[]>();
    for (const [k, vs] of Object.entries(params)) query.set(k, [...vs]);
    labels.forEach((n, v) => {
      if (!n.startsWith(PARAM_LABEL_PREFIX)) return;
      const k = n.slice(PARAM_LABEL_PREFIX.length);
      const cur = query.get(k);
      if (cur && cur.length > 0) cur[0] = v;
      else query.set(k, [v]);
    });
    const qs = [...query.keys()]
      .sort()
      .flatMap((k) => query.get(k)!.map((v) => `${encodeQuery(k)}=${encodeQuery(v)}`))
      .join("&");
    const path = labels.get(METRICS_PATH_LABEL);
    this.url = `${labels.get(SCHEME_LABEL)}://${labels.get(ADDRESS_LABEL)}${path}${qs !== "" ? `?${qs}` : ""}`;
    this.hash = fnv64a(utf8.encode(this.url), fnv64a(utf8.encode(prometheusLabelsHash(labels).toString().padStart(16, "0"))));
  }

  /** Identity of the target in a scrape pool: same labels and URL keep the same loop. */
  get key(): string {
    return `${this.labels.key()}\u0000${this.url}`;
  }

  /** Milliseconds until this target's first scrape: a stable slot within the interval, as Prometheus's offset(). */
  offsetMs(now = Date.now(), seed = OFFSET_SEED): number {
    const interval = BigInt(Math.max(1, Math.round(this.intervalMs))) * 1_000_000n;
    const nowNs = BigInt(now) * 1_000_000n;
    const base = interval - (nowNs % interval);
    const offset = (this.hash ^ seed) % interval;
    let next = base + offset;
    if (next > interval) next -= interval;
    return Number(next / 1_000_000n);
  }
}

/** Go's url.QueryEscape. */
function encodeQuery(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, "+")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
