// RefTable: WAL series ref → slot number, an open-addressing table (linear probing,
// backward-shift deletion) in two typed arrays, so the WAL storage maps refs to its
// series without a Map entry per series. Refs are positive integers; 0 marks an empty slot.

const MIN_CAPACITY = 16;

/** Knuth's multiplicative hash of the ref's low 32 bits mixed with its high bits. */
function home(ref: number, mask: number): number {
  const h = Math.imul((ref >>> 0) ^ Math.floor(ref / 0x100000000), 0x9e3779b1);
  return (h ^ (h >>> 15)) & mask;
}

export class RefTable {
  #refs = new Float64Array(MIN_CAPACITY);
  #slots = new Int32Array(MIN_CAPACITY);
  #mask = MIN_CAPACITY - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #find(ref: number): number {
    const refs = this.#refs;
    const mask = this.#mask;
    let i = home(ref, mask);
    while (refs[i] !== 0 && refs[i] !== ref) i = (i + 1) & mask;
    return i;
  }

  /** The slot of `ref`, or -1. */
  get(ref: number): number {
    const i = this.#find(ref);
    return this.#refs[i] === 0 ? -1 : this.#slots[i]!;
  }

  set(ref: number, slot: number): void {
    let i = this.#find(ref);
    if (this.#refs[i] === 0) {
      if ((this.#size + 1) * 4 > this.#refs.length * 3) {
        this.#rehash(this.#refs.length * 2);
        i = this.#find(ref);
      }
      this.#refs[i] = ref;
      this.#size++;
    }
    this.#slots[i] = slot;
  }

  delete(ref: number): boolean {
    const refs = this.#refs;
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = this.#find(ref);
    if (refs[hole] === 0) return false;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      if (refs[j] === 0) break;
      const h = home(refs[j]!, mask);
      // The entry at j may move into the hole only if its home slot is not in (hole, j].
      if (hole <= j ? hole < h && h <= j : hole < h || h <= j) continue;
      refs[hole] = refs[j]!;
      slots[hole] = slots[j]!;
      hole = j;
    }
    refs[hole] = 0;
    this.#size--;
    if (this.#size * 8 < refs.length && refs.length > MIN_CAPACITY) this.#rehash(refs.length >>> 1);
    return true;
  }

  #rehash(capacity: number): void {
    const oldRefs = this.#refs;
    const oldSlots = this.#slots;
    this.#refs = new Float64Array(capacity);
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let k = 0; k < oldRefs.length; k++) {
      const r = oldRefs[k]!;
      if (r === 0) continue;
      const i = this.#find(r);
      this.#refs[i] = r;
      this.#slots[i] = oldSlots[k]!;
    }
  }

  /** Visits every ref with its slot; `fn` must not change the table. */
  forEach(fn: (ref: number, slot: number) => void): void {
    const refs = this.#refs;
    const slots = this.#slots;
    for (let i = 0; i < refs.length; i++) if (refs[i] !== 0) fn(refs[i]!, slots[i]!);
  }
}
