// otelcol.auth.basic: HTTP Basic credentials for exporters (client_auth, or the
// top-level username/password) and checking them on receivers (htpasswd entries, or the
// top-level username/password as a single entry).

import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { RequestHeaders } from "../../../telemetry/otlp/index.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { handlerType, type OtelHandler } from "../common/handler.ts";

const ClientAuth = schema.block({
  username: schema.attr(schema.string, { default: "" }),
  password: schema.attr(schema.secret, { default: "" }),
  username_file: schema.attr(schema.string, { default: "" }),
  password_file: schema.attr(schema.string, { default: "" }),
});

const Htpasswd = schema.block({
  file: schema.attr(schema.string, { default: "" }),
  inline: schema.attr(schema.string, { default: "" }),
});

const Arguments = schema.block({
  username: schema.attr(schema.string, { default: "" }),
  password: schema.attr(schema.secret, { default: "" }),
  client_auth: schema.block(ClientAuth, { optional: true }),
  htpasswd: schema.block(Htpasswd, { optional: true }),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ handler: schema.attr(handlerType) });

function readTrimmed(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new Error(`reading ${what} ${file}: ${(err as Error).message}`);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a password against one htpasswd hash: bcrypt, {SHA} or plain text. */
export function verifyHtpasswd(password: string, hash: string): boolean {
  if (/^\$2[abxy]?\$/.test(hash)) {
    try {
      return Bun.password.verifySync(password, hash, "bcrypt");
    } catch {
      return false;
    }
  }
  if (hash.startsWith("{SHA}")) return safeEqual(createHash("sha1").update(password).digest("base64"), hash.slice(5));
  return safeEqual(password, hash);
}

export function parseHtpasswd(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i <= 0) continue;
    m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

export function basicHandler(id: string, args: Args): OtelHandler {
  let user = args.username;
  let pass = args.password.value;
  const ca = args.client_auth;
  if (ca) {
    user = ca.username_file ? readTrimmed(ca.username_file, "username_file") : ca.username;
    pass = ca.password_file ? readTrimmed(ca.password_file, "password_file") : ca.password.value;
  }
  const clientHeader = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

  const entries = new Map<string, string>();
  if (args.htpasswd?.file) for (const [u, h] of parseHtpasswd(readTrimmed(args.htpasswd.file, "htpasswd file"))) entries.set(u, h);
  if (args.htpasswd?.inline) for (const [u, h] of parseHtpasswd(args.htpasswd.inline)) entries.set(u, h);
  if (args.username !== "") entries.set(args.username, args.password.value);

  return {
    id,
    client: () => ({ Authorization: clientHeader }),
    server: async (headers: RequestHeaders) => {
      const value = headers.get("authorization")?.[0];
      if (!value) throw new Error("missing or empty authorization header");
      const m = /^Basic\s+(.+)$/i.exec(value.trim());
      if (!m) throw new Error("authorization header does not use the Basic scheme");
      const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
      const i = decoded.indexOf(":");
      if (i < 0) throw new Error("invalid Basic credentials");
      const hash = entries.get(decoded.slice(0, i));
      if (hash === undefined || !verifyHtpasswd(decoded.slice(i + 1), hash)) throw new Error("invalid credentials");
    },
  };
}

class BasicAuth implements ComponentInstance<Args> {
  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.update(args);
  }
  update(args: Args): void {
    this.ctx.publish({ handler: basicHandler(this.ctx.id, args) });
  }
}

export default defineComponent({
  name: "otelcol.auth.basic",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new BasicAuth(ctx, args),
});
