// Calls to the UI API. Every URL is relative so that it resolves against `<base href>`,
// which is how the UI works under any --server.http.ui-path-prefix.
import { parseComponent, parseGraphFrame, parsePeer, type Component, type GraphRate, type Peer } from "./alloy-json.ts";

/** Encodes an ID for a path while keeping the `/` between module and local IDs. */
export const idPath = (id: string): string => id.split("/").map(encodeURIComponent).join("/");

export class APIError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    url: string,
  ) {
    super(`${url}: HTTP ${status}${body ? `: ${body.trim()}` : ""}`);
  }
}

async function getJSON(url: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" } });
  if (!res.ok) throw new APIError(res.status, await res.text(), url);
  return res.json();
}

/** Root components, or the components of one module. */
export async function fetchComponents(moduleID?: string, signal?: AbortSignal): Promise<Component[]> {
  const url = moduleID ? `api/v0/web/modules/${idPath(moduleID)}/components` : "api/v0/web/components";
  const json = await getJSON(url, signal);
  return Array.isArray(json) ? json.map(parseComponent) : [];
}

export async function fetchComponent(id: string, signal?: AbortSignal): Promise<Component> {
  return parseComponent(await getJSON(`api/v0/web/components/${idPath(id)}`, signal));
}

export async function fetchPeers(signal?: AbortSignal): Promise<Peer[]> {
  const json = await getJSON("api/v0/web/peers", signal);
  return Array.isArray(json) ? json.map(parsePeer) : [];
}

/** The separator Alloy writes after each chunk of a live-debugging or graph stream. */
export const STREAM_SEPARATOR = "|;|";

/**
 * Reads a chunked stream and calls `onChunk` with each complete `|;|`-terminated chunk.
 * Resolves when the stream ends or `signal` aborts; rejects with APIError on an error status.
 */
export async function readChunks(url: string, signal: AbortSignal, onChunk: (text: string) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
  if (!res.ok || !res.body) throw new APIError(res.status, await res.text(), url);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += value;
      let at: number;
      while ((at = pending.indexOf(STREAM_SEPARATOR)) >= 0) {
        onChunk(pending.slice(0, at));
        pending = pending.slice(at + STREAM_SEPARATOR.length);
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    reader.releaseLock();
  }
}

/** Live throughput of a module's (or the root's) pipeline: one frame per window. */
export function streamGraph(
  moduleID: string | undefined,
  windowSeconds: number,
  signal: AbortSignal,
  onFrame: (rates: GraphRate[]) => void,
): Promise<void> {
  const path = moduleID ? `api/v0/web/graph/${idPath(moduleID)}` : "api/v0/web/graph";
  return readChunks(`${path}?window=${windowSeconds}`, signal, (text) => {
    const trimmed = text.trim();
    if (!trimmed.startsWith("[")) return; // e.g. the 400 text for a bad window, after which defaults apply
    try {
      onFrame(parseGraphFrame(JSON.parse(trimmed)));
    } catch {
      // A malformed frame is skipped; the next window brings fresh rates.
    }
  });
}

/** Live-debugging events of one component, sampled with probability `sampleProb` (0..1). */
export function streamDebug(id: string, sampleProb: number, signal: AbortSignal, onEvent: (text: string) => void): Promise<void> {
  return readChunks(`api/v0/web/debug/${idPath(id)}?sampleProb=${sampleProb}`, signal, onEvent);
}

/** The running config as `api/v0/web/config` returns it (an endpoint of ours, not Alloy's). */
export interface ConfigFileView {
  name: string;
  text: string;
  components: { id: string; line: number }[];
  error?: string;
}

export async function fetchConfig(signal?: AbortSignal): Promise<ConfigFileView[]> {
  const json = await getJSON("api/v0/web/config", signal);
  const files = typeof json === "object" && json !== null && Array.isArray((json as { files?: unknown }).files) ? (json as { files: unknown[] }).files : [];
  return files.map((f): ConfigFileView => {
    const o = (typeof f === "object" && f !== null ? f : {}) as Record<string, unknown>;
    const comps = Array.isArray(o.components) ? o.components : [];
    const view: ConfigFileView = {
      name: typeof o.name === "string" ? o.name : "",
      text: typeof o.text === "string" ? o.text : "",
      components: comps.map((c) => {
        const r = (typeof c === "object" && c !== null ? c : {}) as Record<string, unknown>;
        return { id: typeof r.id === "string" ? r.id : "", line: typeof r.line === "number" ? r.line : 0 };
      }),
    };
    if (typeof o.error === "string") view.error = o.error;
    return view;
  });
}

/**
 * Live-debugging events over the websocket (`api/v0/web/debug-ws/<id>`). Resolves false when
 * the socket never opened (no websocket support, or an error the chunked stream will explain),
 * true when an open socket closed or `signal` aborted. `onDropped` gets counts of events the
 * server dropped because this client was slow.
 */
export function socketDebug(
  id: string,
  sampleProb: number,
  signal: AbortSignal,
  onEvent: (text: string) => void,
  onDropped: (count: number) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted || typeof WebSocket === "undefined") return resolve(signal.aborted);
    const url = new URL(`api/v0/web/debug-ws/${idPath(id)}?sampleProb=${sampleProb}`, document.baseURI);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    let opened = false;
    const ws = new WebSocket(url);
    ws.onopen = () => (opened = true);
    ws.onmessage = (e) => {
      try {
        const m = JSON.parse(String(e.data)) as { text?: unknown; dropped?: unknown };
        if (typeof m.text === "string") onEvent(m.text);
        else if (typeof m.dropped === "number") onDropped(m.dropped);
      } catch {
        // Not one of ours: ignored.
      }
    };
    ws.onclose = () => resolve(opened || signal.aborted);
    signal.addEventListener("abort", () => ws.close());
  });
}
