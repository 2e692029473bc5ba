// Alloy's HTTP server as a Hono app: /-/ready, /-/healthy, /-/reload, /metrics,
// /debug/pprof, component handlers, and the UI with its JSON API under
// --server.http.ui-path-prefix. Served by Bun.serve on --server.http.listen-addr
// and reachable without a socket through memory_fetch.ts.

import type { TLSOptions } from "bun";
import { Hono } from "hono";
import { compress } from "hono/compress";
import type { Logger } from "../../runtime/logger.ts";
import type { ConfigSource, Runtime } from "../../runtime/runtime.ts";
import { registerDebugWebSocket, websocket } from "../livedebugging/websocket.ts";
import { componentPathPrefix, serveComponentRequest } from "./component_routes.ts";
import { registerConfigRoute } from "./config_source.ts";
import type { HttpBlock } from "./http_block.ts";
import type { LiveDebugging } from "./live_debugging.ts";
import { registerPprofRoutes } from "./pprof.ts";
import { registerSupportBundleRoute, type SupportBundleSources } from "./support_bundle.ts";
import { registerUiPlaceholder } from "./ui_placeholder.ts";
import { registerWebApiRoutes, type PeerInfo } from "./web_api.ts";

/** Anything that renders Prometheus text exposition (a prom-client Registry, the runtime's MetricsHub). */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Adds the UI's routes under the prefix (`base` is the prefix without trailing slash, `""` for `/`). */
export type UiRouteRegistrar = (app: Hono, base: string) => void;

export interface HttpServiceOptions {
  /** The runtime once it exists; before that component routes answer 503 and /-/ready 503. */
  runtime: () => Runtime | undefined;
  /** Re-reads the config from disk and loads it; rejects with the error text a caller sees. */
  reload: () => Promise<void>;
  /** Gathered in order for /metrics. */
  metrics: MetricsSource[];
  uiPathPrefix: string;
  enablePprof: boolean;
  /** --server.http.disable-support-bundle */
  disableSupportBundle?: boolean;
  /** What /-/support collects beyond this app's own endpoints; 501 when absent. */
  supportBundle?: Omit<SupportBundleSources, "metrics" | "componentsJSON" | "peersJSON">;
  logger: Logger;
  peers: () => PeerInfo[];
  /** Live debugging streams under `<prefix>/api/v0/web/{debug,graph}`. */
  liveDebugging?: LiveDebugging;
  /** Authentication from the `http` config block; every route passes through it. */
  auth?: HttpBlock;
  /** The UI's asset routes; a placeholder page is served when absent. */
  ui?: UiRouteRegistrar;
  /** The config last loaded, for the UI's config page (`<prefix>/api/v0/web/config`); 503 there when absent. */
  configSources?: () => readonly ConfigSource[] | undefined;
}

const plain = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

