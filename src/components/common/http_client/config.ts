// Alloy's HTTP client arguments (common/config.HTTPClientConfig) as schema fields.
// prometheus.scrape and discovery.http embed them at the top level of their body
// (Go's `squash`); remote.http nests the same set in a `client` block.

import * as schema from "../../../syntax/schema/index.ts";

const secretOpt = { optional: true } as const;

export const BasicAuth = schema.block({
  username: schema.attr(schema.string, { default: "" }),
  password: schema.attr(schema.secret, secretOpt),
  password_file: schema.attr(schema.string, { default: "" }),
});

export const Authorization = schema.block({
  type: schema.attr(schema.string, { default: "Bearer" }),
  credentials: schema.attr(schema.secret, secretOpt),
  credentials_file: schema.attr(schema.string, { default: "" }),
});

export const TLSConfig = schema.block({
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

export const OAuth2 = schema.block({
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

/** The client fields, to spread into a component's Arguments. */
export const httpClientFields = {
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
};

export type HTTPClientConfig = schema.InferFields<typeof httpClientFields>;
export const HTTPClientConfig = schema.block(httpClientFields, { validate: (c) => validateHTTPClientConfig(c) });

/** Alloy's HTTPClientConfig.Validate messages; undefined when valid. */
export function validateHTTPClientConfig(c: HTTPClientConfig): string | undefined {
  const auths = [c.basic_auth, c.authorization, c.oauth2].filter((x) => x !== undefined).length;
  const bearer = (c.bearer_token !== undefined ? 1 : 0) + (c.bearer_token_file !== "" ? 1 : 0);
  if (auths + bearer > 1) {
    return "at most one of basic_auth, authorization, oauth2, bearer_token & bearer_token_file must be configured";
  }
  if (c.authorization && c.authorization.type.toLowerCase() === "basic") {
    return `authorization type cannot be set to "basic", use "basic_auth" instead`;
  }
  if (c.authorization && c.authorization.credentials !== undefined && c.authorization.credentials_file !== "") {
    return "at most one of authorization credentials & credentials_file must be configured";
  }
  if (c.basic_auth && c.basic_auth.password !== undefined && c.basic_auth.password_file !== "") {
    return "at most one of basic_auth password & password_file must be configured";
  }
  if (c.proxy_url !== "" && c.proxy_from_environment) return "if proxy_from_environment is configured, proxy_url must not be configured";
  if (c.no_proxy !== "" && c.proxy_url === "" && !c.proxy_from_environment) return "if no_proxy is configured, proxy_url must also be configured";
  if (Object.keys(c.proxy_connect_header).length > 0 && c.proxy_url === "" && !c.proxy_from_environment) {
    return "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured";
  }
  if (c.proxy_url !== "") {
    try {
      new URL(c.proxy_url);
    } catch {
      return `parse ${JSON.stringify(c.proxy_url)}: invalid URL`;
    }
  }
  return undefined;
}
