// Target groups as file_sd and http_sd deliver them (Prometheus's
// targetgroup.Group): `[{"targets": ["host:port", ...], "labels": {...}}]`,
// parsed into typed values with Prometheus's checks, and flattened into Alloy
// targets (target labels win over group labels; empty values are dropped).

import type * as YAML from "yaml";

export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class TargetGroupError extends Error {}

/** Validates decoded JSON/YAML as a list of target groups; `strict` (YAML) refuses unknown fields, as yaml.UnmarshalStrict does. */
export function toTargetGroups(data: unknown, strict = false): TargetGroup[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new TargetGroupError("expected a list of target groups");
  return data.map((g: unknown, i) => {
    if (g === null || g === undefined) throw new TargetGroupError("nil target group item found");
    if (typeof g !== "object" || Array.isArray(g)) throw new TargetGroupError(`target group ${i}: expected an object with "targets" and "labels"`);
    const obj = g as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (strict && k !== "targets" && k !== "labels") {
        throw new TargetGroupError(`field ${k} not found in type struct { Targets []string "yaml:\\"targets\\""; Labels model.LabelSet "yaml:\\"labels\\"" }`);
      }
    }
    const targets = obj.targets ?? [];
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== "string")) {
      throw new TargetGroupError(`target group ${i}: "targets" must be a list of strings`);
    }
    const labels: Record<string, string> = {};
    const rawLabels = obj.labels ?? {};
    if (typeof rawLabels !== "object" || rawLabels === null || Array.isArray(rawLabels)) {
      throw new TargetGroupError(`target group ${i}: "labels" must be a map of strings`);
    }
    for (const [k, v] of Object.entries(rawLabels as Record<string, unknown>)) {
      if (!LABEL_NAME.test(k)) throw new TargetGroupError(`${JSON.stringify(k)} is not a valid label name`);
      if (typeof v !== "string") throw new TargetGroupError(`target group ${i}: label ${k} must be a string`);
      labels[k] = v;
    }
    return { targets: targets as string[], labels };
  });
}

export function parseTargetGroupsJSON(text: string): TargetGroup[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new TargetGroupError(e instanceof Error ? e.message : String(e));
  }
  return toTargetGroups(data);
}

export function parseTargetGroupsYAML(text: string): TargetGroup[] {
  let data: unknown;
  try {
    // yaml loads with the first YAML target file, not with the discovery components.
    data = (require("yaml") as typeof YAML).parse(text);
  } catch (e) {
    throw new TargetGroupError(e instanceof Error ? e.message : String(e));
  }
  return toTargetGroups(data, true);
}

/** One Alloy target per address: `__address__`, the group's labels, then `extra` (e.g. `__meta_filepath`). */
export function groupTargets(groups: readonly TargetGroup[], extra: Readonly<Record<string, string>>): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const g of groups) {
    const groupLabels = { ...g.labels, ...extra };
    for (const addr of g.targets) {
      const t: Record<string, string> = {};
      for (const [k, v] of Object.entries(groupLabels)) if (v !== "") t[k] = v;
      if (addr !== "") t.__address__ = addr;
      out.push(t);
    }
  }
  return out;
}

/** A target from label pairs, dropping empty values as Prometheus's label sets do. */
export function targetOf(labels: Readonly<Record<string, string>>): Record<string, string> {
  const t: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== "") t[k] = v;
  return t;
}

/** Waits `ms` or until `signal` aborts or `wake` is called. */
export function sleep(ms: number, signal: AbortSignal, onWake?: (wake: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    onWake?.(done);
  });
}
