// SeriesTexts: the scrape cache's entries by exposed series text, an open-addressing
// table (linear probing) in a Uint32Array of hashes and two arrays of texts and
// entries: a Map would add an entry record per series on top of the text itself.

const MIN_CAPACITY = 16;

/** FNV-1a of the text's UTF-16 code units, finished with murmur3's mixer for the slot bits. */
function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class SeriesTexts<T> {
  #hashes = new Uint32Array(MIN_CAPACITY);
  /** undefined marks an empty slot. */
  #texts: (string | undefined)[] = new Array<string | undefined>(MIN_CAPACITY).fill(undefined);
  #values: (T | undefined)[] = new Array<T | undefined>(MIN_CAPACITY).fill(undefined);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #find(text: string, h: number): number {
    const texts = this.#texts;
    const hashes = this.#hashes;
    const mask = texts.length - 1;
    let i = h & mask;
    for (;;) {
      const t = texts[i];
      if (t === undefined || (hashes[i] === h && t === text)) return i;
      i = (i + 1) & mask;
    }
  }

  get(text: string): T | undefined {
    return this.#values[this.#find(text, hashText(text))];
  }

  set(text: string, value: T): void {
    const h = hashText(text);
    let i = this.#find(text, h);
    if (this.#texts[i] === undefined) {
      if ((this.#size + 1) * 4 > this.#texts.length * 3) {
        this.#rehash(this.#texts.length * 2);
        i = this.#find(text, h);
      }
      this.#texts[i] = text;
      this.#hashes[i] = h;
      this.#size++;
    }
    this.#values[i] = value;
  }

  clear(): void {
    this.#hashes = new Uint32Array(MIN_CAPACITY);
    this.#texts = new Array<string | undefined>(MIN_CAPACITY).fill(undefined);
    this.#values = new Array<T | undefined>(MIN_CAPACITY).fill(undefined);
    this.#size = 0;
  }

  #rehash(capacity: number): void {
    const oldHashes = this.#hashes;
    const oldTexts = this.#texts;
    const oldValues = this.#values;
    this.#hashes = new Uint32Array(capacity);
    this.#texts = new Array<string | undefined>(capacity).fill(undefined);
    this.#values = new Array<T | undefined>(capacity).fill(undefined);
    const mask = capacity - 1;
    for (let k = 0; k < oldTexts.length; k++) {
      const t = oldTexts[k];
      if (t === undefined) continue;
      const h = oldHashes[k]!;
      let i = h & mask;
      while (this.#texts[i] !== undefined) i = (i + 1) & mask;
      this.#hashes[i] = h;
      this.#texts[i] = t;
      this.#values[i] = oldValues[k];
    }
  }

  /** Removes the entry of `text`; later entries of its probe run shift back, so no lookup needs a tombstone. */
  delete(text: string): boolean {
    const texts = this.#texts;
    const values = this.#values;
    const hashes = this.#hashes;
    const mask = texts.length - 1;
    let hole = this.#find(text, hashText(text));
    if (texts[hole] === undefined) return false;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      if (texts[j] === undefined) break;
      const home = hashes[j]! & mask;
      // The entry at j may move into the hole only if its home slot is not in (hole, j].
      if (hole <= j ? hole < home && home <= j : hole < home || home <= j) continue;
      hashes[hole] = hashes[j]!;
      texts[hole] = texts[j];
      values[hole] = values[j];
      hole = j;
    }
    texts[hole] = undefined;
    values[hole] = undefined;
    this.#size--;
    return true;
  }

  /** Visits every entry once; those for which `keep` returns false are removed. */
  sweep(keep: (value: T, text: string) => boolean): void {
    const texts = this.#texts;
    const values = this.#values;
    // Removed after the pass: a backward shift during it could move an entry past the cursor.
    let removed: string[] | undefined;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i];
      if (t === undefined || keep(values[i]!, t)) continue;
      (removed ??= []).push(t);
    }
    if (removed === undefined) return;
    for (const t of removed) this.delete(t);
    // Shrink when the table became sparse.
    let capacity = this.#texts.length;
    while (capacity > MIN_CAPACITY && this.#size * 4 < capacity / 2) capacity >>>= 1;
    if (capacity < this.#texts.length) this.#rehash(capacity);
  }
}
