// Serves the debug UI under --server.http.ui-path-prefix, from files embedded at build time.
//
// Mounting (src/service/http): `app.route("/", uiRoutes({ prefix }))` or `mountUI(app, base)`,
// after or before the API routes. The returned app handles GET/HEAD of
//   <prefix>            → 302 to <prefix>/ (query kept)
//   <prefix>/assets/…   → bundled files; content-hashed names, cached for a year; 404 if unknown
//   <prefix>/…          → index.html with <base href="<prefix>/">, no-cache (SPA fallback)
// and passes everything else to the next handler: paths outside the prefix, and
// <prefix>/api/… and <prefix>/graphql…, which belong to the HTTP server.
// Responses are gzip-encoded when the client accepts gzip.
import { Hono, type Context } from "hono";
import { uiFiles } from "./assets.ts";
import type { UIFiles } from "./bundle.ts";
import { indexWithBase, prepareFile, prepareFiles, type ServedFile } from "./static-files.ts";

export interface UIRoutesOptions {
  /** --server.http.ui-path-prefix: `/` by default; `/alloy`, `/alloy/` and `alloy` are all the same prefix. */
  prefix: string;
  /** The bundle to serve; the embedded one by default (tests may pass their own). */
  files?: UIFiles;
}

/** `/` → ``, `alloy/` → `/alloy`: the prefix as Alloy's PublicURL, without a trailing slash. */
export function publicURLOf(prefix: string): string {
  let p = prefix.trim();
  if (!p.startsWith("/")) p = `/${p}`;
  return p.replace(/\/+$/, "");
}

const IMMUTABLE = "public, max-age=31536000, immutable";

function respond(c: Context, file: ServedFile, cacheControl: string): Response {
  const headers: Record<string, string> = {
    "content-type": file.contentType,
    "cache-control": cacheControl,
    etag: file.etag,
    vary: "Accept-Encoding",
    "x-content-type-options": "nosniff",
  };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const gzip = /\bgzip\b/i.test(c.req.header("accept-encoding") ?? "");
  if (gzip) headers["content-encoding"] = "gzip";
  return new Response(gzip ? file.gzip : file.raw, { status: 200, headers });
}

export function uiRoutes(opts: UIRoutesOptions): Hono {
  const publicURL = publicURLOf(opts.prefix);
  const files = prepareFiles(opts.files ?? uiFiles);
  const source = files.get("index.html");
  if (!source) throw new Error("the UI bundle has no index.html");
  const index = prepareFile(source.contentType, new TextEncoder().encode(indexWithBase(new TextDecoder().decode(source.raw), publicURL)));
  files.delete("index.html");

  const app = new Hono();
  app.get("*", async (c, next) => {
    const path = c.req.path;
    if (publicURL && path === publicURL) {
      const search = new URL(c.req.url).search;
      return c.redirect(`${publicURL}/${search}`, 302);
    }
    if (!path.startsWith(`${publicURL}/`)) return next();
    const rel = path.slice(publicURL.length + 1);
    if (rel === "api" || rel.startsWith("api/") || rel.startsWith("graphql")) return next();
    const asset = files.get(rel);
    if (asset) return respond(c, asset, IMMUTABLE);
    if (rel.startsWith("assets/")) return next(); // a stale hashed name must not get HTML
    return respond(c, index, "no-cache");
  });
  return app;
}

/**
 * Adds the UI to the server's app; fits the HTTP server's `ui?: (app, base) => void` option,
 * where `base` is the prefix without its trailing slash (`` for `/`).
 */
export function mountUI(app: Hono, base: string): void {
  app.route("/", uiRoutes({ prefix: base }));
}
