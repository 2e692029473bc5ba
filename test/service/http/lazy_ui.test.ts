import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { lazyUI } from "../../../src/service/http/lazy_ui.ts";
import { createHttpApp } from "../../../src/service/http/server.ts";
import { FakeRuntime } from "./fake_runtime.ts";

describe("lazily mounted UI", () => {
  test("is built on the first UI request only, and its 404s fall through to the server", async () => {
    const loads: string[] = [];
    const ui = lazyUI(async (prefix) => {
      loads.push(prefix);
      const app = new Hono();
      app.get("/alloy/", (c) => c.html("<p>ui</p>"));
      return app;
    });
    const app = createHttpApp({
      runtime: () => new FakeRuntime(),
      reload: async () => {},
      metrics: [],
      uiPathPrefix: "/alloy",
      enablePprof: false,
      logger: discardLogger(),
      peers: () => [],
      ui,
    });
    const get = (p: string) => app.fetch(new Request(`http://x${p}`));
    expect((await get("/-/healthy")).status).toBe(200);
    expect(loads).toEqual([]);
    const page = await get("/alloy/");
    expect(await page.text()).toBe("<p>ui</p>");
    expect((await get("/alloy/api/v0/web/components")).status).toBe(200);
    const missing = await get("/alloy/nothing-here");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("404 page not found\n");
    expect(loads).toEqual(["/alloy"]);
  });
});
