// local.file_match: expands doublestar globs in `__path__` (minus `__path_exclude__`)
// into one target per file, refreshed every sync_period.

import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve, sep } from "node:path";
import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";

export const Arguments = schema.block({
  path_targets: schema.attr(schema.targets),
  sync_period: schema.attr(schema.duration, { default: "10s" }),
  ignore_older_than: schema.attr(schema.duration, { default: "0s" }),
});
export const Exports = schema.block({ targets: schema.attr(schema.targets) });

type Target = Record<string, string>;

const magic = /[*?[{]/;

/** Files matching a doublestar pattern, absolute and sorted (directories excluded). */
export function globFiles(pattern: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : resolve(pattern);
  const parts = abs.split("/");
  const firstMagic = parts.findIndex((p) => magic.test(p));
  if (firstMagic < 0) return existsSync(abs) ? [abs] : [];
  const base = parts.slice(0, firstMagic).join("/") || "/";
  const rest = parts.slice(firstMagic).join("/");
  if (!existsSync(base)) return [];
  const out: string[] = [];
  try {
    for (const m of new Bun.Glob(rest).scanSync({ cwd: base, dot: true, absolute: true, onlyFiles: true, followSymlinks: true })) {
      out.push(sep === "/" ? m : m.split(sep).join("/"));
    }
  } catch {
    // Unreadable directories mean no matches there, as with doublestar.
  }
  return out.sort();
}

/** Whether `path` matches a doublestar pattern (for `__path_exclude__`). */
export function globMatch(pattern: string, path: string): boolean {
  return new Bun.Glob(pattern).match(path);
}

export function matchTargets(pathTargets: Target[], ignoreOlderThanMs: number, now = Date.now()): Target[] {
  const out: Target[] = [];
  for (const t of pathTargets) {
    const pattern = t.__path__;
    if (!pattern) continue;
    const exclude = t.__path_exclude__ ?? "";
    for (const file of globFiles(pattern)) {
      if (exclude !== "" && globMatch(exclude, file)) continue;
      try {
        const st = statSync(file);
        if (st.isDirectory()) continue;
        if (ignoreOlderThanMs > 0 && st.mtimeMs < now - ignoreOlderThanMs) continue;
      } catch {
        continue;
      }
      out.push({ ...t, __path__: file });
    }
  }
  return out;
}

export default defineComponent({
  name: "local.file_match",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./file_match_impl.ts"),
});
