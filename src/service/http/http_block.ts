// The root `http` block: `auth { basic { username, password } filter { paths,
// authenticate_matching_paths } }` guards every route (Alloy's
// internal/service/http/auth.go). TLS is refused with an error until the server
// can switch its listener to TLS.

import { timingSafeEqual, createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { ServiceDefinition } from "../../runtime/env.ts";
import { httpServiceArgs } from "../../runtime/services.ts";
import { Secret } from "../../syntax/value.ts";

interface BasicAuth {
  usernameHash: Buffer;
  passwordHash: Buffer;
  paths: string[];
  authenticateMatchingPaths: boolean;
}

const sha256 = (s: string): Buffer => createHash("sha256").update(s).digest();

/** The authentication the `http` block asks for; none until a block sets it. */
export class HttpAuth {
  private basic: BasicAuth | undefined;

  /** Applies a decoded `http` block (the schema's defaults when the block is absent). */
  update(args: unknown): void {
    const block = (args ?? {}) as { tls?: unknown; auth?: { basic?: { username: string; password: Secret | string }; filter?: { paths?: string[]; authenticate_matching_paths?: boolean } } };
    if (block.tls) throw new Error("the http block's tls block is not supported yet: serve Alloy behind a TLS-terminating proxy");
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
  let decoded: string;
  try {
    decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
