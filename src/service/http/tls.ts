// The `http { tls { ... } }` block turned into Bun's TLS options, with the
// checks and error texts of Alloy's internal/service/http/tls.go.

import { constants } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TLSOptions } from "bun";
import { Secret } from "../../syntax/value.ts";

export interface TLSBlock {
  cert_pem?: string;
  cert_file?: string;
  key_pem?: Secret | string;
  key_file?: string;
  client_ca_pem?: string;
  client_ca_file?: string;
  client_auth_type?: string;
  cipher_suites?: string[];
  curve_preferences?: string[];
  min_version?: string;
  max_version?: string;
  windows_certificate_filter?: unknown;
}

const clientAuthTypes = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"];
const versions = ["TLS10", "TLS11", "TLS12", "TLS13"];
// OpenSSL options that switch a protocol version off, indexed like `versions`.
const noVersion = [constants.SSL_OP_NO_TLSv1, constants.SSL_OP_NO_TLSv1_1, constants.SSL_OP_NO_TLSv1_2, constants.SSL_OP_NO_TLSv1_3];

const text = (v: Secret | string | undefined): string => (v instanceof Secret ? v.value : (v ?? ""));

/** Checks the block and reads its files; throws an Error whose message the user sees. */
export function tlsOptions(block: TLSBlock): TLSOptions {
  if (block.windows_certificate_filter) throw new Error("windows_certificate_filter is only supported on Windows and not by this build");
  const cert = block.cert_pem ?? "";
  const key = text(block.key_pem);
  const ca = block.client_ca_pem ?? "";
  if (ca && block.client_ca_file) throw new Error("cannot specify both client_ca_pem and client_ca_file");
  if (cert && block.cert_file) throw new Error("cannot specify both cert_pem and cert_file");
  if (key && block.key_file) throw new Error("cannot specify both key_pem and key_file");
  if (!cert && !block.cert_file) throw new Error("must specify either cert_pem or cert_file");
  if (!key && !block.key_file) throw new Error("must specify either key_pem or key_file");
  const clientAuth = block.client_auth_type ?? "NoClientCert";
  if (!clientAuthTypes.includes(clientAuth)) throw new Error(`unknown client auth type ${JSON.stringify(clientAuth)}; expected one of ${clientAuthTypes.join(", ")}`);
  const usingClientCA = Boolean(ca || block.client_ca_file);
  if (usingClientCA && clientAuth === "NoClientCert") {
    throw new Error("cannot specify client_ca_pem or client_ca_file when client_auth_type is NoClientCert");
  }
  if (block.cipher_suites?.length) throw new Error("cipher_suites is not supported by this build; remove it to use the TLS library's defaults");
  if (block.curve_preferences?.length) throw new Error("curve_preferences is not supported by this build; remove it to use the TLS library's defaults");

  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new Error(`failed to read ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const opts: TLSOptions = {
    cert: cert || read(block.cert_file!, "cert_file"),
    key: key || read(block.key_file!, "key_file"),
    ALPNProtocols: "http/1.1",
  };
  if (usingClientCA) opts.ca = ca || read(block.client_ca_file!, "client_ca_file");
  if (clientAuth !== "NoClientCert") {
    opts.requestCert = true;
    // Only these two verify the client's certificate against the CA; the others accept any.
    opts.rejectUnauthorized = clientAuth === "RequireAndVerifyClientCert";
  }
  opts.secureOptions = versionOptions(block.min_version, block.max_version);
  return opts;
}

function versionOptions(min: string | undefined, max: string | undefined): number {
  const index = (v: string | undefined, fallback: number): number => {
    if (v === undefined || v === "") return fallback;
    const i = versions.indexOf(v);
    if (i < 0) throw new Error(`unknown TLS version ${JSON.stringify(v)}; expected one of ${versions.join(", ")}`);
    return i;
  };
  const lo = index(min, 0);
  const hi = index(max, versions.length - 1);
  if (lo > hi) throw new Error(`min_version ${min} is above max_version ${max}`);
  let bits = 0;
  noVersion.forEach((bit, i) => {
    if (i < lo || i > hi) bits |= bit;
  });
  return bits;
}
