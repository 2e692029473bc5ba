// LabelsIndex: values by label set, keyed by Labels.keyHash() and told apart by
// Labels.equals on a hash collision. It builds no identity key string, and it is an
// open-addressing table (linear probing) in two flat arrays, a Uint32Array of mixed
// hashes and an array of values, so an index of many long-lived series (the scrape
// cache, the WAL storage) costs about a dozen bytes per slot and no per-entry object.

import type { Labels } from "./labels.ts";

/** murmur3's 32-bit finaliser: spreads the FNV hash's entropy into the low bits used as the slot. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const MIN_CAPACITY = 16;

export class LabelsIndex<T> {
  #hashes = new Uint32Array(MIN_CAPACITY);
  /** undefined marks an empty slot. */
  #values: (T | undefined)[] = new Array<T | undefined>(MIN_CAPACITY).fill(undefined);
  #mask = MIN_CAPACITY - 1;
  #size = 0;

  constructor(private readonly labelsOf: (value: T) => Labels) {}

  get size(): number {
    return this.#size;
  }

  /** The slot holding `labels`, or the empty slot where it would go (with its mixed hash). */
  #find(labels: Labels, m: number): number {
    const hashes = this.#hashes;
    const values = this.#values;
    const mask = this.#mask;
    let i = m & mask;
    for (;;) {
      const v = values[i];
      if (v === undefined || (hashes[i] === m && this.labelsOf(v).equals(labels))) return i;
      i = (i + 1) & mask;
    }
  }

  get(labels: Labels): T | undefined {
    return this.#values[this.#find(labels, mix(labels.keyHash()))];
  }

  /** Sets the value for `labels`, replacing one with equal labels. */
  set(labels: Labels, value: T): void {
    const m = mix(labels.keyHash());
    let i = this.#find(labels, m);
    if (this.#values[i] !== undefined) {
      this.#values[i] = value;
      return;
    }
    // Load at most 3/4 keeps probe runs short.
    if ((this.#size + 1) * 4 > this.#values.length * 3) {
      this.#rehash(this.#values.length * 2);
      i = this.#find(labels, m);
    }
    this.#hashes[i] = m;
    this.#values[i] = value;
    this.#size++;
  }

  delete(labels: Labels): boolean {
    const i = this.#find(labels, mix(labels.keyHash()));
    if (this.#values[i] === undefined) return false;
    this.#removeAt(i);
    this.#size--;
    return true;
  }

  /** Empties slot `i` and shifts later entries of its probe run back, so no lookup needs a tombstone. */
  #removeAt(i: number): void {
    const hashes = this.#hashes;
    const values = this.#values;
    const mask = this.#mask;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (values[j] === undefined) break;
      const home = hashes[j]! & mask;
      // The entry at j may move into the hole only if its home slot is not in (hole, j].
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (between) continue;
      hashes[hole] = hashes[j]!;
      values[hole] = values[j];
      hole = j;
    }
    values[hole] = undefined;
  }

  #rehash(capacity: number): void {
    const oldHashes = this.#hashes;
    const oldValues = this.#values;
    this.#hashes = new Uint32Array(capacity);
    this.#values = new Array<T | undefined>(capacity).fill(undefined);
    this.#mask = capacity - 1;
    const hashes = this.#hashes;
    const values = this.#values;
    const mask = this.#mask;
    for (let k = 0; k < oldValues.length; k++) {
      const v = oldValues[k];
      if (v === undefined) continue;
      const m = oldHashes[k]!;
      let i = m & mask;
      while (values[i] !== undefined) i = (i + 1) & mask;
      hashes[i] = m;
      values[i] = v;
    }
  }

  /** Visits every value once; those for which `keep` returns false are removed. */
  sweep(keep: (value: T) => boolean): void {
    const values = this.#values;
    // Removed after the pass: a backward shift during it could move an entry past the cursor.
    let removed: T[] | undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === undefined || keep(v)) continue;
      (removed ??= []).push(v);
    }
    if (removed === undefined) return;
    for (const v of removed) this.delete(this.labelsOf(v));
    // Shrink when the table became sparse.
    let capacity = this.#values.length;
    while (capacity > MIN_CAPACITY && this.#size * 4 < capacity / 2) capacity >>>= 1;
    if (capacity < this.#values.length) this.#rehash(capacity);
  }

  *values(): IterableIterator<T> {
    const values = this.#values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== undefined) yield v;
    }
  }
}
