// A listener for a component's `http` block on Bun.serve: binds listen_address:
// listen_port (port 0 picks one), serves TLS from the `tls` block, closes idle
// connections after server_idle_timeout, and answers 503 beyond conn_limit
// concurrent requests (Bun exposes requests, not connections). rebind() reopens
// the listener when the block changed, so a reload can move it to another port.

import { readFileSync } from "node:fs";
import type { Server, TLSOptions } from "bun";
import type { ServerHTTPArgs } from "./config.ts";

export type Handler = (req: Request) => Response | Promise<Response>;

function tlsOptions(t: ServerHTTPArgs["tls"]): TLSOptions | undefined {
  if (t === undefined) return undefined;
  const cert = t.cert_pem !== "" ? t.cert_pem : readFileSync(t.cert_file, "utf8");
  const key = t.key_pem !== undefined ? t.key_pem.value : readFileSync(t.key_file, "utf8");
  const ca = t.client_ca_pem !== "" ? t.client_ca_pem : t.client_ca_file !== "" ? readFileSync(t.client_ca_file, "utf8") : undefined;
  const verify = t.client_auth_type === "RequireAndVerifyClientCert" || t.client_auth_type === "VerifyClientCertIfGiven";
  return {
    cert,
    key,
    ...(ca !== undefined ? { ca } : {}),
    requestCert: t.client_auth_type !== "NoClientCert",
    rejectUnauthorized: verify && t.client_auth_type === "RequireAndVerifyClientCert",
  };
}

export class ComponentHTTPServer {
  #server: Server<undefined> | undefined;
  #args: ServerHTTPArgs | undefined;
  #inflight = 0;

  constructor(private handler: Handler) {}

  /** The bound `host:port`. */
  get address(): string {
    const s = this.#server;
    if (s === undefined) return "";
    return `${s.hostname}:${s.port}`;
  }

  get port(): number {
    return this.#server?.port ?? 0;
  }

  /** Opens (or reopens, when the block changed) the listener. */
  async listen(args: ServerHTTPArgs): Promise<void> {
    if (this.#server !== undefined && JSON.stringify(args) === JSON.stringify(this.#args)) return;
    await this.close();
    const limit = args.conn_limit;
    this.#server = Bun.serve({
      hostname: args.listen_address === "" ? "0.0.0.0" : args.listen_address,
      port: args.listen_port,
      // The handler enforces its own body limit with a clear error.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      idleTimeout: Math.min(255, Math.max(0, Math.round(args.server_idle_timeout / 1000))),
      tls: tlsOptions(args.tls),
      fetch: async (req) => {
        if (limit > 0 && this.#inflight >= limit) return new Response("too many concurrent requests\n", { status: 503 });
        this.#inflight++;
        try {
          return await this.handler(req);
        } finally {
          this.#inflight--;
        }
      },
      error: (err) => new Response(`internal error: ${err.message}\n`, { status: 500 }),
    });
    this.#args = args;
  }

  async close(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (s !== undefined) await s.stop(true);
  }
}
