// How stages change an entry's labels. A label set is never changed in place:
// entries share it with each other and with the component that sent them, and
// caches downstream (loki.write's stream keys, stage.timestamp's and
// stage.multiline's per-stream state) remember it by identity. A stage that
// changes labels gives the entry another set instead. The sets a stage derives
// are remembered per input set, so the entries of one stream keep sharing one
// set after the stage as they did before it.

import { newLabelSet, type LabelSet } from "../../../telemetry/loki/entry.ts";

/** Derived sets remembered per input set; past this many the memory of that input starts over. */
const MAX_DERIVED_PER_SET = 1024;

/** The set with `set` applied (name → value) and `remove` deleted; `base` itself when nothing differs. */
export function changedLabels(base: LabelSet, set: Iterable<readonly [string, string]> = [], remove: Iterable<string> = []): LabelSet {
  let out: LabelSet | undefined;
  for (const [k, v] of set) {
    if ((out ?? base)[k] === v) continue;
    out ??= newLabelSet(base);
    out[k] = v;
  }
  for (const k of remove) {
    if ((out ?? base)[k] === undefined) continue;
    out ??= newLabelSet(base);
    delete out[k];
  }
  return out ?? base;
}

/** A function of a label set alone (stage.static_labels, label_drop, label_keep), computed once per set. */
export function perLabelSet(fn: (base: LabelSet) => LabelSet): (base: LabelSet) => LabelSet {
  const memo = new WeakMap<LabelSet, LabelSet>();
  return (base) => {
    let out = memo.get(base);
    if (out === undefined) {
      out = fn(base);
      memo.set(base, out);
    }
    return out;
  };
}

/**
 * Sets a fixed list of names to per-entry values (stage.labels, stage.tenant,
 * the stream label of stage.docker/cri). The same input set and values give
 * the same output set.
 */
export class LabelSetter {
  private readonly derived = new WeakMap<LabelSet, Map<string, LabelSet>>();

  constructor(private readonly names: readonly string[]) {}

  /** `base` with names[i] set to values[i]; an undefined value leaves that name as it is in base. */
  apply(base: LabelSet, values: readonly (string | undefined)[]): LabelSet {
    const names = this.names;
    let changes = false;
    for (let i = 0; i < names.length; i++) {
      const v = values[i];
      if (v !== undefined && base[names[i]!] !== v) {
        changes = true;
        break;
      }
    }
    if (!changes) return base;
    // The key only finds a candidate; the candidate is checked, so no separator can make two value lists collide.
    const key = values.length === 1 ? values[0]! : values.map((v) => v ?? "\u0001").join("\u0000");
    let byValues = this.derived.get(base);
    const hit = byValues?.get(key);
    if (hit !== undefined && this.matches(hit, base, values)) return hit;
    const out = newLabelSet(base);
    for (let i = 0; i < names.length; i++) {
      const v = values[i];
      if (v !== undefined) out[names[i]!] = v;
    }
    if (byValues === undefined) {
      byValues = new Map();
      this.derived.set(base, byValues);
    } else if (byValues.size >= MAX_DERIVED_PER_SET) byValues.clear();
    byValues.set(key, out);
    return out;
  }

  private matches(cand: LabelSet, base: LabelSet, values: readonly (string | undefined)[]): boolean {
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i]!;
      if (cand[n] !== (values[i] ?? base[n])) return false;
    }
    return true;
  }
}
