// Label sets: the identity of a series. A Labels value is immutable and keeps its
// pairs in one flat array sorted by name ([name0, value0, name1, value1, ...]) so
// comparison, iteration and key building touch one contiguous array. The string key
// and the 64-bit hash are computed once, on first use, and cached on the object:
// producers that keep their Labels objects across scrapes never rebuild them.

import { xxHash64 } from "./xxhash64.ts";

/** The label holding the metric name. */
export const METRIC_NAME = "__name__";

// Separates names and values in the identity key. A lone surrogate never appears in
// text decoded from valid UTF-8, so no two different label sets share a key.
const KEY_SEP = "\ud800";
const KEY_SEP_CODE = 0xd800;

type BunHash = { hash: { xxHash64(data: string | Uint8Array): bigint } };
const bunHash = (globalThis as { Bun?: BunHash }).Bun?.hash;
const utf8 = new TextEncoder();

export class Labels {
  #key: string | undefined;
  #hash: bigint | undefined;
  #keyHash = -1;
  /**
   * Per-series state derived from these labels, cached by the one consumer of each
   * slot so its hot path needs no WeakMap lookup per sample: the remote-write
   * encoder (the encoded label bytes) and the WAL storage (its series ref). Not part
   * of the identity; a consumer that finds another's entry falls back to its own map.
   */
  #encoding: unknown = undefined;
  #walSeries: unknown = undefined;

  // Accessors, not fields: the slots stay out of structural comparisons (toEqual, JSON).
  get encoding(): unknown {
    return this.#encoding;
  }
  set encoding(v: unknown) {
    this.#encoding = v;
  }
  get walSeries(): unknown {
    return this.#walSeries;
  }
  set walSeries(v: unknown) {
    this.#walSeries = v;
  }

  /** `flat` must be sorted by name with unique names; use the static constructors otherwise. */
  private constructor(readonly flat: readonly string[]) {}

  static readonly EMPTY = new Labels([]);

  /** From name/value pairs in any order; later duplicates win; empty values are dropped as in Prometheus. */
  static fromPairs(pairs: Iterable<readonly [string, string]>): Labels {
    const b = new LabelsBuilder();
    for (const [n, v] of pairs) b.set(n, v);
    return b.labels();
  }

  static fromObject(obj: Readonly<Record<string, string>>): Labels {
    return Labels.fromPairs(Object.entries(obj));
  }

  /** `fromStrings("a", "1", "b", "2")`, a test and literal convenience. */
  static fromStrings(...nv: string[]): Labels {
    if (nv.length % 2 !== 0) throw new Error("Labels.fromStrings: odd number of strings");
    const pairs: [string, string][] = [];
    for (let i = 0; i < nv.length; i += 2) pairs.push([nv[i]!, nv[i + 1]!]);
    return Labels.fromPairs(pairs);
  }

  /** Trusts the caller: `flat` is already sorted by name, names unique, no empty values. */
  static fromSortedFlat(flat: string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  get size(): number {
    return this.flat.length >>> 1;
  }

  /** The value of `name`, or "" when absent (Prometheus treats both the same). */
  get(name: string): string {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) {
      if (f[i] === name) return f[i + 1]!;
    }
    return "";
  }

  has(name: string): boolean {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return true;
    return false;
  }

  /** The first label name that occurs twice (parsers keep duplicates adjacent so they can be rejected), or undefined. */
  duplicateName(): string | undefined {
    const f = this.flat;
    for (let i = 2; i < f.length; i += 2) if (f[i] === f[i - 2]) return f[i];
    return undefined;
  }

  /** The metric name (`__name__`), or "". */
  metricName(): string {
    return this.get(METRIC_NAME);
  }

