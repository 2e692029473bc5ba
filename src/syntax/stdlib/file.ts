// file.path_join: Go's filepath.Join (join non-empty parts, then Clean) for the host's separator.

import { newObject, type ObjectValue } from "../value.ts";
import { stringArg, variadic } from "./function.ts";
import type { Host } from "./host.ts";

/** Go's path.Clean generalised to a separator; on Windows a drive letter or UNC prefix is kept. */
export function cleanPath(path: string, sep: "/" | "\\"): string {
  let p = sep === "\\" ? path.replaceAll("/", "\\") : path;
  let volume = "";
  if (sep === "\\") {
    const m = /^([A-Za-z]:|\\\\[^\\]+\\[^\\]+)/.exec(p);
    if (m) {
      volume = m[1]!;
      p = p.slice(volume.length);
    }
  }
  if (p === "") return volume + ".";
  const rooted = p.startsWith(sep);
  const out: string[] = [];
  for (const part of p.split(sep)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  let cleaned = (rooted ? sep : "") + out.join(sep);
  if (cleaned === "") cleaned = ".";
  return volume + cleaned;
}

export function pathJoin(parts: string[], sep: "/" | "\\"): string {
  const nonEmpty = parts.filter((p) => p !== "");
  if (nonEmpty.length === 0) return "";
  return cleanPath(nonEmpty.join(sep), sep);
}

export function fileNamespace(host: Host): ObjectValue {
  const f = newObject();
  f["path_join"] = variadic("file.path_join", 0, (args) =>
    pathJoin(
      args.map((_, i) => stringArg(args, i)),
      host.pathSeparator,
    ),
  );
  return f;
}
