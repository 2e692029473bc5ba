// The UI mounted on the real HTTP server (src/service/http) through mountUI, with its JSON API
// answering from a runtime stand-in that holds the fixture components.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import { launchBrowser, screenshot, type Browser } from "./browser.ts";
import { until } from "./wait.ts";
import { createHttpApp, startHttpServer, uiBase, type HttpServer } from "../../../src/service/http/server.ts";
import { mountUI } from "../../../src/service/ui/index.ts";
import { discardLogger } from "../../../src/runtime/logger.ts";
import type { ComponentInfo, Runtime } from "../../../src/runtime/runtime.ts";
import { listed, MODULE_ID, moduleComponents, peers, rootComponents, rootDataEdges } from "../../fixtures/ui/pipeline.ts";

// A browser on a loaded CI machine can take seconds per page.
setDefaultTimeout(20_000);

const asInfo = (c: object): ComponentInfo => c as ComponentInfo;
const everything = [...rootComponents, ...moduleComponents];

const runtime: Runtime = {
  load: async () => ({ diagnostics: [], applied: true }),
  ready: true,
  components: (moduleID) =>
    moduleID === undefined ? rootComponents.map(listed).map(asInfo) : moduleID === MODULE_ID ? moduleComponents.map(listed).map(asInfo) : undefined,
  component: (id) => {
    const found = everything.find((c) => (c.moduleID ? `${c.moduleID}/${c.localID}` : c.localID) === id);
    return found ? asInfo(found) : undefined;
  },
  unhealthyComponents: () => [],
  componentHandler: () => undefined,
  stop: async () => {},
};

let server: HttpServer;
let browser: Browser;
let page: Page;
let url: string;
const requests: { path: string; status: number }[] = [];

beforeAll(async () => {
  const app = createHttpApp({
    runtime: () => runtime,
    reload: async () => {},
    metrics: [],
    uiPathPrefix: "/alloy/",
    enablePprof: false,
    logger: discardLogger(),
    peers: () => peers.map((p) => ({ ...p, state: p.state as "participant" | "terminating" })),
    ui: mountUI,
  });
  server = startHttpServer(app, "127.0.0.1", 0);
  url = `http://127.0.0.1:${server.port}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on("response", (r) => requests.push({ path: new URL(r.url()).pathname, status: r.status() }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
});

test("the HTTP server's prefix and the UI's agree", () => {
  expect(uiBase("/alloy/")).toBe("/alloy");
});

test("pages load through the real server's API under the prefix", async () => {
  const bare = await fetch(`${url}/alloy`, { redirect: "manual" });
  expect(bare.status).toBe(302);
  expect(bare.headers.get("location")).toBe("/alloy/");

  await page.goto(`${url}/alloy`);
  await page.locator("table.components tbody tr").first().waitFor();
  expect(await page.locator("table.components tbody tr").count()).toBe(rootComponents.length);
  expect(await page.locator('tr[data-id="loki.write.default"] [data-health]').textContent()).toBe("unhealthy");

  await page.goto(`${url}/alloy/component/module.file.shared`);
  await page.locator("section.module ul.links a").first().waitFor();
  await page.click('section.module a:text("prometheus.scrape.node")');
  await until("the module component's page", async () => (await page.locator("h1").textContent()) === `${MODULE_ID}/prometheus.scrape.node`);
  expect(await page.locator('section.arguments tr[data-name="job_name"] td').textContent()).toBe('"integrations/unix"');

  await page.goto(`${url}/alloy/graph`);
  await page.locator("svg.pipeline g.node").first().waitFor();
  const edges = await page.locator("svg.pipeline g.edge").evaluateAll((els) => els.map((e) => [e.getAttribute("data-from"), e.getAttribute("data-to")]));
  expect(edges.sort()).toEqual([...rootDataEdges].sort());
  await screenshot(page, "http-server-graph");

  await page.goto(`${url}/alloy/clustering`);
  await page.locator("tr.self").waitFor();
  expect(await page.locator("tr.self td").first().textContent()).toContain("alloy-0");

  // The first navigation goes to the bare prefix and is redirected.
  for (const r of requests) expect(r.path === "/alloy" || r.path.startsWith("/alloy/")).toBe(true);
  const failed = requests.filter((r) => r.status >= 400 && !r.path.includes("/api/v0/web/graph"));
  expect(failed).toEqual([]);
}, 30_000);
