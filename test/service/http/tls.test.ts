import { describe, expect, test } from "bun:test";
import { constants } from "node:crypto";
import { tlsOptions } from "../../../src/service/http/tls.ts";
import { Secret } from "../../../src/syntax/value.ts";

const pem = { cert_pem: "-----BEGIN CERTIFICATE-----", key_pem: new Secret("-----BEGIN PRIVATE KEY-----") };

describe("http tls block", () => {
  const errors: Array<[Record<string, unknown>, string]> = [
    [{ ...pem, cert_file: "/c" }, "cannot specify both cert_pem and cert_file"],
    [{ ...pem, key_file: "/k" }, "cannot specify both key_pem and key_file"],
    [{ ...pem, client_ca_pem: "x", client_ca_file: "/ca" }, "cannot specify both client_ca_pem and client_ca_file"],
    [{ key_pem: "k" }, "must specify either cert_pem or cert_file"],
    [{ cert_pem: "c" }, "must specify either key_pem or key_file"],
    [{ ...pem, client_ca_pem: "x" }, "cannot specify client_ca_pem or client_ca_file when client_auth_type is NoClientCert"],
    [{ ...pem, client_auth_type: "Sometimes" }, `unknown client auth type "Sometimes"`],
    [{ ...pem, min_version: "TLS14" }, `unknown TLS version "TLS14"`],
    [{ ...pem, min_version: "TLS13", max_version: "TLS12" }, "min_version TLS13 is above max_version TLS12"],
    [{ ...pem, cipher_suites: ["TLS_AES_128_GCM_SHA256"] }, "cipher_suites is not supported by this build"],
    [{ cert_file: "/nonexistent/cert.pem", key_pem: "k" }, "failed to read cert_file: "],
  ];
  for (const [block, message] of errors) {
    test(`rejects ${JSON.stringify(block)}`, () => {
      expect(() => tlsOptions(block)).toThrow(message);
    });
  }

  test("maps client auth and versions onto the TLS library's options", () => {
    const o = tlsOptions({ ...pem, client_ca_pem: "ca", client_auth_type: "RequireAndVerifyClientCert", min_version: "TLS12" });
    expect(o).toMatchObject({ cert: pem.cert_pem, key: pem.key_pem.value, ca: "ca", requestCert: true, rejectUnauthorized: true });
    expect(o.secureOptions! & constants.SSL_OP_NO_TLSv1).toBeTruthy();
    expect(o.secureOptions! & constants.SSL_OP_NO_TLSv1_1).toBeTruthy();
    expect(o.secureOptions! & constants.SSL_OP_NO_TLSv1_2).toBeFalsy();
    expect(tlsOptions({ ...pem, client_auth_type: "RequestClientCert" })).toMatchObject({ requestCert: true, rejectUnauthorized: false });
  });
});
