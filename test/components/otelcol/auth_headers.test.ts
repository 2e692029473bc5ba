import { expect, test } from "bun:test";
import { Secret } from "../../../src/syntax/value.ts";
import { headersHandler } from "../../../src/components/otelcol/auth/headers.ts";
import { basicHandler, parseHtpasswd, verifyHtpasswd } from "../../../src/components/otelcol/auth/basic.ts";
import { bearerHandler } from "../../../src/components/otelcol/auth/bearer.ts";

const dm = { disable_high_cardinality_metrics: true, level: "detailed" as const };

test("otelcol.auth.headers: insert adds missing, update replaces present, upsert both; from_context reads client metadata", () => {
  const h = headersHandler("otelcol.auth.headers.h", {
    header: [
      { key: "X-Static", value: { value: "v1", isSecret: false }, action: "insert" },
      { key: "X-Existing", value: { value: "new", isSecret: false }, action: "insert" },
      { key: "X-Existing-2", value: { value: "replaced", isSecret: true }, action: "update" },
      { key: "X-Missing", value: { value: "nope", isSecret: false }, action: "update" },
      { key: "X-Tenant", from_context: "x-tenant", action: "upsert" },
    ],
    debug_metrics: dm,
  });
  const metadata = new Map([["x-tenant", ["acme"]]]);
  expect(h.client!(metadata, { "X-Existing": "old", "x-existing-2": "old" })).toEqual({ "X-Static": "v1", "X-Existing-2": "replaced", "X-Tenant": "acme" });
  expect(h.server).toBeUndefined();
});

test("otelcol.auth.basic: client header, server checks the pair and htpasswd entries", async () => {
  const h = basicHandler("otelcol.auth.basic.b", {
    username: "alice",
    password: new Secret("pw"),
    htpasswd: { file: "", inline: `bob:${await Bun.password.hash("bpw", "bcrypt")}\ncarol:{SHA}${Buffer.from(new Bun.CryptoHasher("sha1").update("cpw").digest()).toString("base64")}` },
    debug_metrics: dm,
  });
  expect(h.client!(undefined, {})).toEqual({ Authorization: `Basic ${btoa("alice:pw")}` });
  const check = (user: string, pw: string) => h.server!(new Map([["authorization", [`Basic ${btoa(`${user}:${pw}`)}`]]]));
  await check("alice", "pw");
  await check("bob", "bpw");
  await check("carol", "cpw");
  await expect(check("alice", "wrong")).rejects.toThrow();
  await expect(check("bob", "pw")).rejects.toThrow();
  await expect(h.server!(new Map())).rejects.toThrow("missing");
  expect(parseHtpasswd("# c\nu:h\n\n").get("u")).toBe("h");
  expect(verifyHtpasswd("x", "x")).toBe(true);
});

test("otelcol.auth.basic: client_auth credentials take precedence for the client", () => {
  const h = basicHandler("b", {
    username: "",
    password: new Secret(""),
    client_auth: { username: "svc", password: new Secret("tok"), username_file: "", password_file: "" },
    debug_metrics: dm,
  });
  expect(h.client!(undefined, {})).toEqual({ Authorization: `Basic ${btoa("svc:tok")}` });
});

test("otelcol.auth.bearer: custom header and scheme, empty scheme sends the bare token", async () => {
  const h = bearerHandler("t", { token: new Secret("abc"), scheme: "Token", header: "X-Auth", debug_metrics: dm });
  expect(h.client!(undefined, {})).toEqual({ "X-Auth": "Token abc" });
  await h.server!(new Map([["x-auth", ["Token abc"]]]));
  await expect(h.server!(new Map([["x-auth", ["Token abd"]]]))).rejects.toThrow();
  const bare = bearerHandler("t", { token: new Secret("abc"), scheme: "", header: "Authorization", debug_metrics: dm });
  expect(bare.client!(undefined, {})).toEqual({ Authorization: "abc" });
});
