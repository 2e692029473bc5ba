// constants.{hostname,os,arch,version}: facts about the running host.

import { newObject, type ObjectValue } from "../value.ts";
import type { Host } from "./host.ts";

/**
 * The version with a "v" prefix, as semver.ParseTolerant then String() gives
 * it (missing minor/patch become 0); unparseable versions are kept; empty is v0.0.0.
 */
export function normalizeVersion(version: string): string {
  const v = version.trim();
  if (v === "") return "v0.0.0";
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) return v;
  const num = (s: string | undefined) => String(Number(s ?? "0"));
  return `v${num(m[1])}.${num(m[2])}.${num(m[3])}${m[4] ?? ""}${m[5] ?? ""}`;
}

export function constantsNamespace(host: Host): ObjectValue {
  const c = newObject();
  c["hostname"] = host.hostname();
  c["os"] = host.os;
  c["arch"] = host.arch;
  c["version"] = normalizeVersion(host.version);
  return c;
}
