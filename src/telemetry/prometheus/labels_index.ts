// LabelsIndex: values by label set, keyed by Labels.keyHash() and told apart by
// Labels.equals on a hash collision, in a HashTable: no identity key string and no
// per-entry object.

import { HashTable } from "./hash_table.ts";
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

const hashLabels = (labels: Labels): number => mix(labels.keyHash());
const equalLabels = (a: Labels, b: Labels): boolean => a === b || a.equals(b);

export class LabelsIndex<T> extends HashTable<Labels, T> {
  constructor() {
    super(hashLabels, equalLabels);
  }
}
