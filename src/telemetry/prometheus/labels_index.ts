// LabelsIndex: values by label set, keyed by Labels.keyHash() and told apart by
// Labels.equals on a hash collision. Unlike a Map keyed by labels.key(), it builds
// no identity key string, so an index of many long-lived series (the scrape cache,
// the WAL storage) costs one map slot per series instead of a key string each.

import type { Labels } from "./labels.ts";

export class LabelsIndex<T extends object> {
  // A hash maps to one value, or to an array of values when hashes collide.
  #map = new Map<number, T | T[]>();
  #size = 0;

  constructor(private readonly labelsOf: (value: T) => Labels) {}

  get size(): number {
    return this.#size;
  }

  get(labels: Labels): T | undefined {
    const v = this.#map.get(labels.keyHash());
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return this.labelsOf(v).equals(labels) ? v : undefined;
    for (const x of v) if (this.labelsOf(x).equals(labels)) return x;
    return undefined;
  }

  /** Sets the value for `labels`, replacing one with equal labels. */
  set(labels: Labels, value: T): void {
    const h = labels.keyHash();
    const v = this.#map.get(h);
    if (v === undefined) {
      this.#map.set(h, value);
      this.#size++;
    } else if (!Array.isArray(v)) {
      if (this.labelsOf(v).equals(labels)) this.#map.set(h, value);
      else {
        this.#map.set(h, [v, value]);
        this.#size++;
      }
    } else {
      const i = v.findIndex((x) => this.labelsOf(x).equals(labels));
      if (i >= 0) v[i] = value;
      else {
        v.push(value);
        this.#size++;
      }
    }
  }

  delete(labels: Labels): boolean {
    const h = labels.keyHash();
    const v = this.#map.get(h);
    if (v === undefined) return false;
    if (!Array.isArray(v)) {
      if (!this.labelsOf(v).equals(labels)) return false;
      this.#map.delete(h);
      this.#size--;
      return true;
    }
    const i = v.findIndex((x) => this.labelsOf(x).equals(labels));
    if (i < 0) return false;
    v.splice(i, 1);
    if (v.length === 1) this.#map.set(h, v[0]!);
    this.#size--;
    return true;
  }

  /** Visits every value; those for which `keep` returns false are removed. */
  sweep(keep: (value: T) => boolean): void {
    this.#map.forEach((v, h) => {
      if (!Array.isArray(v)) {
        if (!keep(v)) {
          this.#map.delete(h);
          this.#size--;
        }
        return;
      }
      const kept = v.filter(keep);
      this.#size -= v.length - kept.length;
      if (kept.length === 0) this.#map.delete(h);
      else this.#map.set(h, kept.length === 1 ? kept[0]! : kept);
    });
  }

  *values(): IterableIterator<T> {
    for (const v of this.#map.values()) {
      if (Array.isArray(v)) yield* v;
      else yield v;
    }
  }
}
