// Result cache for prometheus.relabel (max_cache_size, cache_ttl): series identity →
// relabeled labels, or null when the rules drop the series. Least recently used
// entries go first when the cache is full; entries older than the TTL are
// recomputed. Map keeps insertion order, so re-inserting on a hit is the LRU bump.

import type { Labels } from "../labels.ts";
import { relabel, type ProcessOptions } from "./process.ts";
import type { RelabelRule } from "./rule.ts";

interface CacheEntry {
  result: Labels | null;
  at: number;
}

export class RelabelCache {
  #map = new Map<string, CacheEntry>();

  constructor(
    /** Alloy's default is 100000; 0 disables caching. */
    readonly maxSize = 100_000,
    /** Milliseconds; 0 means entries never expire. */
    readonly ttlMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#map.size;
  }

  /** The cached result: Labels, null (dropped), or undefined on a miss. */
  get(key: string): Labels | null | undefined {
    const e = this.#map.get(key);
    if (e === undefined) return undefined;
    if (this.ttlMs > 0 && this.now() - e.at > this.ttlMs) {
      this.#map.delete(key);
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.result;
  }

  set(key: string, result: Labels | null): void {
    if (this.maxSize <= 0) return;
    this.#map.delete(key);
    this.#map.set(key, { result, at: this.now() });
    while (this.#map.size > this.maxSize) {
      const oldest = this.#map.keys().next().value as string;
      this.#map.delete(oldest);
    }
  }

  clear(): void {
    this.#map.clear();
  }
}

/** Rules plus their cache: what prometheus.relabel runs per series. Replace both on update. */
export class CachedRelabeler {
  readonly cache: RelabelCache;
  hits = 0;
  misses = 0;

  constructor(
    readonly rules: readonly RelabelRule[],
    maxSize = 100_000,
    ttlMs = 0,
    private readonly opts: ProcessOptions = {},
  ) {
    this.cache = new RelabelCache(maxSize, ttlMs);
  }

  /** The relabeled series, or undefined when dropped. */
  process(labels: Labels): Labels | undefined {
    const key = labels.key();
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.hits++;
      return hit ?? undefined;
    }
    this.misses++;
    const out = relabel(labels, this.rules, this.opts);
    this.cache.set(key, out ?? null);
    return out;
  }
}
