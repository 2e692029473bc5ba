// HashTable: an open-addressing table (linear probing, backward-shift deletion) in a
// Uint32Array of hashes and two arrays of keys and values. An index of many
// long-lived series (the scrape cache, the WAL storage) then costs a few words per
// slot and no per-entry object, where a Map adds an entry record per series.

const MIN_CAPACITY = 16;

/** A hash for non-negative integer keys (WAL series refs, which may pass 2^32): Knuth's multiplicative hash of the low 32 bits mixed with the high ones. */
export function hashInteger(n: number): number {
  const h = Math.imul((n >>> 0) ^ Math.floor(n / 0x100000000), 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

export const sameNumber = (a: number, b: number): boolean => a === b;

export class HashTable<K, V> {
  #hashes = new Uint32Array(MIN_CAPACITY);
  /** undefined marks an empty slot. */
  #keys: (K | undefined)[] = new Array<K | undefined>(MIN_CAPACITY).fill(undefined);
  #values: (V | undefined)[] = new Array<V | undefined>(MIN_CAPACITY).fill(undefined);
  #size = 0;

  /** `hash` must spread its entropy into the low bits: they pick the slot. */
  constructor(
    private readonly hash: (key: K) => number,
    private readonly equal: (a: K, b: K) => boolean,
  ) {}

  get size(): number {
    return this.#size;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  #find(key: K, h: number): number {
    const keys = this.#keys;
    const hashes = this.#hashes;
    const mask = keys.length - 1;
    let i = h & mask;
    for (;;) {
      const k = keys[i];
      if (k === undefined || (hashes[i] === h && this.equal(k, key))) return i;
      i = (i + 1) & mask;
    }
  }

  get(key: K): V | undefined {
    return this.#values[this.#find(key, this.hash(key))];
  }

  /** Sets the value for `key`, replacing the value of an equal key. */
  set(key: K, value: V): void {
    const h = this.hash(key);
    let i = this.#find(key, h);
    if (this.#keys[i] === undefined) {
      // Load at most 3/4 keeps probe runs short.
      if ((this.#size + 1) * 4 > this.#keys.length * 3) {
        this.#rehash(this.#keys.length * 2);
        i = this.#find(key, h);
      }
      this.#keys[i] = key;
      this.#hashes[i] = h;
      this.#size++;
    }
    this.#values[i] = value;
  }

  /** Removes the entry of `key`; later entries of its probe run shift back, so no lookup needs a tombstone. */
  delete(key: K): boolean {
    const keys = this.#keys;
    const values = this.#values;
    const hashes = this.#hashes;
    const mask = keys.length - 1;
    let hole = this.#find(key, this.hash(key));
    if (keys[hole] === undefined) return false;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      if (keys[j] === undefined) break;
      const home = hashes[j]! & mask;
      // The entry at j may move into the hole only if its home slot is not in (hole, j].
      if (hole <= j ? hole < home && home <= j : hole < home || home <= j) continue;
      hashes[hole] = hashes[j]!;
      keys[hole] = keys[j];
      values[hole] = values[j];
      hole = j;
    }
    keys[hole] = undefined;
    values[hole] = undefined;
    this.#size--;
    return true;
  }

  clear(): void {
    this.#hashes = new Uint32Array(MIN_CAPACITY);
    this.#keys = new Array<K | undefined>(MIN_CAPACITY).fill(undefined);
    this.#values = new Array<V | undefined>(MIN_CAPACITY).fill(undefined);
    this.#size = 0;
  }

  #rehash(capacity: number): void {
    const oldHashes = this.#hashes;
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const hashes = (this.#hashes = new Uint32Array(capacity));
    const keys = (this.#keys = new Array<K | undefined>(capacity).fill(undefined));
    const values = (this.#values = new Array<V | undefined>(capacity).fill(undefined));
    const mask = capacity - 1;
    for (let k = 0; k < oldKeys.length; k++) {
      const key = oldKeys[k];
      if (key === undefined) continue;
      const h = oldHashes[k]!;
      let i = h & mask;
      while (keys[i] !== undefined) i = (i + 1) & mask;
      hashes[i] = h;
      keys[i] = key;
      values[i] = oldValues[k];
    }
  }

  /** Visits every entry once; those for which `keep` returns false are removed. */
  sweep(keep: (value: V, key: K) => boolean): void {
    const keys = this.#keys;
    const values = this.#values;
    // Removed after the pass: a backward shift during it could move an entry past the cursor.
    let removed: K[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === undefined || keep(values[i]!, k)) continue;
      (removed ??= []).push(k);
    }
    if (removed === undefined) return;
    for (const k of removed) this.delete(k);
    // Shrink when the table became sparse.
    let capacity = this.#keys.length;
    while (capacity > MIN_CAPACITY && this.#size * 4 < capacity / 2) capacity >>>= 1;
    if (capacity < this.#keys.length) this.#rehash(capacity);
  }

  *values(): IterableIterator<V> {
    const keys = this.#keys;
    const values = this.#values;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) yield values[i]!;
  }
}
