// The shapes of the runtime's own blocks (argument, export, logging, tracing,
// import.*, foreach), as Alloy defines them.

import * as schema from "../syntax/schema/index.ts";

export const argumentArgs = schema.block({
  optional: schema.attr(schema.bool, { default: false }),
  default: schema.attr(schema.any, { optional: true }),
  comment: schema.attr(schema.string, { optional: true }),
});

export const exportArgs = schema.block({ value: schema.attr(schema.any) });

export const loggingArgs = schema.block({
  level: schema.attr(
    schema.enumWith(["debug", "info", "warn", "error"], (got) => `unrecognized log level ${JSON.stringify(got)}`),
    { default: "info" },
  ),
  format: schema.attr(schema.enumWith(["logfmt", "json"], (got) => `unrecognized log format ${JSON.stringify(got)}`), { default: "logfmt" }),
  destination: schema.attr(
    schema.enumWith(["stderr", "windows_event_log"], (got) => `unrecognized log destination ${JSON.stringify(got)}`),
    { default: "stderr" },
  ),
  write_to: schema.attr(schema.list(schema.any), { default: [] }),
});

export const tracingArgs = schema.block({
  sampling_fraction: schema.attr(schema.number, { default: 0.1 }),
  write_to: schema.attr(schema.list(schema.any), { default: [] }),
  sampler: schema.block(
    schema.block({
      jaeger_remote: schema.block(
        schema.block({
          url: schema.attr(schema.string, { default: "http://127.0.0.1:5778/sampling" }),
          max_operations: schema.attr(schema.int, { default: 256 }),
          refresh_interval: schema.attr(schema.duration, { default: "1m" }),
        }),
        { optional: true },
      ),
    }),
    { optional: true },
  ),
});

const optional = { optional: true } as const;
const tlsConfig = schema.block({
  ca_pem: schema.attr(schema.string, { default: "" }),
  ca_file: schema.attr(schema.string, { default: "" }),
  cert_pem: schema.attr(schema.string, { default: "" }),
  cert_file: schema.attr(schema.string, { default: "" }),
  key_pem: schema.attr(schema.secret, optional),
  key_file: schema.attr(schema.string, { default: "" }),
  server_name: schema.attr(schema.string, { default: "" }),
  insecure_skip_verify: schema.attr(schema.bool, { default: false }),
  min_version: schema.attr(schema.string, { default: "" }),
});

/** import.http's `client` block: Alloy's HTTP client config. */
const importClient = schema.block({
  bearer_token: schema.attr(schema.secret, optional),
  bearer_token_file: schema.attr(schema.string, { default: "" }),
  enable_http2: schema.attr(schema.bool, { default: true }),
  follow_redirects: schema.attr(schema.bool, { default: true }),
  http_headers: schema.attr(schema.map(schema.list(schema.secret)), { default: {} }),
  proxy_url: schema.attr(schema.string, { default: "" }),
  no_proxy: schema.attr(schema.string, { default: "" }),
  proxy_from_environment: schema.attr(schema.bool, { default: false }),
  proxy_connect_header: schema.attr(schema.map(schema.list(schema.secret)), { default: {} }),
  basic_auth: schema.block(
    schema.block({
      username: schema.attr(schema.string, { default: "" }),
      password: schema.attr(schema.secret, optional),
      password_file: schema.attr(schema.string, { default: "" }),
    }),
    optional,
  ),
  authorization: schema.block(
    schema.block({
      type: schema.attr(schema.string, { default: "Bearer" }),
      credentials: schema.attr(schema.secret, optional),
      credentials_file: schema.attr(schema.string, { default: "" }),
    }),
    optional,
  ),
  oauth2: schema.block(
    schema.block({
      client_id: schema.attr(schema.string, { default: "" }),
      client_secret: schema.attr(schema.secret, optional),
      client_secret_file: schema.attr(schema.string, { default: "" }),
      scopes: schema.attr(schema.list(schema.string), { default: [] }),
      token_url: schema.attr(schema.string, { default: "" }),
      endpoint_params: schema.attr(schema.map(schema.string), { default: {} }),
      proxy_url: schema.attr(schema.string, { default: "" }),
      no_proxy: schema.attr(schema.string, { default: "" }),
      proxy_from_environment: schema.attr(schema.bool, { default: false }),
      proxy_connect_header: schema.attr(schema.map(schema.list(schema.secret)), { default: {} }),
      tls_config: schema.block(tlsConfig, optional),
    }),
    optional,
  ),
  tls_config: schema.block(tlsConfig, optional),
});

export const importFileArgs = schema.block({
  filename: schema.attr(schema.string),
  detector: schema.attr(schema.enumWith(["fsnotify", "poll"], (got) => `unrecognized detector "${got}"`), { default: "fsnotify" }),
  poll_frequency: schema.attr(schema.duration, { default: "1m" }),
});
export const importStringArgs = schema.block({ content: schema.attr(schema.optionalSecret) });
export const importHTTPArgs = schema.block({
  url: schema.attr(schema.string),
  method: schema.attr(schema.string, { default: "GET" }),
  headers: schema.attr(schema.map(schema.string), { default: {} }),
  poll_frequency: schema.attr(schema.duration, { default: "1m" }),
  poll_timeout: schema.attr(schema.duration, { default: "10s" }),
  client: schema.block(importClient, { default: "defaults" }),
});
export const importGitArgs = schema.block({
  repository: schema.attr(schema.string),
  revision: schema.attr(schema.string, { default: "HEAD" }),
  path: schema.attr(schema.string),
  pull_frequency: schema.attr(schema.duration, { default: "60s" }),
  basic_auth: schema.block(
    schema.block({ username: schema.attr(schema.string, { default: "" }), password: schema.attr(schema.secret, { optional: true }) }),
    { optional: true },
  ),
  ssh_key: schema.block(
    schema.block({
      username: schema.attr(schema.string),
      key: schema.attr(schema.secret, { optional: true }),
      key_file: schema.attr(schema.string, { default: "" }),
      passphrase: schema.attr(schema.secret, { optional: true }),
    }),
    { optional: true },
  ),
});

export const importArgs: Record<string, schema.BlockSchema> = {
  "import.file": importFileArgs,
  "import.string": importStringArgs,
  "import.http": importHTTPArgs,
  "import.git": importGitArgs,
};

/** foreach without its `template` block, which is a body rather than arguments. */
export const foreachArgs = schema.block({
  collection: schema.attr(schema.list(schema.any)),
  var: schema.attr(schema.string),
  id: schema.attr(schema.string, { default: "" }),
  hash_string_id: schema.attr(schema.bool, { default: false }),
  enable_metrics: schema.attr(schema.bool, { default: false }),
});
