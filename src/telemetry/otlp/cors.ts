// CORS for the OTLP/HTTP receiver (the Collector's `cors` block, which uses rs/cors):
// origins may contain one `*` wildcard, `*` alone allows every origin; preflight
// requests are answered here with 204.

export interface CorsOptions {
  /** Origins allowed, e.g. `https://*.example.com`; empty disables CORS. */
  allowedOrigins: readonly string[];
  /** Request headers allowed besides the CORS-safelisted ones; `*` allows any. Default `["X-Requested-With"]`. */
  allowedHeaders?: readonly string[];
  exposedHeaders?: readonly string[];
  /** Seconds a preflight result may be cached; unset sends no Access-Control-Max-Age. */
  maxAge?: number;
}

// rs/cors always allows these, plus what the config lists.
const ALWAYS_ALLOWED_HEADERS = ["accept", "accept-language", "content-language", "content-type", "origin"];

export class CorsPolicy {
  readonly #exact = new Set<string>();
  readonly #patterns: Array<{ prefix: string; suffix: string }> = [];
  readonly #anyOrigin: boolean;
  readonly #headers: Set<string>;
  readonly #anyHeader: boolean;

  constructor(readonly opts: CorsOptions) {
    for (const o of opts.allowedOrigins) {
      const origin = o.toLowerCase();
      const star = origin.indexOf("*");
      if (star < 0) this.#exact.add(origin);
      else if (origin !== "*") this.#patterns.push({ prefix: origin.slice(0, star), suffix: origin.slice(star + 1) });
    }
    this.#anyOrigin = opts.allowedOrigins.includes("*");
    const headers = (opts.allowedHeaders ?? ["X-Requested-With"]).map((h) => h.toLowerCase());
    this.#anyHeader = headers.includes("*");
    this.#headers = new Set([...ALWAYS_ALLOWED_HEADERS, ...headers]);
  }

  get enabled(): boolean {
    return this.opts.allowedOrigins.length > 0;
  }

  originAllowed(origin: string): boolean {
    if (this.#anyOrigin) return true;
    const o = origin.toLowerCase();
    if (this.#exact.has(o)) return true;
    return this.#patterns.some((p) => o.length >= p.prefix.length + p.suffix.length && o.startsWith(p.prefix) && o.endsWith(p.suffix));
  }

  /** Answers an OPTIONS preflight request. */
  preflight(req: Request): Response {
    const headers = new Headers({ Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" });
    const origin = req.headers.get("origin");
    const method = (req.headers.get("access-control-request-method") ?? "").toUpperCase();
    const requested = (req.headers.get("access-control-request-headers") ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== "");
    const ok =
      origin !== null &&
      this.originAllowed(origin) &&
      method === "POST" &&
      (this.#anyHeader || requested.every((h) => this.#headers.has(h)));
    if (ok) {
      headers.set("Access-Control-Allow-Origin", this.#anyOrigin ? "*" : origin);
      headers.set("Access-Control-Allow-Methods", "POST");
      if (requested.length > 0) headers.set("Access-Control-Allow-Headers", requested.join(", "));
      if (this.opts.maxAge !== undefined && this.opts.maxAge > 0) headers.set("Access-Control-Max-Age", String(this.opts.maxAge));
    }
    return new Response(null, { status: 204, headers });
  }

  /** Adds CORS headers to the response of an actual (non-preflight) request. */
  decorate(req: Request, res: Response): Response {
    const origin = req.headers.get("origin");
    res.headers.append("Vary", "Origin");
    if (origin === null || !this.originAllowed(origin)) return res;
    res.headers.set("Access-Control-Allow-Origin", this.#anyOrigin ? "*" : origin);
    if (this.opts.exposedHeaders && this.opts.exposedHeaders.length > 0) {
      res.headers.set("Access-Control-Expose-Headers", this.opts.exposedHeaders.join(", "));
    }
    return res;
  }
}
