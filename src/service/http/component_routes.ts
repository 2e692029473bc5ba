// /api/v0/component/{id}/...: a component's own HTTP handler. The text after the
// prefix is matched against component IDs longest first (the whole path, then
// cut at each `/` from the right), so module IDs with `/` work. Status codes and
// texts are those of Alloy's internal/service/http.

import type { Context } from "hono";
import type { Runtime } from "../../runtime/runtime.ts";

export const componentPathPrefix = "/api/v0/component/";

export async function serveComponentRequest(c: Context, runtime: Runtime | undefined): Promise<Response> {
  const fullPath = decodedPath(c.req.url);
  if (!runtime) return c.text(`failed to get host: the component runtime is not running yet\n`, 503);
  const split = splitComponentPath(fullPath.slice(componentPathPrefix.length), (id) => runtime.component(id) !== undefined);
  if (!split) return c.text(`failed to parse URL path ${JSON.stringify(fullPath)}: invalid path\n`, 400);
  const handler = runtime.componentHandler(split.id);
  if (!handler) return c.body(null, 404);
  return handler(c.req.raw, split.path);
}

/** Alloy's splitURLPath: the component ID and the path the component sees. */
export function splitComponentPath(path: string, exists: (id: string) => boolean): { id: string; path: string } | undefined {
  if (path.length === 0) return undefined;
  let p = path;
  const leading = p.startsWith("/");
  if (leading) p = p.slice(1);
  const trailing = p.endsWith("/");
  if (trailing) p = p.slice(0, -1);

  let cut = p.length;
  for (;;) {
    const id = p.slice(0, cut);
    if (id !== "" && exists(id)) {
      let rest = p.slice(cut);
      if (leading && !rest.startsWith("/")) rest = "/" + rest;
      if (trailing && !rest.endsWith("/")) rest += "/";
      return { id, path: rest };
    }
    const slash = p.lastIndexOf("/", cut - 1);
    if (slash < 0) return undefined;
    cut = slash;
  }
}

/** The request path with percent-escapes decoded, as Go's URL.Path holds it. */
export function decodedPath(url: string): string {
  const raw = new URL(url).pathname;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
