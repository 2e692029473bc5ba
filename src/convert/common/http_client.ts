// Prometheus' HTTPClientConfig → Alloy's http client arguments (squashed into the component body).

import { Block, objSorted, type AlloyValue } from "../builder.ts";
import { Diagnostics, unsupported } from "../diagnostics.ts";
import { isMap, map, str, strList, type YamlMap } from "./yaml_values.ts";

export function appendBasicAuth(b: Block, cfg: unknown): void {
  if (!isMap(cfg)) return;
  const ba = b.child("basic_auth");
  ba.opt("username", str(cfg.username), "");
  ba.opt("password", str(cfg.password), "");
  ba.opt("password_file", str(cfg.password_file), "");
}

export function appendAuthorization(b: Block, c: YamlMap): void {
  let auth = isMap(c.authorization) ? c.authorization : undefined;
  // Prometheus turns bearer_token(_file) into an authorization of type Bearer.
  if (!auth && (str(c.bearer_token) || str(c.bearer_token_file))) {
    auth = { credentials: c.bearer_token, credentials_file: c.bearer_token_file };
  }
  if (!auth) return;
  const a = b.child("authorization");
  a.opt("type", str(auth.type) ?? "Bearer", "");
  a.opt("credentials", str(auth.credentials), "");
  a.opt("credentials_file", str(auth.credentials_file), "");
}

export function appendProxy(b: Block, c: YamlMap): void {
  b.opt("proxy_url", str(c.proxy_url), "");
  b.opt("no_proxy", str(c.no_proxy), "");
  b.opt("proxy_from_environment", c.proxy_from_environment === true ? true : undefined);
  if (isMap(c.proxy_connect_header)) {
    const rec: Record<string, AlloyValue> = {};
    for (const [k, v] of Object.entries(c.proxy_connect_header)) rec[k] = strList(v) ?? [];
    b.attr("proxy_connect_header", objSorted(rec));
  }
}

export function appendTLS(b: Block, cfg: unknown): void {
  const t = map(cfg);
  const fields: [string, string][] = [
    ["ca_pem", "ca"], ["ca_file", "ca_file"], ["cert_pem", "cert"], ["cert_file", "cert_file"],
    ["key_pem", "key"], ["key_file", "key_file"], ["server_name", "server_name"],
  ];
  const present = fields.some(([, y]) => str(t[y])) || t.insecure_skip_verify === true || str(t.min_version);
  if (!present) return;
  appendTLSFields(b.child("tls_config"), t);
}

function appendTLSFields(tb: Block, t: YamlMap): void {
  const fields: [string, string][] = [
    ["ca_pem", "ca"], ["ca_file", "ca_file"], ["cert_pem", "cert"], ["cert_file", "cert_file"],
    ["key_pem", "key"], ["key_file", "key_file"], ["server_name", "server_name"],
  ];
  for (const [alloy, yaml] of fields) tb.opt(alloy, str(t[yaml]), "");
  tb.opt("insecure_skip_verify", t.insecure_skip_verify === true ? true : undefined);
  tb.opt("min_version", str(t.min_version), "");
}

export function appendOAuth2(b: Block, cfg: unknown): void {
  if (!isMap(cfg)) return;
  const o = b.child("oauth2");
  o.opt("client_id", str(cfg.client_id), "");
  o.opt("client_secret", str(cfg.client_secret), "");
  o.opt("client_secret_file", str(cfg.client_secret_file), "");
  o.opt("scopes", strList(cfg.scopes));
  o.opt("token_url", str(cfg.token_url), "");
  if (isMap(cfg.endpoint_params)) {
    const rec: Record<string, AlloyValue> = {};
    for (const [k, v] of Object.entries(cfg.endpoint_params)) rec[k] = String(v);
    o.attr("endpoint_params", objSorted(rec));
  }
  appendProxy(o, cfg);
  // The OAuth2 TLS settings are a pointer Alloy always writes out.
  const tls = o.child("tls_config");
  appendTLSFields(tls, map(cfg.tls_config));
}

export interface HttpClientOptions {
  /** Emit follow_redirects / enable_http2 even at their defaults (some discovery components do). */
  alwaysFlags?: boolean;
}

/** Appends every HTTP client setting present in `c`, in Alloy's field order. */
export function appendHttpClient(b: Block, c: YamlMap, opts: HttpClientOptions = {}): void {
  appendBasicAuth(b, c.basic_auth);
  appendAuthorization(b, c);
  appendOAuth2(b, c.oauth2);
  appendProxy(b, c);
  appendTLS(b, c.tls_config);
  const follow = c.follow_redirects === false ? false : true;
  const http2 = c.enable_http2 === false ? false : true;
  if (opts.alwaysFlags) {
    b.attr("follow_redirects", follow);
    b.attr("enable_http2", http2);
  } else {
    b.opt("follow_redirects", follow, true);
    b.opt("enable_http2", http2, true);
  }
}

export function validateHttpClient(c: YamlMap, diags: Diagnostics): void {
  if (str(map(c.tls_config).max_version)) unsupported(diags, "HTTP Client max_version");
}
