// Alloy's server `http` block (listen_address, listen_port, timeouts, conn_limit)
// and its nested `tls` block, as used by prometheus.receive_http,
// pyroscope.receive_http and loki.source.api.

import * as schema from "../../../syntax/schema/index.ts";

export const ServerTLS = schema.block({
  cert_pem: schema.attr(schema.string, { default: "" }),
  cert_file: schema.attr(schema.string, { default: "" }),
  key_pem: schema.attr(schema.secret, { optional: true }),
  key_file: schema.attr(schema.string, { default: "" }),
  client_auth_type: schema.attr(
    schema.enumOf("NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"),
    { default: "NoClientCert" },
  ),
  client_ca_file: schema.attr(schema.string, { default: "" }),
  client_ca_pem: schema.attr(schema.string, { default: "" }),
}, {
  validate: (t) => {
    if (t.cert_pem !== "" && t.cert_file !== "") return "at most one of cert_pem and cert_file must be provided";
    if (t.key_pem !== undefined && t.key_file !== "") return "at most one of key_pem and key_file must be provided";
    if (t.cert_pem === "" && t.cert_file === "") return "one of cert_pem or cert_file must be provided";
    if (t.key_pem === undefined && t.key_file === "") return "one of key_pem or key_file must be provided";
    return undefined;
  },
});

export const ServerHTTP = schema.block({
  listen_address: schema.attr(schema.string, { default: "" }),
  listen_port: schema.attr(schema.int, { default: 8080 }),
  conn_limit: schema.attr(schema.int, { default: 0 }),
  server_read_timeout: schema.attr(schema.duration, { default: "30s" }),
  server_write_timeout: schema.attr(schema.duration, { default: "30s" }),
  server_idle_timeout: schema.attr(schema.duration, { default: "120s" }),
  tls: schema.block(ServerTLS, { optional: true }),
}, {
  validate: (h) => (h.listen_port < 0 || h.listen_port > 65535 ? `listen_port ${h.listen_port} is out of range 0-65535` : undefined),
});

export type ServerHTTPArgs = schema.Infer<typeof ServerHTTP>;