export function createHttpApp(opts: HttpServiceOptions): Hono {
  const app = new Hono();
  const log = opts.logger.with({ service: "http" });
  if (opts.auth) app.use("*", opts.auth.middleware());

  // Prometheus asks for gzip, as promhttp offers it.
  app.use("/metrics", compress());
  app.all("/metrics", async () => {
    const texts = await Promise.all(opts.metrics.map((m) => m.metrics()));
    return new Response(texts.join(""), { headers: { "Content-Type": opts.metrics[0]?.contentType ?? "text/plain; version=0.0.4; charset=utf-8" } });
  });

  app.all("/-/ready", () =>
    opts.runtime()?.ready
      ? new Response("Alloy is ready.\n", { headers: plain })
      : new Response("Alloy is not ready.\n", { status: 503, headers: plain }),
  );

  app.all("/-/healthy", () => {
    const unhealthy = unhealthyComponentNames(opts.runtime());
    if (unhealthy.length > 0) return new Response(`unhealthy components: ${unhealthy.join(", ")}\n`, { status: 500, headers: plain });
    return new Response("All Alloy components are healthy.\n", { headers: plain });
  });

  app.on(["GET", "POST"], "/-/reload", async () => {
    log.info("reload requested via /-/reload endpoint");
    try {
      await opts.reload();
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      log.error("failed to reload config", { err: text });
      return new Response(`${text}\n`, { status: 400, headers: plain });
    }
    log.info("config reloaded");
    return new Response("config reloaded\n", { headers: plain });
  });
  app.all("/-/reload", () => new Response("405 method not allowed\n", { status: 405, headers: plain }));

  registerSupportBundleRoute(app, {
    disabled: opts.disableSupportBundle === true,
    sources: opts.supportBundle && {
      ...opts.supportBundle,
      metrics: async () => (await Promise.all(opts.metrics.map((m) => m.metrics()))).join(""),
      componentsJSON: () => JSON.stringify(opts.runtime()?.components() ?? []),
      peersJSON: () => JSON.stringify(opts.peers()),
    },
  });

  if (opts.enablePprof) registerPprofRoutes(app);

  app.all(`${componentPathPrefix}*`, (c) => serveComponentRequest(c, opts.runtime()));

  // Cluster gossip; this build has no clustering, so peers get Alloy's disabled answer.
  app.all("/api/v1/ckit/transport/*", () => new Response("clustering is disabled\n", { status: 404, headers: plain }));

  const base = uiBase(opts.uiPathPrefix);
  registerWebApiRoutes(app, base, { runtime: opts.runtime, peers: opts.peers });
  opts.liveDebugging?.registerRoutes(app, `${base}/api/v0/web`, opts.runtime, log);
  if (opts.liveDebugging) registerDebugWebSocket(app, `${base}/api/v0/web`, opts.runtime);
  registerConfigRoute(app, `${base}/api/v0/web`, opts.configSources, opts.runtime);
  if (opts.ui) {
    opts.ui(app, base);
  } else {
    if (base !== "") app.all(base, (c) => c.redirect(`${base}/${new URL(c.req.url).search}`, 302));
    registerUiPlaceholder(app, base);
  }

  app.notFound(() => new Response("404 page not found\n", { status: 404, headers: plain }));
  // A failing handler (a component's, say) answers 500 and is logged; the server keeps serving.
  app.onError((err, c) => {
    log.error("HTTP handler failed", { path: c.req.path, err: err instanceof Error ? err.message : String(err) });
    return new Response(`${err instanceof Error ? err.message : String(err)}\n`, { status: 500, headers: plain });
  });
  return app;
}

/** The UI prefix without its trailing slash: `/` → ``, `/ui/` → `/ui`. */
export function uiBase(prefix: string): string {
  const withSlash = prefix.startsWith("/") ? prefix : `/${prefix}`;
  return withSlash.replace(/\/+$/, "");
}

/** Alloy lists unhealthy root components by component name (e.g. `local.file`), not by ID. */
function unhealthyComponentNames(runtime: Runtime | undefined): string[] {
  if (!runtime) return [];
  return (runtime.components() ?? []).filter((c) => c.health.state === "unhealthy").map((c) => c.name);
}

export interface HttpServer {
  readonly hostname: string;
  readonly port: number;
  /** Whether the listener speaks TLS. */
  readonly tls: boolean;
  /** Re-opens the listener on the same address with new TLS settings (undefined: plain HTTP). */
  restart(tls: TLSOptions | undefined): Promise<void>;
  /** Stops accepting connections; open requests are cut off when `force`. */
  stop(force?: boolean): Promise<void>;
}

/** Listens on `host:port` (an empty host means every interface). Throws if the address is taken. */
export function startHttpServer(app: Hono, host: string, port: number, tls?: TLSOptions): HttpServer {
  const hostname = host === "" ? "0.0.0.0" : host;
  const serve = (p: number, t: TLSOptions | undefined) =>
    Bun.serve({
      hostname,
      port: p,
      // CPU profiles and streaming endpoints keep a request open for a long time.
      idleTimeout: 0,
      tls: t,
      // The server goes to handlers as `c.env.server`, which websocket upgrades need.
      fetch: (req, server) => app.fetch(req, { server }),
      websocket,
    });
  let server = serve(port, tls);
  let currentTLS = tls;
  const boundPort = server.port ?? port;
  return {
    hostname: server.hostname ?? hostname,
    port: boundPort,
    get tls() {
      return currentTLS !== undefined;
    },
    async restart(next) {
      const old = server;
      // Requests in flight finish on the old listener; the port is free once it stops listening.
      const draining = old.stop(false);
      try {
        server = serve(boundPort, next);
      } catch (err) {
        // Bad certificates: keep serving as before and fail the load.
        server = serve(boundPort, currentTLS);
        throw err;
      }
      currentTLS = next;
      void draining;
    },
    stop: (force = false) => server.stop(force),
  };
}
