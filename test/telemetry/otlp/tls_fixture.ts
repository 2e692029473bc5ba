// A test CA and a server certificate for localhost/127.0.0.1 (valid until 2126), kept in
// testdata/ so TLS tests need no openssl at run time. They secure nothing real.

import { readFileSync } from "node:fs";

export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
}

export function makeTestCerts(): TestCerts {
  const read = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");
  return { ca: read("ca.crt"), cert: read("server.crt"), key: read("server.key") };
}
