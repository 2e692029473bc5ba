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

const importClient = schema.block({
  bearer_token: schema.attr(schema.secret, { optional: true }),
  follow_redirects: schema.attr(schema.bool, { default: true }),
  basic_auth: schema.block(
    schema.block({ username: schema.attr(schema.string, { default: "" }), password: schema.attr(schema.secret, { optional: true }) }),
    { optional: true },
  ),
  authorization: schema.block(
    schema.block({ type: schema.attr(schema.string, { default: "Bearer" }), credentials: schema.attr(schema.secret, { optional: true }) }),
    { optional: true },
  ),
  tls_config: schema.block(schema.block({ insecure_skip_verify: schema.attr(schema.bool, { default: false }), ca_pem: schema.attr(schema.string, { default: "" }) }), {
    optional: true,
  }),
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
