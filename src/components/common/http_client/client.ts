// Requests made with Alloy's HTTP client arguments, on fetch: auth headers (basic,
// authorization, bearer, OAuth2 client credentials), extra headers, TLS, proxy and
// redirects. Secrets in files are re-read on every request, as Prometheus does.

import { readFileSync } from "node:fs";
import { buildInfo } from "../../../buildinfo.ts";
import type { Secret } from "../../../syntax/value.ts";
import type { HTTPClientConfig } from "./config.ts";

type TLS = NonNullable<HTTPClientConfig["tls_config"]>;

const DEPLOY_MODES = ["operator", "helm", "docker", "deb", "rpm", "brew"];

/** Alloy's useragent.Get(): `Alloy/<version> (<goos>; <deploy mode>)`. */
export const USER_AGENT = `Alloy/${buildInfo.version} (${buildInfo.goos}; ${DEPLOY_MODES.includes(process.env.ALLOY_DEPLOY_MODE ?? "") ? process.env.ALLOY_DEPLOY_MODE : "binary"})`;

function secretText(s: Secret | undefined, file: string): string | undefined {
  if (file !== "") return readFileSync(file, "utf8").trim();
  return s?.value;
}

/** Bun's fetch TLS options from a tls_config block. */
export function tlsOptions(t: TLS | undefined): Record<string, unknown> | undefined {
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

export interface ClientRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Text, or bytes such as a snappy-compressed protobuf (sent as they are, not copied). */
  body?: string | Uint8Array;
  signal: AbortSignal;
  /** Leave Content-Encoding to the caller (scrapes count compressed bytes themselves). */
  decompress?: boolean;
}

export class HTTPClient {
  private token: { value: string; expires: number } | undefined;

  constructor(
    private readonly cfg: HTTPClientConfig,
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

  async request(url: string, init: ClientRequest): Promise<Response> {
    const c = this.cfg;
    const headers = new Headers();
    for (const [k, vs] of Object.entries(c.http_headers)) for (const v of vs) headers.append(k, v.value);
    for (const [k, v] of Object.entries(init.headers ?? {})) headers.set(k, v);
    if (!headers.has("User-Agent")) headers.set("User-Agent", USER_AGENT);
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
    const extra: Record<string, unknown> = {
      tls: tlsOptions(c.tls_config),
      proxy: proxyFor(url, c.proxy_url, c.proxy_from_environment, c.no_proxy),
    };
    if (init.decompress === false) extra.decompress = false;
    return this.fetchImpl(url, {
      method: init.method ?? "GET",
      headers,
      // Bytes are never backed by a SharedArrayBuffer here; fetch's type only lacks the proof.
      body: init.body as string | Uint8Array<ArrayBuffer> | undefined,
      signal: init.signal,
      redirect: c.follow_redirects ? "follow" : "manual",
      ...(extra as object),
    });
  }
}
