// Root service blocks Alloy accepts, with the shapes of their blocks. The CLI
// may pass its own definitions (with `update` wired to the real services);
// these defaults make the blocks decode and validate the same way.

import * as schema from "../syntax/schema/index.ts";
import type { ServiceDefinition } from "./env.ts";

const tls = schema.block({
  cert_pem: schema.attr(schema.string, { optional: true }),
  cert_file: schema.attr(schema.string, { optional: true }),
  key_pem: schema.attr(schema.secret, { optional: true }),
  key_file: schema.attr(schema.string, { optional: true }),
  client_ca_pem: schema.attr(schema.string, { optional: true }),
  client_ca_file: schema.attr(schema.string, { optional: true }),
  client_auth_type: schema.attr(schema.string, { optional: true }),
  cipher_suites: schema.attr(schema.list(schema.string), { optional: true }),
  curve_preferences: schema.attr(schema.list(schema.string), { optional: true }),
  min_version: schema.attr(schema.string, { optional: true }),
  max_version: schema.attr(schema.string, { optional: true }),
  windows_certificate_filter: schema.block(schema.block({
    server: schema.block(schema.block({
      store: schema.attr(schema.string, { optional: true }),
      system_store: schema.attr(schema.string, { optional: true }),
      issuer_common_names: schema.attr(schema.list(schema.string), { optional: true }),
      template_id: schema.attr(schema.string, { optional: true }),
      refresh_interval: schema.attr(schema.duration, { optional: true }),
    }), { optional: true }),
    client: schema.block(schema.block({
      issuer_common_names: schema.attr(schema.list(schema.string), { optional: true }),
      subject_regex: schema.attr(schema.string, { optional: true }),
      template_id: schema.attr(schema.string, { optional: true }),
    }), { optional: true }),
  }), { optional: true }),
});

export const httpServiceArgs = schema.block({
  tls: schema.block(tls, { optional: true }),
  auth: schema.block(
    schema.block({
      basic: schema.block(
        schema.block({ username: schema.attr(schema.string), password: schema.attr(schema.secret) }),
        { optional: true },
      ),
      filter: schema.block(
        schema.block({
          paths: schema.attr(schema.list(schema.string), { default: [] }),
          authenticate_matching_paths: schema.attr(schema.bool, { default: true }),
        }),
        { optional: true },
      ),
    }),
    { optional: true },
  ),
});

export const liveDebuggingServiceArgs = schema.block({
  enabled: schema.attr(schema.bool, { default: false }),
});

export const remotecfgServiceArgs = schema.block({
  url: schema.attr(schema.string, { default: "" }),
  id: schema.attr(schema.string, { optional: true }),
  name: schema.attr(schema.string, { optional: true }),
  attributes: schema.attr(schema.map(schema.string), { default: {} }),
  poll_frequency: schema.attr(schema.duration, { default: "1m" }),
  basic_auth: schema.block(
    schema.block({
      username: schema.attr(schema.string, { optional: true }),
      password: schema.attr(schema.secret, { optional: true }),
      password_file: schema.attr(schema.string, { optional: true }),
    }),
    { optional: true },
  ),
  bearer_token: schema.attr(schema.secret, { optional: true }),
  bearer_token_file: schema.attr(schema.string, { optional: true }),
  proxy_url: schema.attr(schema.string, { optional: true }),
  no_proxy: schema.attr(schema.string, { optional: true }),
  proxy_from_environment: schema.attr(schema.bool, { default: false }),
  follow_redirects: schema.attr(schema.bool, { default: true }),
  enable_http2: schema.attr(schema.bool, { default: true }),
  tls_config: schema.block(schema.block({
    ca_pem: schema.attr(schema.string, { optional: true }),
    ca_file: schema.attr(schema.string, { optional: true }),
    cert_pem: schema.attr(schema.string, { optional: true }),
    cert_file: schema.attr(schema.string, { optional: true }),
    key_pem: schema.attr(schema.secret, { optional: true }),
    key_file: schema.attr(schema.string, { optional: true }),
    server_name: schema.attr(schema.string, { optional: true }),
    insecure_skip_verify: schema.attr(schema.bool, { default: false }),
    min_version: schema.attr(schema.string, { optional: true }),
  }), { optional: true }),
});

/** Alloy's service names; those without `args` cannot be configured. */
export function defaultServices(): ServiceDefinition[] {
  return [
    { name: "http", stability: "generally-available", args: httpServiceArgs },
    { name: "livedebugging", stability: "generally-available", args: liveDebuggingServiceArgs },
    { name: "remotecfg", stability: "generally-available", args: remotecfgServiceArgs },
    { name: "cluster", stability: "generally-available" },
    { name: "labelstore", stability: "generally-available" },
    { name: "otel", stability: "generally-available" },
    { name: "ui", stability: "generally-available" },
  ];
}
