// The root `http` block: `auth { basic { username, password } filter { paths,
// authenticate_matching_paths } }` guards every route (Alloy's
// internal/service/http/auth.go), and `tls { ... }` switches the listener to TLS.

import { createHash, timingSafeEqual } from "node:crypto";
import type { TLSOptions } from "bun";
import type { MiddlewareHandler } from "hono";
import type { ServiceDefinition } from "../../runtime/env.ts";
import { httpServiceArgs } from "../../runtime/services.ts";
import { Secret } from "../../syntax/value.ts";
import { tlsOptions, type TLSBlock } from "./tls.ts";

interface BasicAuth {
  usernameHash: Buffer;
  passwordHash: Buffer;
  paths: string[];
  authenticateMatchingPaths: boolean;
}

interface HttpBlockArgs {
  tls?: TLSBlock;
  auth?: {
    basic?: { username: string; password: Secret | string };
    filter?: { paths?: string[]; authenticate_matching_paths?: boolean };
  };
}

const sha256 = (s: string): Buffer => createHash("sha256").update(s).digest();

/** What the `http` block asks of the server; nothing until a block sets it. */
export class HttpBlock {
  private basic: BasicAuth | undefined;
  private tlsKey = "";

  /**
   * `applyTLS` moves the listener to (or off) TLS; it is called only when the tls
   * settings change, and its failure fails the load.
   */
  constructor(private readonly applyTLS: (tls: TLSOptions | undefined) => void | Promise<void> = () => {}) {}

  /** Applies a decoded `http` block (the schema's defaults when the block is absent). */
  async update(args: unknown): Promise<void> {
    const block = (args ?? {}) as HttpBlockArgs;
    const tls = block.tls ? tlsOptions(block.tls) : undefined;
    const key = tls ? JSON.stringify([tls.cert, tls.key, tls.ca, tls.requestCert, tls.rejectUnauthorized, tls.secureOptions]) : "";
    if (key !== this.tlsKey) {
      await this.applyTLS(tls);
      this.tlsKey = key;
    }
    const basic = block.auth?.basic;
    if (!basic) {
      this.basic = undefined;
      return;
    }
    const password = basic.password instanceof Secret ? basic.password.value : String(basic.password);
    // Without a filter block every path is authenticated (Go's zero value: no paths, not matching).
    const filter = block.auth?.filter;
    this.basic = {
      usernameHash: sha256(basic.username),
      passwordHash: sha256(password),
      paths: filter?.paths ?? [],
      authenticateMatchingPaths: filter ? (filter.authenticate_matching_paths ?? true) : false,
    };
  }

  /** True when the request may proceed. */
  allows(req: Request): boolean {
    const b = this.basic;
    if (!b) return true;
    const path = new URL(req.url).pathname;
    const matches = b.paths.some((p) => path.startsWith(p));
    if (matches !== b.authenticateMatchingPaths) return true;
    const credentials = parseBasicAuth(req.headers.get("authorization"));
    if (!credentials) return false;
    const userOK = timingSafeEqual(sha256(credentials.username), b.usernameHash);
    const passOK = timingSafeEqual(sha256(credentials.password), b.passwordHash);
    return userOK && passOK;
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (this.allows(c.req.raw)) return next();
      return new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="Restricted"' } });
    };
  }

  /** The `http` service definition for the runtime, applying blocks to this object. */
  serviceDefinition(): ServiceDefinition {
    return { name: "http", stability: "generally-available", args: httpServiceArgs, update: (args) => this.update(args) };
  }
}

function parseBasicAuth(header: string | null): { username: string; password: string } | undefined {
  const m = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
