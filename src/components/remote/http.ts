// remote.http: polls a URL and exports the (trimmed) response body, as a secret
// when is_secret is set. The `client` block is Alloy's HTTP client config as far
// as fetch supports it: auth (basic, bearer, authorization, OAuth2 client
// credentials), TLS, proxy, redirects and extra headers.

import { readFileSync } from "node:fs";
import * as schema from "../../syntax/schema/index.ts";
import { Secret } from "../../syntax/value.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../runtime/component.ts";

const secretOpt = { optional: true } as const;

const BasicAuth = schema.block({
  username: schema.attr(schema.string, { default: "" }),
  password: schema.attr(schema.secret, secretOpt),
  password_file: schema.attr(schema.string, { default: "" }),
});
const Authorization = schema.block({
  type: schema.attr(schema.string, { default: "Bearer" }),
  credentials: schema.attr(schema.secret, secretOpt),
  credentials_file: schema.attr(schema.string, { default: "" }),
});
const TLSConfig = schema.block({
  ca_pem: schema.attr(schema.string, { default: "" }),
  ca_file: schema.attr(schema.string, { default: "" }),
  cert_pem: schema.attr(schema.string, { default: "" }),
  cert_file: schema.attr(schema.string, { default: "" }),
  key_pem: schema.attr(schema.secret, secretOpt),
  key_file: schema.attr(schema.string, { default: "" }),
  server_name: schema.attr(schema.string, { default: "" }),
  insecure_skip_verify: schema.attr(schema.bool, { default: false }),
  min_version: schema.attr(schema.string, { default: "" }),
});
const OAuth2 = schema.block({
  client_id: schema.attr(schema.string, { default: "" }),
  client_secret: schema.attr(schema.secret, secretOpt),
  client_secret_file: schema.attr(schema.string, { default: "" }),
  scopes: schema.attr(schema.list(schema.string), { default: [] }),
  token_url: schema.attr(schema.string, { default: "" }),
  endpoint_params: schema.attr(schema.map(schema.string), { default: {} }),
  proxy_url: schema.attr(schema.string, { default: "" }),
  no_proxy: schema.attr(schema.string, { default: "" }),
  proxy_from_environment: schema.attr(schema.bool, { default: false }),
  proxy_connect_header: schema.attr(schema.map(schema.list(schema.secret)), { default: {} }),
  tls_config: schema.block(TLSConfig, { optional: true }),
});

const HTTPClientConfig = schema.block(
  {
    bearer_token: schema.attr(schema.secret, secretOpt),
    bearer_token_file: schema.attr(schema.string, { default: "" }),
    enable_http2: schema.attr(schema.bool, { default: true }),
    follow_redirects: schema.attr(schema.bool, { default: true }),
    http_headers: schema.attr(schema.map(schema.list(schema.secret)), { default: {} }),
    proxy_url: schema.attr(schema.string, { default: "" }),
    no_proxy: schema.attr(schema.string, { default: "" }),
    proxy_from_environment: schema.attr(schema.bool, { default: false }),
    proxy_connect_header: schema.attr(schema.map(schema.list(schema.secret)), { default: {} }),
    basic_auth: schema.block(BasicAuth, { optional: true }),
    authorization: schema.block(Authorization, { optional: true }),
    oauth2: schema.block(OAuth2, { optional: true }),
    tls_config: schema.block(TLSConfig, { optional: true }),
  },
  {
    validate: (c) => {
      const auths = [c.basic_auth, c.authorization, c.oauth2].filter((x) => x !== undefined).length;
      const bearer = (c.bearer_token !== undefined ? 1 : 0) + (c.bearer_token_file !== "" ? 1 : 0);
      if (auths + bearer > 1) {
        return "at most one of basic_auth, authorization, oauth2, bearer_token & bearer_token_file must be configured";
      }
      if (c.proxy_url !== "" && c.proxy_from_environment) return "if proxy_from_environment is configured, proxy_url must not be configured";
      if (c.no_proxy !== "" && c.proxy_url === "" && !c.proxy_from_environment) return "if no_proxy is configured, proxy_url must also be configured";
      return undefined;
    },
  },
);

