// SeriesTexts: the scrape cache's entries by exposed series text, in a HashTable: a
// Map would add an entry record per series on top of the text itself.

import { HashTable } from "../../../telemetry/prometheus/hash_table.ts";

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

const equalTexts = (a: string, b: string): boolean => a === b;

export class SeriesTexts<T> extends HashTable<string, T> {
  constructor() {
    super(hashText, equalTexts);
  }
}
