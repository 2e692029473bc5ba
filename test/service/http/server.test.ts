import { describe, expect, test } from "bun:test";
import { Registry } from "prom-client";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { createHttpApp, type HttpServiceOptions } from "../../../src/service/http/server.ts";
import { splitComponentPath } from "../../../src/service/http/component_routes.ts";
import { componentInfo, FakeRuntime } from "./fake_runtime.ts";

function appWith(runtime: FakeRuntime | undefined, overrides: Partial<HttpServiceOptions> = {}) {
  const registry = new Registry();
  const app = createHttpApp({
    runtime: () => runtime,
    reload: async () => {},
    metrics: [registry],
    uiPathPrefix: "/",
    enablePprof: true,
    logger: discardLogger(),
    peers: () => [{ name: "node-a", addr: "127.0.0.1:12345", isSelf: true, state: "participant" }],
    ...overrides,
  });
  const get = async (path: string, init?: RequestInit) => {
    const res = await app.fetch(new Request(`http://127.0.0.1:12345${path}`, init));
    return { status: res.status, body: await res.text(), headers: res.headers };
  };
  return { app, get, registry };
}

describe("/-/ready", () => {
  test("is 503 before the first applied load and 200 after", async () => {
    const rt = new FakeRuntime();
    const { get } = appWith(rt);
    expect(await get("/-/ready")).toMatchObject({ status: 503, body: "Alloy is not ready.\n" });
    await rt.load([]);
    expect(await get("/-/ready")).toMatchObject({ status: 200, body: "Alloy is ready.\n" });
  });

  test("is 503 while there is no runtime yet", async () => {
    expect(await appWith(undefined).get("/-/ready")).toMatchObject({ status: 503, body: "Alloy is not ready.\n" });
  });
});

describe("/-/healthy", () => {
  test("lists unhealthy root components by component name with 500", async () => {
    const rt = new FakeRuntime()
      .add(componentInfo("local.file.a", "local.file", "unhealthy"))
      .add(componentInfo("prometheus.scrape.b", "prometheus.scrape", "unhealthy"))
      .add(componentInfo("discovery.relabel.c", "discovery.relabel"));
    expect(await appWith(rt).get("/-/healthy")).toMatchObject({ status: 500, body: "unhealthy components: local.file, prometheus.scrape\n" });
  });

  test("is 200 when every component is healthy", async () => {
    const rt = new FakeRuntime().add(componentInfo("local.file.a", "local.file"));
    expect(await appWith(rt).get("/-/healthy")).toMatchObject({ status: 200, body: "All Alloy components are healthy.\n" });
  });
});

describe("/-/reload", () => {
  test("answers GET and POST with 200 `config reloaded` and 400 with the error text", async () => {
    let fail: string | undefined;
    const { get } = appWith(new FakeRuntime(), {
      reload: async () => {
        if (fail) throw new Error(fail);
      },
    });
    expect(await get("/-/reload")).toMatchObject({ status: 200, body: "config reloaded\n" });
    expect(await get("/-/reload", { method: "POST" })).toMatchObject({ status: 200, body: "config reloaded\n" });
    fail = "error during the initial load: main.alloy:1:1: boom";
    expect(await get("/-/reload")).toMatchObject({ status: 400, body: "error during the initial load: main.alloy:1:1: boom\n" });
    expect((await get("/-/reload", { method: "PUT" })).status).toBe(405);
  });
});

describe("/-/support", () => {
  test("is 403 with Alloy's text when disabled, and 501 when the server has nothing to bundle", async () => {
    expect(await appWith(new FakeRuntime(), { disableSupportBundle: true }).get("/-/support")).toMatchObject({
      status: 403,
      body: "support bundle generation is disabled; it can be re-enabled by removing the --server.http.disable-support-bundle flag",
    });
    expect((await appWith(new FakeRuntime()).get("/-/support")).status).toBe(501);
  });
});

describe("cluster transport", () => {
  test("answers 404 `clustering is disabled`", async () => {
    expect(await appWith(new FakeRuntime()).get("/api/v1/ckit/transport/message", { method: "POST" })).toMatchObject({ status: 404, body: "clustering is disabled\n" });
  });
});