const Arguments = schema.block(
  {
    url: schema.attr(schema.string),
    poll_frequency: schema.attr(schema.duration, { default: "1m" }),
    poll_timeout: schema.attr(schema.duration, { default: "10s" }),
    is_secret: schema.attr(schema.bool, { default: false }),
    method: schema.attr(schema.string, { default: "GET" }),
    headers: schema.attr(schema.map(schema.string), { default: {} }),
    body: schema.attr(schema.string, { default: "" }),
    client: schema.block(HTTPClientConfig, { default: "defaults" }),
  },
  {
    validate: (a) => {
      if (a.poll_frequency <= 0) return "poll_frequency must be greater than 0";
      if (a.poll_timeout <= 0) return "poll_timeout must be greater than 0";
      if (a.poll_timeout >= a.poll_frequency) return "poll_timeout must be less than poll_frequency";
      try {
        new URL(a.url);
      } catch {
        return `parse ${JSON.stringify(a.url)}: invalid URL`;
      }
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(a.method)) return `net/http: invalid method ${JSON.stringify(a.method)}`;
      return undefined;
    },
  },
);
const Exports = schema.block({ content: schema.attr(schema.optionalSecret) });

type Args = schema.Infer<typeof Arguments>;
type ClientConfig = schema.Infer<typeof HTTPClientConfig>;
type TLS = schema.Infer<typeof TLSConfig>;

const userAgent = "Alloy/v1.18.0";

function secretText(s: Secret | undefined, file: string): string | undefined {
  if (file !== "") return readFileSync(file, "utf8").trim();
  return s?.value;
}

/** Bun's fetch TLS options from Alloy's tls_config block. */
function tlsOptions(t: TLS | undefined): Record<string, unknown> | undefined {
  if (!t) return undefined;
  const read = (pem: string, file: string) => (pem !== "" ? pem : file !== "" ? readFileSync(file, "utf8") : undefined);
  const key = t.key_pem?.value ?? (t.key_file !== "" ? readFileSync(t.key_file, "utf8") : undefined);
  return {
    ca: read(t.ca_pem, t.ca_file),
    cert: read(t.cert_pem, t.cert_file),
    key,
    serverName: t.server_name || undefined,
    rejectUnauthorized: !t.insecure_skip_verify,
  };
}

function proxyFor(url: string, proxyURL: string, fromEnv: boolean, noProxy: string): string | undefined {
  const host = new URL(url).hostname;
  const excluded = (list: string) =>
    list
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .some((p) => p === "*" || host === p || host.endsWith(p.startsWith(".") ? p : `.${p}`));
  if (fromEnv) {
    const env = process.env;
    const p = url.startsWith("https:") ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
    if (!p || excluded(env.NO_PROXY ?? env.no_proxy ?? "")) return undefined;
    return p;
  }
  if (proxyURL === "" || excluded(noProxy)) return undefined;
  return proxyURL;
}

/** Performs requests with the client config: auth headers, TLS, proxy, redirects. */
export class HTTPClient {
  private token: { value: string; expires: number } | undefined;

  constructor(
    private readonly cfg: ClientConfig,
    private readonly fetchImpl: typeof fetch,
  ) {}

