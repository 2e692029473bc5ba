// The UI's JSON API under `<prefix>/api/v0/web`: component lists, one component,
// module components and cluster peers, as Alloy's internal/web/api serves them.

import type { Hono } from "hono";
import { compress } from "hono/compress";
import type { Runtime } from "../../runtime/runtime.ts";
import { decodedPath } from "./component_routes.ts";

/** One cluster member as `/api/v0/web/peers` lists it. */
export interface PeerInfo {
  name: string;
  addr: string;
  isSelf: boolean;
  state: "viewer" | "participant" | "terminating";
}

export interface WebApiOptions {
  runtime: () => Runtime | undefined;
  peers: () => PeerInfo[];
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const notFound = (): Response =>
  new Response("404 page not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
const serverError = (text: string): Response =>
  new Response(`${text}\n`, { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });

/** `base` is the UI prefix without its trailing slash (`""` for `/`). */
export function registerWebApiRoutes(app: Hono, base: string, opts: WebApiOptions): void {
  const api = `${base}/api/v0/web`;
  // Only the JSON answers are compressed: gzip would hold back the live-debugging streams.
  for (const path of [`${api}/components`, `${api}/components/*`, `${api}/modules/*`, `${api}/peers`]) app.use(path, compress());

  app.get(`${api}/components`, () => json(opts.runtime()?.components() ?? []));
  app.get(`${api}/components/*`, (c) => {
    const id = decodedPath(c.req.url).slice(`${api}/components/`.length);
    const info = id === "" ? undefined : opts.runtime()?.component(id);
    return info ? json(info) : notFound();
  });
  app.get(`${api}/modules/*`, (c) => {
    const rest = decodedPath(c.req.url).slice(`${api}/modules/`.length);
    if (!rest.endsWith("/components") || rest.length === "/components".length) return notFound();
    const moduleID = rest.slice(0, -"/components".length);
    const list = opts.runtime()?.components(moduleID);
    return list ? json(list) : serverError("module not found");
  });
  app.get(`${api}/peers`, () => json(opts.peers()));
}
