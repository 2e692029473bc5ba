// Promtail's (weaveworks) server config → Alloy's http/grpc blocks of loki.source.api and friends.

import { Block } from "../builder.ts";
import { Diagnostics, Severity } from "../diagnostics.ts";
import { goDuration, isMap, map, str, type YamlMap } from "../common/yaml_values.ts";

const n = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function tls(b: Block, t: unknown): void {
  const c = map(t);
  if (!str(c.cert_file) && !str(c.cert)) return;
  const tb = b.child("tls");
  tb.opt("cert_pem", str(c.cert), "");
  tb.opt("key_pem", str(c.key), "");
  tb.opt("cert_file", str(c.cert_file), "");
  tb.opt("key_file", str(c.key_file), "");
  tb.opt("client_auth_type", str(c.client_auth_type), "");
  tb.opt("client_ca_file", str(c.client_ca_file), "");
  tb.opt("client_ca", str(c.client_ca), "");
}

/** Appends `http`, `grpc` and `graceful_shutdown_timeout` for a source's embedded server. */
export function appendServer(b: Block, server: unknown): void {
  const s = map(server);
  const h = b.child("http");
  h.opt("listen_address", str(s.http_listen_address), "");
  h.opt("listen_port", n(s.http_listen_port), 0);
  h.opt("conn_limit", n(s.http_listen_conn_limit), 0);
  h.opt("server_read_timeout", goDuration(s.http_server_read_timeout), "0s");
  h.opt("server_write_timeout", goDuration(s.http_server_write_timeout), "0s");
  h.opt("server_idle_timeout", goDuration(s.http_server_idle_timeout), "0s");
  tls(h, s.http_tls_config);
  const g = b.child("grpc");
  g.opt("listen_address", str(s.grpc_listen_address), "");
  g.opt("listen_port", n(s.grpc_listen_port), 0);
  g.opt("conn_limit", n(s.grpc_listen_conn_limit), 0);
  g.opt("max_connection_age", goDuration(s.grpc_server_max_connection_age), "0s");
  g.opt("max_connection_age_grace", goDuration(s.grpc_server_max_connection_age_grace), "0s");
  g.opt("max_connection_idle", goDuration(s.grpc_server_max_connection_idle), "0s");
  g.opt("server_max_recv_msg_size", n(s.grpc_server_max_recv_msg_size), 0);
  g.opt("server_max_send_msg_size", n(s.grpc_server_max_send_msg_size), 0);
  g.opt("server_max_concurrent_streams", n(s.grpc_server_max_concurrent_streams), 0);
  tls(g, s.grpc_tls_config);
  b.attr("graceful_shutdown_timeout", goDuration(s.graceful_shutdown_timeout) ?? "0s");
}

const unsupportedServerKeys: [string, string][] = [
  ["http_listen_network", "http_listen_network"],
  ["grpc_listen_network", "grpc_listen_network"],
  ["tls_cipher_suites", "tls_cipher_suites"],
  ["tls_min_version", "tls_min_version"],
  ["register_instrumentation", "register_instrumentation"],
  ["graceful_shutdown_timeout", "graceful_shutdown_timeout"],
  ["grpc_server_keepalive_time", "grpc_server_keepalive_time"],
  ["grpc_server_keepalive_timeout", "grpc_server_keepalive_timeout"],
  ["grpc_server_min_time_between_pings", "grpc_server_min_time_between_pings"],
  ["grpc_server_ping_without_stream_allowed", "grpc_server_ping_without_stream_allowed"],
  ["log_format", "log_format"],
  ["log_level", "log_level"],
  ["log_source_ips_enabled", "log_source_ips_enabled"],
  ["log_source_ips_header", "log_source_ips_header"],
  ["log_source_ips_regex", "log_source_ips_regex"],
  ["log_request_at_info_level_enabled", "log_request_at_info_level_enabled"],
  ["http_path_prefix", "http_path_prefix"],
];

/** Settings of the embedded server that Alloy's sources cannot honour (set to anything but Go's zero value). */
export function validateServer(server: unknown, diags: Diagnostics): void {
  const s: YamlMap = isMap(server) ? server : {};
  for (const [key, name] of unsupportedServerKeys) {
    const v = s[key];
    if (v === undefined || v === null || v === false || v === "" || v === 0) continue;
    diags.add(Severity.Error, `${name} is not supported in server config`);
  }
}
