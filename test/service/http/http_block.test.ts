import { describe, expect, test } from "bun:test";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { HttpBlock } from "../../../src/service/http/http_block.ts";
import { createHttpApp } from "../../../src/service/http/server.ts";
import { Secret } from "../../../src/syntax/value.ts";
import { FakeRuntime } from "./fake_runtime.ts";

const basic = (u: string, p: string) => ({ Authorization: `Basic ${btoa(`${u}:${p}`)}` });

function app(auth: HttpBlock) {
  const a = createHttpApp({
    runtime: () => new FakeRuntime(),
    reload: async () => {},
    metrics: [],
    uiPathPrefix: "/",
    enablePprof: false,
    logger: discardLogger(),
    peers: () => [],
    auth,
  });
  return async (path: string, headers: Record<string, string> = {}) => a.fetch(new Request(`http://x${path}`, { headers }));
}

describe("http block authentication", () => {
  test("without an auth block every request passes", async () => {
    const auth = new HttpBlock();
    auth.update({});
    expect((await app(auth)("/-/healthy")).status).toBe(200);
  });

  test("basic auth without a filter guards every path with Alloy's 401", async () => {
    const auth = new HttpBlock();
    auth.update({ auth: { basic: { username: "admin", password: new Secret("s3cret") } } });
    const get = app(auth);
    const denied = await get("/-/healthy");
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toBe('Basic realm="Restricted"');
    expect((await get("/metrics", basic("admin", "wrong"))).status).toBe(401);
    expect((await get("/-/healthy", basic("admin", "s3cret"))).status).toBe(200);
  });

  test("a filter authenticates only matching paths, or only the others when authenticate_matching_paths = false", async () => {
    const only = new HttpBlock();
    only.update({ auth: { basic: { username: "u", password: "p" }, filter: { paths: ["/metrics"], authenticate_matching_paths: true } } });
    expect((await app(only)("/metrics")).status).toBe(401);
    expect((await app(only)("/-/healthy")).status).toBe(200);

    const except = new HttpBlock();
    except.update({ auth: { basic: { username: "u", password: "p" }, filter: { paths: ["/-/"], authenticate_matching_paths: false } } });
    expect((await app(except)("/-/ready")).status).not.toBe(401);
    expect((await app(except)("/metrics")).status).toBe(401);
  });

  test("removing the block removes the authentication", async () => {
    const auth = new HttpBlock();
    auth.update({ auth: { basic: { username: "u", password: "p" } } });
    auth.update(undefined);
    expect((await app(auth)("/-/healthy")).status).toBe(200);
  });

  test("a tls block is checked and handed to the listener only when it changes", async () => {
    const applied: unknown[] = [];
    const block = new HttpBlock((tls) => void applied.push(tls));
    await expect(block.update({ tls: { cert_pem: "c" } })).rejects.toThrow("must specify either key_pem or key_file");
    await block.update({ tls: { cert_pem: "c", key_pem: "k" } });
    await block.update({ tls: { cert_pem: "c", key_pem: "k" } });
    await block.update({});
    expect(applied).toHaveLength(2);
    expect(applied[0]).toMatchObject({ cert: "c", key: "k" });
    expect(applied[1]).toBeUndefined();
  });
});
