// Mounts the UI on its first request instead of at startup: building its routes
// prepares (and compresses) every asset, which is startup time most runs never use.

import type { Hono, MiddlewareHandler } from "hono";
import type { UiRouteRegistrar } from "./server.ts";

/** `load(prefix)` returns the UI's app; its 404s fall through to the server's own routes. */
export function lazyUI(load: (prefix: string) => Promise<Hono>): UiRouteRegistrar {
  return (app, base) => {
    let ui: Promise<Hono> | undefined;
    const handler: MiddlewareHandler = async (c, next) => {
      ui ??= load(base === "" ? "/" : base);
      const res = await (await ui).fetch(c.req.raw);
      if (res.status === 404) return next();
      return res;
    };
    if (base !== "") app.get(base, handler);
    app.get(`${base}/*`, handler);
  };
}
