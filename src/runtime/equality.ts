// Deep equality for decoded arguments and exports: a component is only updated,
// and dependants only re-evaluated, when something really changed.

import { Capsule, FunctionValue, Secret } from "../syntax/value.ts";

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return Number.isNaN(a) && Number.isNaN(b as number);
  if (typeof a !== "object" || a === null || b === null) return false;
  const bo = b as object;
  if (a instanceof Secret) return bo instanceof Secret && a.value === bo.value;
  // Capsules carry live host objects (receivers, consumers): equal only when the same object.
  if (a instanceof Capsule) return bo instanceof Capsule && a.typeName === bo.typeName && a.value === bo.value;
  if (a instanceof FunctionValue) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(bo) || a.length !== bo.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bo[i])) return false;
    return true;
  }
  if (Array.isArray(bo)) return false;
  if (a instanceof Date) return bo instanceof Date && a.getTime() === bo.getTime();
  if (a instanceof RegExp) return bo instanceof RegExp && a.source === bo.source && a.flags === bo.flags;
  if (a instanceof Map) {
    if (!(bo instanceof Map) || a.size !== bo.size) return false;
    for (const [k, v] of a) if (!bo.has(k) || !deepEqual(v, bo.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(bo instanceof Set) || a.size !== bo.size) return false;
    for (const v of a) if (!bo.has(v)) return false;
    return true;
  }
  if (a instanceof URL) return bo instanceof URL && a.href === bo.href;
  const pa = Object.getPrototypeOf(a) as unknown;
  const pb = Object.getPrototypeOf(bo) as unknown;
  const plainA = pa === null || pa === Object.prototype;
  const plainB = pb === null || pb === Object.prototype;
  if (plainA !== plainB) return false;
  if (!plainA) {
    // Class instances are live host objects (receivers, consumers, clients) unless they
    // say otherwise: two distinct receivers with equal fields are still different targets.
    if (pa !== pb) return false;
    const eq = (a as { equals?: unknown }).equals;
    return typeof eq === "function" && (eq as (o: unknown) => boolean).call(a, bo) === true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(bo);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(bo, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (bo as Record<string, unknown>)[k])) return false;
  }
  return true;
}
