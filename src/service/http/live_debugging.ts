// Live debugging (Alloy's internal/service/livedebugging and the /debug and
// /graph routes of internal/web/api): components publish events only while a
// stream is open for them; `<prefix>/api/v0/web/debug/{id}` streams one
// component's events as `text|;|`, `<prefix>/api/v0/web/graph[/{module}]`
// writes per-window rates as a JSON array followed by `|;|`.

import type { Hono } from "hono";
import type { LiveDebuggingEvent, LiveDebuggingPublisher } from "../../runtime/component.ts";
import type { ServiceDefinition } from "../../runtime/env.ts";
import type { Logger } from "../../runtime/logger.ts";
import type { Runtime } from "../../runtime/runtime.ts";
import { liveDebuggingServiceArgs } from "../../runtime/services.ts";
import { decodedPath } from "./component_routes.ts";

type Callback = (componentID: string, event: LiveDebuggingEvent) => void;

/** Events waiting to be written, per stream; more are dropped with one warning. */
const bufferSize = 1000;
const plain = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };
const encoder = new TextEncoder();

export class LiveDebugging {
  private enabled = false;
  private readonly callbacks = new Map<string, Set<Callback>>();

  /** The publisher a component gets (the runtime's `liveDebugging` option). */
  publisher(globalID: string): LiveDebuggingPublisher {
    return {
      isActive: () => (this.callbacks.get(globalID)?.size ?? 0) > 0,
      publish: (event) => {
        for (const cb of this.callbacks.get(globalID) ?? []) cb(globalID, event);
      },
    };
  }

  /** `livedebugging { enabled = ... }`; switching it off drops every open callback. */
  setEnabled(enabled: boolean): void {
    if (this.enabled && !enabled) this.callbacks.clear();
    this.enabled = enabled;
  }

  serviceDefinition(): ServiceDefinition {
    return {
      name: "livedebugging",
      stability: "generally-available",
      args: liveDebuggingServiceArgs,
      update: (args) => this.setEnabled((args as { enabled?: boolean } | undefined)?.enabled === true),
    };
  }

  private add(componentID: string, cb: Callback): () => void {
    let set = this.callbacks.get(componentID);
    if (!set) this.callbacks.set(componentID, (set = new Set()));
    set.add(cb);
    return () => void this.callbacks.get(componentID)?.delete(cb);
  }

  /** Adds the /debug and /graph streams under `api` (`<prefix>/api/v0/web`). */
  registerRoutes(app: Hono, api: string, runtime: () => Runtime | undefined, logger: Logger): void {
    app.get(`${api}/debug/*`, (c) => {
      const id = decodedPath(c.req.url).slice(`${api}/debug/`.length);
      const rt = runtime();
      if (!this.enabled) return new Response("the live debugging service is disabled. Check the documentation to find out how to enable it\n", { status: 500, headers: plain });
      if (!rt) return new Response("the live debugging service is not ready yet\n", { status: 500, headers: plain });
      const info = rt.component(id);
      if (!info) return new Response("component not found\n", { status: 500, headers: plain });
      if (!info.liveDebuggingEnabled) return new Response(`the component ${JSON.stringify(info.name)} does not support live debugging\n`, { status: 500, headers: plain });

      const raw = c.req.query("sampleProb") ?? "";
      let sampleProb = raw === "" ? 1 : Number(raw);
      const badProb = raw !== "" && (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) || sampleProb < 0 || sampleProb > 1);
      if (badProb) sampleProb = 1;

      let remove = (): void => {};
      let timer: ReturnType<typeof setInterval> | undefined;
      const stream = new ReadableStream<Uint8Array>({
        start: (ctl) => {
          if (badProb) ctl.enqueue(encoder.encode("Invalid sample probability\n"));
          let pending: string[] = [];
          let dropped = false;
          remove = this.add(id, (_componentID, event) => {
            if (sampleProb < 1 && Math.random() > sampleProb) return;
            if (pending.length >= bufferSize) {
              if (!dropped) logger.warn("data throughput is very high, not all debugging data can be sent the live debugging stream");
              dropped = true;
              return;
            }
            pending.push(event.text());
          });
          // Written once a second, like Alloy's flush ticker.
          timer = setInterval(() => {
            if (pending.length === 0) return;
            const chunk = pending.map((t) => `${t}|;|`).join("");
            pending = [];
            try {
              ctl.enqueue(encoder.encode(chunk));
            } catch {
              remove();
            }
          }, 1000);
        },
        cancel: () => {
          remove();
          clearInterval(timer);
        },
      });
      c.req.raw.signal.addEventListener("abort", () => {
        remove();
        clearInterval(timer);
      });
      return new Response(stream, { status: badProb ? 400 : 200, headers: plain });
    });

    const graph = (moduleID: string, windowRaw: string | undefined, signal: AbortSignal): Response => {
      const rt = runtime();
      if (!rt) return new Response("the live debugging service is not ready yet\n", { status: 500, headers: plain });
      const list = rt.components(moduleID === "" ? undefined : moduleID);
      if (!list) return new Response("module not found\n", { status: 500, headers: plain });
      const windowSeconds = windowRaw === undefined || windowRaw === "" ? 5 : /^[+-]?\d+$/.test(windowRaw) ? Number(windowRaw) : NaN;
      const badWindow = !(windowSeconds >= 1 && windowSeconds <= 60);
      const window = badWindow ? 5 : windowSeconds;

      const counts = new Map<string, { componentID: string; targetComponentIDs: string[] | null; type: string; count: number }>();
      let buffered = 0;
      let dropped = false;
      const onEvent: Callback = (componentID, event) => {
        if (buffered >= bufferSize) {
          if (!dropped) logger.warn("data throughput is very high, not all debugging data can be sent to the graph");
          dropped = true;
          return;
        }
        buffered++;
        const key = `${componentID}\0${event.type}`;
        const entry = counts.get(key);
        if (entry) entry.count += event.count;
        else counts.set(key, { componentID, targetComponentIDs: event.targetComponentIDs ?? null, type: event.type, count: event.count });
      };
      const removers = list
        .filter((info) => info.liveDebuggingEnabled)
        .map((info) => this.add(info.moduleID ? `${info.moduleID}/${info.localID}` : info.localID, onEvent));
      const stop = (): void => {
        for (const r of removers) r();
        clearInterval(timer);
      };
      let timer: ReturnType<typeof setInterval> | undefined;
      const stream = new ReadableStream<Uint8Array>({
        start: (ctl) => {
          if (badWindow) ctl.enqueue(encoder.encode("Invalid window: must be an integer between 1 and 60\n"));
          // An empty first window: the server sends no headers before the first bytes,
          // and the UI's request should not hang for a whole window.
          else ctl.enqueue(encoder.encode("[]|;|"));
          timer = setInterval(() => {
            const rates = [...counts.values()].map((e) => ({ componentID: e.componentID, targetComponentIDs: e.targetComponentIDs, type: e.type, rate: e.count / window }));
            counts.clear();
            buffered = 0;
            try {
              ctl.enqueue(encoder.encode(`${JSON.stringify(rates)}|;|`));
            } catch {
              stop();
            }
          }, window * 1000);
        },
        cancel: stop,
      });
      signal.addEventListener("abort", stop);
      return new Response(stream, { status: badWindow ? 400 : 200, headers: plain });
    };
    app.get(`${api}/graph`, (c) => graph("", c.req.query("window"), c.req.raw.signal));
    app.get(`${api}/graph/*`, (c) => graph(decodedPath(c.req.url).slice(`${api}/graph/`.length), c.req.query("window"), c.req.raw.signal));
  }
}
