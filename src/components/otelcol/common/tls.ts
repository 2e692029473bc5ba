// The otelcol `tls` blocks (client and server side) and turning them into PEM material.

import { readFileSync } from "node:fs";
import * as schema from "../../../syntax/schema/index.ts";
import type { ClientTls, GrpcServerTls } from "../../../telemetry/otlp/index.ts";

const tlsVersion = schema.enumOf("1.0", "1.1", "1.2", "1.3", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3", "");

const common = {
  ca_file: schema.attr(schema.string, { default: "" }),
  ca_pem: schema.attr(schema.string, { default: "" }),
  cert_file: schema.attr(schema.string, { default: "" }),
  cert_pem: schema.attr(schema.string, { default: "" }),
  key_file: schema.attr(schema.string, { default: "" }),
  key_pem: schema.attr(schema.secret, { optional: true }),
  cipher_suites: schema.attr(schema.list(schema.string), { default: [] }),
  curve_preferences: schema.attr(schema.list(schema.string), { default: [] }),
  include_insecure_cipher_suites: schema.attr(schema.bool, { default: false }),
  include_system_ca_certs_pool: schema.attr(schema.bool, { default: false }),
  min_version: schema.attr(tlsVersion, { default: "" }),
  max_version: schema.attr(tlsVersion, { default: "" }),
  reload_interval: schema.attr(schema.duration, { default: "0s" }),
};

const Tpm = schema.block({
  enabled: schema.attr(schema.bool, { default: false }),
  path: schema.attr(schema.string, { default: "" }),
  owner_auth: schema.attr(schema.string, { default: "" }),
  auth: schema.attr(schema.string, { default: "" }),
});

function exclusive(a: { ca_file: string; ca_pem: string; cert_file: string; cert_pem: string; key_file: string; key_pem?: { value: string } | undefined }): string | undefined {
  if (a.ca_file && a.ca_pem) return "at most one of ca_file and ca_pem must be set";
  if (a.cert_file && a.cert_pem) return "at most one of cert_file and cert_pem must be set";
  if (a.key_file && a.key_pem?.value) return "at most one of key_file and key_pem must be set";
  return undefined;
}

export const TlsClient = schema.block({
  ...common,
  insecure: schema.attr(schema.bool, { default: false }),
  insecure_skip_verify: schema.attr(schema.bool, { default: false }),
  server_name: schema.attr(schema.string, { default: "" }),
  tpm: schema.block(Tpm, { optional: true }),
}, { validate: exclusive });

export const TlsServer = schema.block({
  ...common,
  client_ca_file: schema.attr(schema.string, { default: "" }),
  tpm: schema.block(Tpm, { optional: true }),
}, { validate: exclusive });

export type TlsClientArgs = schema.Infer<typeof TlsClient>;
export type TlsServerArgs = schema.Infer<typeof TlsServer>;

function pem(file: string, inline: string | undefined, what: string): string | undefined {
  if (inline) return inline;
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`reading ${what} ${file}: ${(err as Error).message}`);
  }
}

function version(v: string): "TLSv1.2" | "TLSv1.3" | undefined {
  if (v.endsWith("1.3")) return "TLSv1.3";
  if (v.endsWith("1.2")) return "TLSv1.2";
  return undefined;
}

export function clientTls(t: TlsClientArgs): ClientTls {
  const out: ClientTls = {};
  const ca = pem(t.ca_file, t.ca_pem, "CA");
  const cert = pem(t.cert_file, t.cert_pem, "certificate");
  const key = pem(t.key_file, t.key_pem?.value, "key");
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  if (t.server_name) out.serverName = t.server_name;
  if (t.insecure_skip_verify) out.insecureSkipVerify = true;
  const min = version(t.min_version);
  const max = version(t.max_version);
  if (min) out.minVersion = min;
  if (max) out.maxVersion = max;
  return out;
}

/** Server credentials; undefined when no certificate is configured (plain text). */
export function serverTls(t: TlsServerArgs | undefined): GrpcServerTls | undefined {
  if (!t) return undefined;
  const cert = pem(t.cert_file, t.cert_pem, "certificate");
  const key = pem(t.key_file, t.key_pem?.value, "key");
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new Error("tls: both a certificate and a key are needed to serve TLS");
  const out: GrpcServerTls = { cert, key };
  const clientCa = pem(t.client_ca_file, undefined, "client CA");
  if (clientCa) out.clientCa = clientCa;
  const min = version(t.min_version);
  const max = version(t.max_version);
  if (min) out.minVersion = min;
  if (max) out.maxVersion = max;
  return out;
}