describe("/metrics", () => {
  test("serves the registries in Prometheus text format", async () => {
    const { get, registry } = appWith(new FakeRuntime());
    registry.setDefaultLabels({});
    new (await import("prom-client")).Gauge({ name: "test_gauge", help: "A test gauge.", registers: [registry] }).set(3);
    const r = await get("/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(r.body).toContain("# TYPE test_gauge gauge\ntest_gauge 3");
    const gz = await get("/metrics", { headers: { "Accept-Encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
  });
});

describe("component handlers", () => {
  const rt = new FakeRuntime()
    .add(componentInfo("prometheus.exporter.self.default", "prometheus.exporter.self"), (req, path) => new Response(`self ${req.method} ${path}`))
    .add(componentInfo("mod.a/prometheus.exporter.unix.x", "prometheus.exporter.unix"), (_req, path) => new Response(`module ${path}`))
    .add(componentInfo("local.file.nohandler", "local.file"));
  const { get } = appWith(rt);

  test("routes to the longest matching component ID and passes the rest of the path", async () => {
    expect(await get("/api/v0/component/prometheus.exporter.self.default/metrics")).toMatchObject({ status: 200, body: "self GET /metrics" });
    expect(await get("/api/v0/component/mod.a/prometheus.exporter.unix.x/metrics/")).toMatchObject({ status: 200, body: "module /metrics/" });
    expect(await get("/api/v0/component/prometheus.exporter.self.default/")).toMatchObject({ status: 200, body: "self GET /" });
  });

  test("an unknown component or empty path is 400, a component without handler 404", async () => {
    expect(await get("/api/v0/component/nope.nope/metrics")).toMatchObject({
      status: 400,
      body: `failed to parse URL path "/api/v0/component/nope.nope/metrics": invalid path\n`,
    });
    expect((await get("/api/v0/component/")).status).toBe(400);
    expect(await get("/api/v0/component/local.file.nohandler/x")).toMatchObject({ status: 404, body: "" });
  });

  test("a handler that throws answers 500 with the error and the server keeps going", async () => {
    const broken = new FakeRuntime().add(componentInfo("bad.handler", "bad"), () => {
      throw new Error("boom");
    });
    const { get } = appWith(broken);
    expect(await get("/api/v0/component/bad.handler/x")).toMatchObject({ status: 500, body: "boom\n" });
    expect((await get("/-/healthy")).status).toBe(200);
  });

  test("without a runtime the host is missing: 503", async () => {
    expect((await appWith(undefined).get("/api/v0/component/a/b")).status).toBe(503);
  });

  test("splitComponentPath keeps leading and trailing slashes as Alloy does", () => {
    const has = (id: string) => ["a", "m/b"].includes(id);
    expect(splitComponentPath("a", has)).toEqual({ id: "a", path: "" });
    expect(splitComponentPath("a/", has)).toEqual({ id: "a", path: "/" });
    expect(splitComponentPath("/a/x/y", has)).toEqual({ id: "a", path: "/x/y" });
    expect(splitComponentPath("m/b/metrics", has)).toEqual({ id: "m/b", path: "/metrics" });
    expect(splitComponentPath("zz/y", has)).toBeUndefined();
  });
});

describe("web API", () => {
  const rt = new FakeRuntime()
    .add(componentInfo("local.file.a", "local.file"))
    .add(componentInfo("module.file.m/local.file.inner", "local.file"));

  for (const prefix of ["/", "/alloy", "/alloy/"]) {
    const base = prefix === "/" ? "" : "/alloy";
    test(`serves components, one component, module components and peers under prefix ${prefix}`, async () => {
      const { get } = appWith(rt, { uiPathPrefix: prefix });
      const list = await get(`${base}/api/v0/web/components`);
      expect(list.status).toBe(200);
      expect(JSON.parse(list.body).map((c: { localID: string }) => c.localID)).toEqual(["local.file.a"]);
      const one = await get(`${base}/api/v0/web/components/module.file.m/local.file.inner`);
      expect(JSON.parse(one.body)).toMatchObject({ localID: "local.file.inner", moduleID: "module.file.m", name: "local.file" });
      expect(await get(`${base}/api/v0/web/components/local.file.missing`)).toMatchObject({ status: 404, body: "404 page not found\n" });
      const mod = await get(`${base}/api/v0/web/modules/module.file.m/components`);
      expect(JSON.parse(mod.body).map((c: { localID: string }) => c.localID)).toEqual(["local.file.inner"]);
      expect(await get(`${base}/api/v0/web/modules/module.file.zzz/components`)).toMatchObject({ status: 500, body: "module not found\n" });
      expect(JSON.parse((await get(`${base}/api/v0/web/peers`)).body)).toEqual([
        { name: "node-a", addr: "127.0.0.1:12345", isSelf: true, state: "participant" },
      ]);
    });
  }

  test("a UI prefix moves the UI and web API but not /metrics, /-/ or component routes", async () => {
    const { get } = appWith(rt, { uiPathPrefix: "/alloy" });
    expect((await get("/api/v0/web/components")).status).toBe(404);
    expect((await get("/alloy/api/v0/web/components")).status).toBe(200);
    expect((await get("/metrics")).status).toBe(200);
    // Under the prefix, unknown paths are the UI's (SPA fallback), never the metrics.
    expect((await get("/alloy/metrics")).body).not.toContain("# TYPE");
    expect((await get("/-/healthy")).status).toBe(200);
    const redirect = await get("/alloy");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/alloy/");
    const page = await get("/alloy/");
    expect(page.status).toBe(200);
    expect(page.body).toContain('<base href="/alloy/">');
  });
});

describe("/debug/pprof", () => {
  test("serves a V8 heap snapshot and the command line; Go-only profiles are 501", async () => {
    const { get } = appWith(new FakeRuntime());
    const heap = await get("/debug/pprof/heap");
    expect(heap.status).toBe(200);
    expect(JSON.parse(heap.body)).toHaveProperty("snapshot");
    expect((await get("/debug/pprof/cmdline")).body).toBe(process.argv.join("\x00"));
    const goroutine = await get("/debug/pprof/goroutine");
    expect(goroutine.status).toBe(501);
    expect(goroutine.body).toContain("not available");
    expect((await get("/debug/pprof/profile?seconds=abc")).status).toBe(400);
    // A snapshot of the whole test process's heap is slow on a busy machine.
  }, 60_000);

  test("a CPU profile is a gzipped pprof profile", async () => {
    const { app } = appWith(new FakeRuntime());
    const res = await app.fetch(new Request("http://127.0.0.1:12345/debug/pprof/profile?seconds=1"));
    expect(res.status).toBe(200);
    const body = new Uint8Array(await res.arrayBuffer());
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
    const text = new TextDecoder().decode(Bun.gunzipSync(body));
    expect(text).toContain("samples");
    expect(text).toContain("nanoseconds");
  }, 30_000);

  test("are absent when --server.http.enable-pprof=false", async () => {
    const r = await appWith(new FakeRuntime(), { enablePprof: false }).get("/debug/pprof/heap");
    // With the UI at `/`, the path falls through to the UI page instead.
    expect(r.body).not.toContain('"snapshot"');
    expect(r.headers.get("content-type")).toContain("text/html");
  });
});
