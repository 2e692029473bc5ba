// The in-memory address (--server.http.memory-addr): requests to that host go
// straight into the HTTP app's fetch handler, without a socket, so exporters'
// targets (`__address__ = "alloy.internal:12345"`) are scraped in-process.
// Every other request goes to the global fetch.

export type AppFetch = (req: Request) => Response | Promise<Response>;

/** `host:port` as a URL's `host` shows it (default ports dropped, lower-cased). */
export function normalizeHost(addr: string): string {
  try {
    return new URL(`http://${addr}`).host;
  } catch {
    return addr.toLowerCase();
  }
}

export function createMemoryFetch(memoryAddr: string, appFetch: AppFetch, outbound: typeof fetch = globalThis.fetch): typeof fetch {
  const memoryHost = normalizeHost(memoryAddr);
  const memoryFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return outbound(input, init);
    }
    if (host !== memoryHost) return outbound(input, init);
    const req = new Request(input, init);
    if (req.signal.aborted) throw req.signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
    return appFetch(req);
  };
  return Object.assign(memoryFetch, { preconnect: outbound.preconnect }) as typeof fetch;
}
