import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { publicURLOf, uiRoutes } from "../../../src/service/ui/index.ts";
import { uiFiles } from "../../../src/service/ui/assets.ts";
import { indexWithBase } from "../../../src/service/ui/static-files.ts";

const get = (app: Hono, path: string, headers: Record<string, string> = {}): Promise<Response> =>
  Promise.resolve(app.request(`http://localhost${path}`, { headers }));

const entryScript = (html: string): string => {
  const m = /<script[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(html);
  if (!m?.[1]) throw new Error(`no module script in index.html:\n${html}`);
  return m[1];
};

describe("the embedded bundle", () => {
  const index = uiFiles["index.html"]!.body;

  test("index.html refers to its assets by relative, content-hashed names that exist", () => {
    const refs = [...index.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => !r.startsWith("data:"));
    expect(refs.length).toBeGreaterThanOrEqual(3); // base, stylesheet, script
    for (const ref of refs.filter((r) => r !== "/")) {
      expect(ref).toMatch(/^\.\/assets\/[\w.-]+-[a-z0-9]{8}\.(js|css)$/);
      expect(uiFiles[ref.slice(2)]).toBeDefined();
    }
  });

  test("dagre is left out of the first page and loaded with the graph page", () => {
    const entry = uiFiles[entryScript(index)]!.body;
    // "network-simplex" is dagre's default ranker name, present only in dagre's code.
    expect(entry).not.toContain("network-simplex");
    const lazy = Object.entries(uiFiles).filter(([name, f]) => name !== entryScript(index) && f.body.includes("network-simplex"));
    expect(lazy).toHaveLength(1);
    expect(entry).toContain(`./${lazy[0]![0].slice("assets/".length)}`);
  });

  test("the first page's JavaScript stays within 150 KB gzipped", () => {
    const firstPage = [entryScript(index)];
    const gzipped = firstPage.reduce((n, name) => n + Bun.gzipSync(uiFiles[name]!.body).length, 0);
    expect(gzipped).toBeLessThan(150 * 1024);
  });

  test("Lit's production build is bundled, not its dev mode", () => {
    for (const f of Object.values(uiFiles)) expect(f.body).not.toContain("Lit is in dev mode");
  });
});

describe("uiRoutes", () => {
  const app = new Hono();
  app.route("/", uiRoutes({ prefix: "/alloy/" }));
  const rootApp = new Hono();
  rootApp.route("/", uiRoutes({ prefix: "/" }));

  test("the bare prefix redirects to the prefix with a slash, keeping the query", async () => {
    const res = await get(app, "/alloy?x=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/alloy/?x=1");
  });

  test("index.html gets <base href> set to the prefix and is never cached", async () => {
    for (const [a, path, base] of [
      [app, "/alloy/", "/alloy/"],
      [rootApp, "/", "/"],
    ] as const) {
      const res = await get(a, path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toStartWith("text/html");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      const html = await res.text();
      expect(html).toContain(`<base href="${base}">`);
      expect(html.match(/<base /g)).toHaveLength(1);
    }
  });

  test("unknown paths under the prefix get index.html (SPA fallback)", async () => {
    for (const path of ["/alloy/component/prometheus.scrape.default", "/alloy/graph/module.file.a", "/alloy/anything"]) {
      const res = await get(app, path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<base href="/alloy/">');
    }
    expect((await get(rootApp, "/debug/loki.process.x")).status).toBe(200);
  });

  test("paths outside the prefix, API paths and unknown assets are left to other routes", async () => {
    for (const path of ["/", "/metrics", "/alloyx/", "/alloy/api/v0/web/components", "/alloy/api", "/alloy/assets/index-00000000.js"]) {
      expect((await get(app, path)).status).toBe(404);
    }
    expect((await get(rootApp, "/api/v0/web/peers")).status).toBe(404);
  });

  test("API routes mounted before or after the UI still answer", async () => {
    for (const uiFirst of [true, false]) {
      const server = new Hono();
      const api = (h: Hono) => h.get("/alloy/api/v0/web/peers", (c) => c.json([]));
      if (!uiFirst) api(server);
      server.route("/", uiRoutes({ prefix: "/alloy" }));
      if (uiFirst) api(server);
      const res = await get(server, "/alloy/api/v0/web/peers");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
      expect((await get(server, "/alloy/")).status).toBe(200);
    }
  });

  test("assets are served with their type, a year of caching, and gzip when accepted", async () => {
    const index = await (await get(app, "/alloy/")).text();
    const script = entryScript(index);
    const plain = await get(app, `/alloy/${script}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toStartWith("text/javascript");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("content-encoding")).toBeNull();
    const body = await plain.text();
    expect(body).toBe(uiFiles[script]!.body);

    const gz = await get(app, `/alloy/${script}`, { "accept-encoding": "gzip, deflate, br" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("vary")).toBe("Accept-Encoding");
    const bytes = new Uint8Array(await gz.arrayBuffer());
    expect(bytes.length).toBeLessThan(body.length);
    expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(body);
  });

  test("a matching If-None-Match gets 304", async () => {
    const first = await get(app, "/alloy/");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(app, "/alloy/graph", { "if-none-match": etag });
    expect(again.status).toBe(304);
  });

  test("HEAD is answered like GET without a body", async () => {
    const res = await app.request("http://localhost/alloy/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});

test("publicURLOf normalises the prefix flag like Alloy's PublicURL", () => {
  expect(publicURLOf("/")).toBe("");
  expect(publicURLOf("")).toBe("");
  expect(publicURLOf("/alloy")).toBe("/alloy");
  expect(publicURLOf("/alloy/")).toBe("/alloy");
  expect(publicURLOf("alloy/")).toBe("/alloy");
  expect(publicURLOf("/a/b//")).toBe("/a/b");
});

test("indexWithBase escapes the prefix and adds a base when the page has none", () => {
  expect(indexWithBase('<head><base href="/" /></head>', '/a"b')).toBe('<head><base href="/a&quot;b/"></head>');
  expect(indexWithBase("<html><head><title>x</title></head>", "/p")).toBe('<html><head><base href="/p/"><title>x</title></head>');
});