  forEach(fn: (name: string, value: string) => void): void {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) fn(f[i]!, f[i + 1]!);
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) yield [f[i]!, f[i + 1]!];
  }

  /** An exact identity string: equal keys ⇔ equal label sets. Use it as a Map key. */
  key(): string {
    if (this.#key === undefined) this.#key = this.flat.join(KEY_SEP);
    return this.#key;
  }

  /**
   * 32-bit FNV-1a of the identity key's UTF-16 code units, computed from the label
   * strings without building the key (equal to FNV-1a of key()). Series indexes and
   * remote-write sharding use it, so a long-lived series holds no key string.
   */
  keyHash(): number {
    if (this.#keyHash >= 0) return this.#keyHash;
    const f = this.flat;
    let h = 0x811c9dc5;
    for (let i = 0; i < f.length; i++) {
      if (i > 0) {
        h ^= KEY_SEP_CODE;
        h = Math.imul(h, 0x01000193);
      }
      const s = f[i]!;
      for (let j = 0; j < s.length; j++) {
        h ^= s.charCodeAt(j);
        h = Math.imul(h, 0x01000193);
      }
    }
    this.#keyHash = h >>> 0;
    return this.#keyHash;
  }

  /** 64-bit XXH64 of the identity key, for sharding and quick inequality checks. */
  hash(): bigint {
    if (this.#hash === undefined) {
      const k = this.key();
      this.#hash = bunHash ? bunHash.xxHash64(utf8.encode(k)) : xxHash64(utf8.encode(k));
    }
    return this.#hash;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.flat;
    const b = other.flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Orders label sets as Prometheus's labels.Compare does. */
  compare(other: Labels): number {
    const a = this.flat;
    const b = other.flat;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    }
    return a.length - b.length;
  }

  toObject(): Record<string, string> {
    const o: Record<string, string> = Object.create(null) as Record<string, string>;
    this.forEach((n, v) => (o[n] = v));
    return o;
  }

  /** Prometheus's rendering: `{__name__="up", job="x"}`. */
  toString(): string {
    const parts: string[] = [];
    this.forEach((n, v) => parts.push(`${n}=${JSON.stringify(v)}`));
    return `{${parts.join(", ")}}`;
  }

  /** A builder seeded with these labels, for edits (relabeling, external labels). */
  builder(): LabelsBuilder {
    return new LabelsBuilder(this);
  }
}

/**
 * Collects label edits and produces a sorted Labels. Setting a value to "" deletes
 * the label, as Prometheus's labels.Builder does.
 */
export class LabelsBuilder {
  #base: Labels;
  #names: string[] = [];
  #values: string[] = [];
  #changed = false;

  constructor(base: Labels = Labels.EMPTY) {
    this.#base = base;
    this.#names = [];
    this.#values = [];
    const f = base.flat;
    for (let i = 0; i < f.length; i += 2) {
      this.#names.push(f[i]!);
      this.#values.push(f[i + 1]!);
    }
  }

  reset(base: Labels): this {
    this.#base = base;
    this.#names.length = 0;
    this.#values.length = 0;
    this.#changed = false;
    const f = base.flat;
    for (let i = 0; i < f.length; i += 2) {
      this.#names.push(f[i]!);
      this.#values.push(f[i + 1]!);
    }
    return this;
  }

  get(name: string): string {
    const i = this.#names.indexOf(name);
    return i < 0 ? "" : this.#values[i]!;
  }

  has(name: string): boolean {
    return this.#names.indexOf(name) >= 0;
  }

  set(name: string, value: string): this {
    const i = this.#names.indexOf(name);
    if (value === "") {
      if (i >= 0) {
        this.#names.splice(i, 1);
        this.#values.splice(i, 1);
        this.#changed = true;
      }
      return this;
    }
    if (i >= 0) {
      if (this.#values[i] !== value) {
        this.#values[i] = value;
        this.#changed = true;
      }
    } else {
      this.#names.push(name);
      this.#values.push(value);
      this.#changed = true;
    }
    return this;
  }

  del(name: string): this {
    return this.set(name, "");
  }

  /** Visits the current labels (unsorted while edits are pending). */
  forEach(fn: (name: string, value: string) => void): void {
    const n = this.#names.slice();
    const v = this.#values.slice();
    for (let i = 0; i < n.length; i++) fn(n[i]!, v[i]!);
  }

  /** Keeps only labels for which `keep` is true. */
  filter(keep: (name: string, value: string) => boolean): this {
    for (let i = this.#names.length - 1; i >= 0; i--) {
      if (!keep(this.#names[i]!, this.#values[i]!)) {
        this.#names.splice(i, 1);
        this.#values.splice(i, 1);
        this.#changed = true;
      }
    }
    return this;
  }

  /** The resulting label set; returns the base object itself when nothing changed. */
  labels(): Labels {
    if (!this.#changed) return this.#base;
    const n = this.#names.length;
    const idx = new Array<number>(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const names = this.#names;
    idx.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    const flat = new Array<string>(n * 2);
    for (let i = 0; i < n; i++) {
      flat[2 * i] = names[idx[i]!]!;
      flat[2 * i + 1] = this.#values[idx[i]!]!;
    }
    return Labels.fromSortedFlat(flat);
  }
}

/**
 * Deduplicates label strings so many series share one copy of each name and value
 * (a scrape target's series repeat the same few strings thousands of times). Scoped
 * per producer so it can be dropped with it; never a process-wide unbounded table.
 */
export class StringInterner {
  #table = new Map<string, string>();

  constructor(readonly maxEntries = 1 << 20) {}

  intern(s: string): string {
    const hit = this.#table.get(s);
    if (hit !== undefined) return hit;
    if (this.#table.size >= this.maxEntries) this.#table.clear();
    this.#table.set(s, s);
    return s;
  }

  get size(): number {
    return this.#table.size;
  }

  clear(): void {
    this.#table.clear();
  }
}

/** Legacy metric name check: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function isValidLegacyMetricName(name: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name);
}

/** Legacy label name check: `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isValidLegacyLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}