  private async oauthToken(signal: AbortSignal): Promise<string> {
    const o = this.cfg.oauth2!;
    if (this.token && this.token.expires > Date.now()) return this.token.value;
    const form = new URLSearchParams({ grant_type: "client_credentials", ...o.endpoint_params });
    if (o.scopes.length > 0) form.set("scope", o.scopes.join(" "));
    const secret = secretText(o.client_secret, o.client_secret_file) ?? "";
    const res = await this.fetchImpl(o.token_url, {
      method: "POST",
      body: form,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${btoa(`${encodeURIComponent(o.client_id)}:${encodeURIComponent(secret)}`)}`,
      },
      signal,
      ...({ tls: tlsOptions(o.tls_config), proxy: proxyFor(o.token_url, o.proxy_url, o.proxy_from_environment, o.no_proxy) } as object),
    });
    if (!res.ok) throw new Error(`oauth2: cannot fetch token: ${res.status} ${res.statusText}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error("oauth2: server response missing access_token");
    this.token = { value: body.access_token, expires: Date.now() + ((body.expires_in ?? 3600) - 10) * 1000 };
    return body.access_token;
  }

  async request(url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }): Promise<Response> {
    const c = this.cfg;
    const headers = new Headers();
    for (const [k, vs] of Object.entries(c.http_headers)) for (const v of vs) headers.append(k, v.value);
    for (const [k, v] of Object.entries(init.headers)) headers.set(k, v);
    if (!headers.has("User-Agent")) headers.set("User-Agent", userAgent);
    if (c.basic_auth) {
      const pw = secretText(c.basic_auth.password, c.basic_auth.password_file) ?? "";
      headers.set("Authorization", `Basic ${Buffer.from(`${c.basic_auth.username}:${pw}`).toString("base64")}`);
    } else if (c.authorization) {
      const cred = secretText(c.authorization.credentials, c.authorization.credentials_file) ?? "";
      headers.set("Authorization", `${c.authorization.type} ${cred}`);
    } else if (c.bearer_token !== undefined || c.bearer_token_file !== "") {
      headers.set("Authorization", `Bearer ${secretText(c.bearer_token, c.bearer_token_file) ?? ""}`);
    } else if (c.oauth2) {
      headers.set("Authorization", `Bearer ${await this.oauthToken(init.signal)}`);
    }
    const extra = { tls: tlsOptions(c.tls_config), proxy: proxyFor(url, c.proxy_url, c.proxy_from_environment, c.no_proxy) };
    return this.fetchImpl(url, {
      method: init.method,
      headers,
      body: init.body,
      signal: init.signal,
      redirect: c.follow_redirects ? "follow" : "manual",
      ...(extra as object),
    });
  }
}

class RemoteHTTP implements ComponentInstance<Args> {
  private client: HTTPClient;
  private lastPoll = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>,
    private args: Args,
  ) {
    this.client = new HTTPClient(args.client, ctx.fetch);
  }

  /** Like Alloy, every update polls at once and fails the evaluation when the poll fails. */
  async update(args: Args): Promise<void> {
    this.args = args;
    this.client = new HTTPClient(args.client, this.ctx.fetch);
    this.wake?.();
    const err = await this.poll();
    if (err) throw new Error(err);
  }

  private async poll(): Promise<string | undefined> {
    this.lastPoll = Date.now();
    const a = this.args;
    let err: string | undefined;
    try {
      const res = await this.client.request(a.url, {
        method: a.method,
        headers: a.headers,
        body: a.body !== "" ? a.body : undefined,
        signal: AbortSignal.any([AbortSignal.timeout(a.poll_timeout), this.ctx.signal]),
      });
      const text = await res.text();
      if (res.status !== 200) err = `unexpected status code ${res.status} ${res.statusText}`.trimEnd();
      else this.ctx.publish({ content: { value: text.trim(), isSecret: a.is_secret } });
    } catch (e) {
      err = `performing request: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (err) {
      this.ctx.logger.error("polling failed", { err });
      this.ctx.setHealth({ state: "unhealthy", message: `polling failed: ${err}` });
    } else this.ctx.setHealth({ state: "healthy", message: "polled endpoint" });
    return err;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const wait = Math.max(0, this.lastPoll + this.args.poll_frequency - Date.now());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => (clearTimeout(t), resolve());
        signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      });
      this.wake = undefined;
      if (!signal.aborted && Date.now() >= this.lastPoll + this.args.poll_frequency) await this.poll();
    }
  }
}

export default defineComponent({
  name: "remote.http",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  async build(ctx, args) {
    const c = new RemoteHTTP(ctx, args);
    await c.update(args);
    return c;
  },
});
