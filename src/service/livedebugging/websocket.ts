// `<prefix>/api/v0/web/debug-ws/{id}?sampleProb=`: one component's live-debugging events
// over a websocket (ours; Alloy's UI uses the chunked `/debug/{id}` stream). It reads that
// same stream in-process, so sampling, the enabled switch, auth and the server's bounded
// buffer all apply unchanged; this side adds a bounded per-client queue so a slow browser
// only loses events (counted) and never holds up the pipeline.
//
// Messages are JSON text frames: `{"text": "<event>"}` per event, and
// `{"dropped": <n>}` after events were dropped for this client since the last notice.
// An error before the stream starts (disabled, unknown component, no live debugging)
// answers the upgrade request with the same status and text as `/debug/{id}`. The socket
// closes with 1000 "component not found" when the component leaves the graph.

import type { Context, Hono } from "hono";
import { upgradeWebSocket, websocket as bunWebSocket } from "hono/bun";
import type { WSContext } from "hono/ws";
import type { Runtime } from "../../runtime/runtime.ts";

/** Bun.serve's `websocket` option: the server must pass it for upgrades to work. */
export const websocket = bunWebSocket;

/** Events queued for one client beyond what the socket has accepted; more are dropped. */
export const CLIENT_QUEUE = 1000;
/** Bytes the socket may hold unsent before events stay queued here. */
const SOCKET_HIGH_WATER = 1 << 20;
const FLUSH_MS = 50;
const COMPONENT_CHECK_MS = 1000;
const SEPARATOR = "|;|";
const plain = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

interface RawSocket {
  getBufferedAmount?: () => number;
}

/** What the client's socket is sent; kept apart so tests can drive it without a network. */
export class ClientQueue {
  private queue: string[] = [];
  private dropped = 0;
  constructor(
    private readonly send: (message: string) => void,
    private readonly buffered: () => number,
    private readonly limit = CLIENT_QUEUE,
  ) {}

  push(text: string): void {
    if (this.queue.length >= this.limit) this.dropped++;
    else this.queue.push(text);
  }

  /** Sends queued events while the socket keeps up; reports drops first. */
  flush(): void {
    if (this.dropped > 0 && this.buffered() < SOCKET_HIGH_WATER) {
      this.send(JSON.stringify({ dropped: this.dropped }));
      this.dropped = 0;
    }
    while (this.queue.length > 0 && this.buffered() < SOCKET_HIGH_WATER) this.send(JSON.stringify({ text: this.queue.shift()! }));
  }

  get size(): number {
    return this.queue.length;
  }
}

const validProb = (raw: string): boolean => raw === "" || (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) && Number(raw) >= 0 && Number(raw) <= 1);

/** Adds the websocket route under `api` (`<prefix>/api/v0/web`); `/debug/{id}` must be served by `app`. */
export function registerDebugWebSocket(app: Hono, api: string, runtime: () => Runtime | undefined): void {
  app.get(`${api}/debug-ws/*`, async (c: Context) => {
    const url = new URL(c.req.url);
    const rawID = url.pathname.slice(`${api}/debug-ws/`.length);
    let id: string;
    try {
      id = decodeURIComponent(rawID);
    } catch {
      id = rawID;
    }
    const sampleProb = url.searchParams.get("sampleProb") ?? "";
    if (!validProb(sampleProb)) return new Response("Invalid sample probability\n", { status: 400, headers: plain });
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a websocket upgrade\n", { status: 426, headers: plain });
    const server = (c.env as { server?: unknown } | undefined)?.server;
    if (!server) return new Response("websockets are not available on this listener\n", { status: 501, headers: plain });

    // The in-process stream, with the client's headers so the same auth applies.
    const abort = new AbortController();
    const headers = new Headers(c.req.raw.headers);
    for (const h of ["upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"]) headers.delete(h);
    const streamURL = new URL(`${api}/debug/${rawID}`, url);
    if (sampleProb !== "") streamURL.searchParams.set("sampleProb", sampleProb);
    const res = await app.fetch(new Request(streamURL, { headers, signal: abort.signal }), c.env);
    if (res.status !== 200 || !res.body) {
      abort.abort();
      return new Response(await res.text(), { status: res.status, headers: plain });
    }
    const body = res.body;

    let timers: ReturnType<typeof setInterval>[] = [];
    const stop = (): void => {
      abort.abort();
      for (const t of timers) clearInterval(t);
      timers = [];
    };
    return upgradeWebSocket(c, {
      onOpen: (_evt, ws: WSContext) => {
        const raw = ws.raw as RawSocket | undefined;
        const queue = new ClientQueue(
          (m) => ws.send(m),
          () => raw?.getBufferedAmount?.() ?? 0,
        );
        timers.push(setInterval(() => queue.flush(), FLUSH_MS));
        timers.push(
          setInterval(() => {
            if (runtime()?.component(id)) return;
            queue.flush();
            stop();
            ws.close(1000, "component not found");
          }, COMPONENT_CHECK_MS),
        );
        void pump(body, abort.signal, (text) => queue.push(text)).then(() => {
          if (abort.signal.aborted) return;
          // The server ended the stream (live debugging switched off, shutdown).
          queue.flush();
          stop();
          ws.close(1000, "stream ended");
        });
      },
      onClose: stop,
      onError: stop,
    });
  });
}

/** Splits a `text|;|` stream into events until it ends or `signal` aborts. */
async function pump(body: ReadableStream<Uint8Array>, signal: AbortSignal, onEvent: (text: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  signal.addEventListener("abort", () => void reader.cancel().catch(() => {}));
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      let at: number;
      while ((at = pending.indexOf(SEPARATOR)) >= 0) {
        onEvent(pending.slice(0, at));
        pending = pending.slice(at + SEPARATOR.length);
      }
    }
  } catch {
    // Cancelled or cut off: the socket is closing.
  }
}
