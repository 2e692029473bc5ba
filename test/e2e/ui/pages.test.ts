// The debug UI in headless Chromium against a stand-in server that mounts the real UI routes,
// under a prefix and at the root. Screenshots go to test-artifacts/ui/.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import { launchBrowser, screenshot, type Browser } from "./browser.ts";
import { until } from "./wait.ts";
import { startFakeAlloy, type FakeAlloy } from "../../fixtures/ui/fake-alloy.ts";
import { MODULE_ID, moduleComponents, rootComponents, rootDataEdges } from "../../fixtures/ui/pipeline.ts";

// A browser on a loaded CI machine can take seconds per page.
setDefaultTimeout(20_000);

const texts = (page: Page, selector: string): Promise<string[]> =>
  page.locator(selector).evaluateAll((els) => els.map((e) => (e.textContent ?? "").trim()));

for (const prefix of ["/alloy/", "/"]) {
  const base = prefix.replace(/\/$/, ""); // "" at the root
  const tag = base ? "prefixed" : "root";

  describe(`UI served at ${prefix}`, () => {
    let alloy: FakeAlloy;
    let browser: Browser;
    let page: Page;
    const responses: { url: string; status: number }[] = [];
    const pageErrors: string[] = [];
    const openStreams = (path: string): number => [...alloy.streams].filter((s) => s.path === `${base}${path}`).length;
    const pathname = (): string => new URL(page.url()).pathname;

    beforeAll(async () => {
      alloy = startFakeAlloy({ prefix, components: rootComponents, modules: { [MODULE_ID]: moduleComponents } });
      browser = await launchBrowser();
      await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: alloy.url });
      page = await browser.newPage();
      page.on("response", (r) => responses.push({ url: new URL(r.url()).pathname + new URL(r.url()).search, status: r.status() }));
      page.on("pageerror", (e) => pageErrors.push(String(e)));
    });

    afterAll(async () => {
      await browser?.close();
      await alloy?.stop();
    });

    test("the component list shows every component with its health, filters and sorts", async () => {
      await page.goto(`${alloy.url}${base}/`);
      await page.locator("table.components tbody tr").first().waitFor();
      expect(await page.locator("table.components tbody tr").count()).toBe(rootComponents.length);
      for (const c of rootComponents) {
        expect(await page.locator(`tr[data-id="${c.localID}"] [data-health]`).textContent()).toBe(c.health.state);
      }
      await screenshot(page, `${tag}-components`);

      await page.fill("input.filter", "loki");
      expect(await texts(page, "table.components td.id")).toEqual(["loki.process.parse", "loki.source.file.logs", "loki.write.default"]);
      await page.fill("input.filter", "");

      await page.click('button[data-sort="health"]');
      expect((await texts(page, "table.components td.id"))[0]).toBe("loki.write.default");
      await page.click('button[data-sort="id"]');
      await page.click('button[data-sort="id"]');
      expect((await texts(page, "table.components td.id"))[0]).toBe("prometheus.scrape.pods");
    });

    test("View opens the component page without reloading the app", async () => {
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      await page.click('tr[data-id="prometheus.remote_write.default"] a.view');
      await page.locator("section.arguments").waitFor();
      expect(pathname()).toBe(`${base}/component/prometheus.remote_write.default`);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
      await page.goBack();
      await page.locator("table.components tbody tr").first().waitFor();
      expect(pathname()).toBe(`${base}/`);
      await page.goForward();
      await page.locator("section.arguments").waitFor();
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    });

    test("the detail page shows health, arguments, exports, secrets, docs and neighbours", async () => {
      await page.goto(`${alloy.url}${base}/component/prometheus.remote_write.default`);
      await page.locator("section.arguments").waitFor();
      expect(await page.locator("h1").textContent()).toBe("prometheus.remote_write.default");
      expect(await page.locator(".health-detail [data-health]").textContent()).toBe("healthy");
      expect(await page.locator(".health-message").textContent()).toBe("started component");
      const args = page.locator("section.arguments");
      expect(await args.locator('tr[data-name="external_labels"] td').textContent()).toContain('cluster = "prod-eu-1"');
      const auth = args.locator('section[data-name="endpoint"] section[data-name="basic_auth"]');
      expect(await auth.locator('tr[data-name="password"] td').textContent()).toBe("(secret)");
      expect(await args.locator('section[data-name="queue_config"] tr[data-name="capacity"] td').textContent()).toBe("10000");
      expect(await page.locator('section.exports tr[data-name="receiver"] td').textContent()).toBe("storage.Appendable");
      expect(await page.locator("a.docs").getAttribute("href")).toBe(
        "https://grafana.com/docs/alloy/latest/reference/components/prometheus/prometheus.remote_write/",
      );
      expect(await page.locator("a.debug-link").getAttribute("href")).toBe("debug/prometheus.remote_write.default");
      expect(await texts(page, "section.dependencies a")).toEqual(["local.file.api_key"]);
      expect(await texts(page, "section.dependants a")).toEqual(["prometheus.scrape.pods"]);
      await screenshot(page, `${tag}-component`);

      await page.click('section.dependencies a:text("local.file.api_key")');
      await until("the dependency's page", async () => (await page.locator("h1").textContent()) === "local.file.api_key");
      expect(pathname()).toBe(`${base}/component/local.file.api_key`);
      expect(await page.locator('section.exports tr[data-name="content"] td').textContent()).toBe("(secret)");
      expect(await page.locator(".no-debug").textContent()).toContain("not available");
      expect(await page.locator("a.debug-link").count()).toBe(0);
      await page.click('section.dependants a:text("prometheus.remote_write.default")');
      await until("the dependant's page", async () => (await page.locator("h1").textContent()) === "prometheus.remote_write.default");
    });

    test("an unhealthy component shows its message; debug info is rendered", async () => {
      await page.goto(`${alloy.url}${base}/component/loki.write.default`);
      await page.locator(".health-message").waitFor();
      expect(await page.locator(".health-detail [data-health]").textContent()).toBe("unhealthy");
      expect(await page.locator(".health-message").textContent()).toContain("connection refused");
      await page.goto(`${alloy.url}${base}/component/prometheus.scrape.pods`);
      await page.locator("section.debug-info").waitFor();
      expect(await page.locator('section.debug-info section[data-name="target"] tr[data-name="health"] td').textContent()).toBe('"up"');
    });

    test("a module's components are listed and link to their pages", async () => {
      await page.goto(`${alloy.url}${base}/component/module.file.shared`);
      await page.locator(`section.module[data-module="${MODULE_ID}"] ul.links a`).first().waitFor();
      expect(await texts(page, `section.module[data-module="${MODULE_ID}"] ul.links a`)).toEqual([
        "prometheus.exporter.unix.node",
        "prometheus.scrape.node",
      ]);
      await page.click(`section.module a:text("prometheus.scrape.node")`);
      await until("the module component's page", async () => (await page.locator("h1").textContent()) === `${MODULE_ID}/prometheus.scrape.node`);
      expect(pathname()).toBe(`${base}/component/${MODULE_ID}/prometheus.scrape.node`);
      expect(alloy.requests).toContain(`${base}/api/v0/web/modules/${MODULE_ID}/components`);
      expect(alloy.requests).toContain(`${base}/api/v0/web/components/${MODULE_ID}/prometheus.scrape.node`);
      // References inside a module link to global IDs.
      expect(await page.locator("section.dependencies a").getAttribute("href")).toBe(`component/${MODULE_ID}/prometheus.exporter.unix.node`);
    });

    test("the graph shows every component and data edge, with live rates", async () => {
      await page.goto(`${alloy.url}${base}/graph`);
      await page.locator("svg.pipeline g.node").first().waitFor();
      const ids = await page.locator("svg.pipeline g.node").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
      expect(ids.sort()).toEqual(rootComponents.map((c) => c.localID).sort());
      const edges = await page
        .locator("svg.pipeline g.edge")
        .evaluateAll((els) => els.map((e) => [e.getAttribute("data-from"), e.getAttribute("data-to")]));
      expect(edges.sort()).toEqual([...rootDataEdges].sort());
      expect(await page.locator('g.node[data-id="loki.write.default"]').getAttribute("data-health")).toBe("unhealthy");

      await until("the graph stream", () => alloy.streams.size > 0 && openStreams("/api/v0/web/graph") === 1);
      expect(alloy.requests).toContain(`${base}/api/v0/web/graph?window=5`);
      const label = page.locator('g.edge[data-from="prometheus.scrape.pods"][data-to="prometheus.remote_write.default"] text.edge-label');
      alloy.sendGraphFrame([
        { componentID: "prometheus.scrape.pods", targetComponentIDs: ["prometheus.remote_write.default"], type: "prometheus_metric", rate: 123.4 },
        { componentID: "loki.process.parse", targetComponentIDs: ["loki.write.default"], type: "loki_log", rate: 2.5 },
      ]);
      await until("the first rates", async () => (await label.textContent())?.startsWith("123/s"));
      const lokiLabel = page.locator('g.edge[data-to="loki.write.default"] text.edge-label');
      expect((await lokiLabel.textContent())?.startsWith("2.5/s")).toBe(true);
      await screenshot(page, `${tag}-graph`);
      alloy.sendGraphFrame([
        { componentID: "prometheus.scrape.pods", targetComponentIDs: ["prometheus.remote_write.default"], type: "prometheus_metric", rate: 45.6 },
      ]);
      await until("the next window's rates", async () => (await label.textContent())?.startsWith("45.6/s"));
      expect((await lokiLabel.textContent())?.startsWith("0/s")).toBe(true);

      const width = async (): Promise<number> => Number(await page.locator("svg.pipeline").getAttribute("width"));
      const natural = await width();
      await page.click("button.zoom-out");
      expect(await width()).toBeCloseTo(natural / 1.25, 3);
      await page.click("button.zoom-fit"); // the small graph fits: back to its natural size
      expect(await width()).toBeCloseTo(natural, 3);

      await page.locator("input.window").fill("12");
      await until("a stream with the new window", () => alloy.requests.includes(`${base}/api/v0/web/graph?window=12`));
      expect(await page.locator(".slider output").textContent()).toBe("12s");
      await until("the old stream to close", () => openStreams("/api/v0/web/graph") === 1);

      await page.click('g.node[data-id="discovery.relabel.pods"]');
      await until("the node's page", async () => (await page.locator("h1").textContent()) === "discovery.relabel.pods");
      expect(pathname()).toBe(`${base}/component/discovery.relabel.pods`);
      await until("the graph stream to close when leaving", () => openStreams("/api/v0/web/graph") === 0);
    });

    test("the graph reconnects when the server ends its stream", async () => {
      await page.goto(`${alloy.url}${base}/graph`);
      await until("the graph stream", () => openStreams("/api/v0/web/graph") === 1);
      const before = alloy.requests.filter((r) => r === `${base}/api/v0/web/graph?window=5`).length;
      for (const s of [...alloy.streams]) s.end();
      await until("a new graph stream", () => openStreams("/api/v0/web/graph") === 1);
      expect(alloy.requests.filter((r) => r === `${base}/api/v0/web/graph?window=5`).length).toBe(before + 1);
    });

    test("a module's graph is reached from its node", async () => {
      await page.goto(`${alloy.url}${base}/graph`);
      await page.locator('g.node[data-id="module.file.shared"] .node-module').click();
      await until("the module graph", async () => (await page.locator("svg.pipeline g.node").count()) === 2);
      expect(pathname()).toBe(`${base}/graph/${MODULE_ID}`);
      const edges = await page.locator("svg.pipeline g.edge").evaluateAll((els) => els.map((e) => [e.getAttribute("data-from"), e.getAttribute("data-to")]));
      expect(edges).toEqual([["prometheus.exporter.unix.node", "prometheus.scrape.node"]]);
      await until("the module's graph stream", () => alloy.requests.includes(`${base}/api/v0/web/graph/${MODULE_ID}?window=5`));
      alloy.sendGraphFrame([
        { componentID: `${MODULE_ID}/prometheus.exporter.unix.node`, targetComponentIDs: [`${MODULE_ID}/prometheus.scrape.node`], type: "target", rate: 0.2 },
      ]);
      await until("the module edge's rate", async () => (await page.locator("text.edge-label").textContent())?.startsWith("0.2/s"));
      await page.click('g.node[data-id="prometheus.scrape.node"]');
      await until("the module component's page", () => pathname() === `${base}/component/${MODULE_ID}/prometheus.scrape.node`);
    });

    test("the clustering page lists peers and marks this node", async () => {
      await page.goto(`${alloy.url}${base}/clustering`);
      await page.locator("table.peers tbody tr").first().waitFor();
      expect(await texts(page, "table.peers tbody tr td:nth-child(2)")).toEqual(["10.0.0.20:12345", "10.0.0.21:12345", "10.0.0.22:12345"]);
      expect(await texts(page, "tr.self td:first-child")).toEqual(["alloy-0 (self)"]);
      expect(await texts(page, "table.peers tbody tr td:nth-child(3)")).toEqual(["participant", "participant", "terminating"]);
      await screenshot(page, `${tag}-clustering`);
    });

    test("live debugging shows events, applies the sample rate, pauses, filters, copies and clears", async () => {
      const id = "prometheus.scrape.pods";
      const streamPath = `/api/v0/web/debug/${id}`;
      await page.goto(`${alloy.url}${base}/debug/${id}`);
      await until("the debug stream", () => openStreams(streamPath) === 1);
      expect(alloy.requests).toContain(`${base}${streamPath}?sampleProb=1`);
      alloy.sendDebugEvents(id, ["event-1 up{job=\"pods\"} 1", "event-2 up{job=\"node\"} 0", "event-3 scrape_duration_seconds 0.01"]);
      await until("three lines", async () => (await page.locator(".log .line").count()) === 3);
      expect(await texts(page, ".log .line")).toEqual(['event-1 up{job="pods"} 1', 'event-2 up{job="node"} 0', "event-3 scrape_duration_seconds 0.01"]);

      await page.locator("input.sample-rate").fill("25");
      await until("a stream sampling a quarter", () => alloy.requests.includes(`${base}${streamPath}?sampleProb=0.25`));
      await until("only the new stream open", () => openStreams(streamPath) === 1);
      expect([...alloy.streams].find((s) => s.path === `${base}${streamPath}`)?.params.get("sampleProb")).toBe("0.25");

      await page.fill(".debug-toolbar input.filter", "node");
      expect(await texts(page, ".log .line")).toEqual(['event-2 up{job="node"} 0']);
      await page.click("button.copy");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('event-2 up{job="node"} 0');
      await page.fill(".debug-toolbar input.filter", "");
      await screenshot(page, `${tag}-live-debugging`);

      await page.click("button.pause");
      expect(await page.locator("button.pause").textContent()).toContain("Resume");
      await until("the stream to close on pause", () => openStreams(streamPath) === 0);
      expect(alloy.sendDebugEvents(id, ["while paused"])).toBe(0);
      await page.click("button.pause");
      await until("the stream to reopen on resume", () => openStreams(streamPath) === 1);
      alloy.sendDebugEvents(id, ["event-4 after resume"]);
      await until("the event after resume", async () => (await page.locator(".log .line").count()) === 4);
      expect(await texts(page, ".log .line")).not.toContain("while paused");

      await page.click("button.clear");
      expect(await page.locator(".log .line").count()).toBe(0);
    });

    test("live debugging keeps at most 5000 lines, dropping the oldest", async () => {
      const id = "prometheus.scrape.pods";
      await until("the debug stream", () => openStreams(`/api/v0/web/debug/${id}`) === 1);
      alloy.sendDebugEvents(id, Array.from({ length: 6000 }, (_, i) => `line ${i}`));
      await until("the last line", async () => (await page.locator(".log .line").last().textContent()) === "line 5999", 20_000);
      expect(await page.locator(".log .line").count()).toBe(5000);
      expect(await page.locator(".log .line").first().textContent()).toBe("line 1000");
      expect(await page.locator(".debug-toolbar .count").getAttribute("data-count")).toBe("5000");
      const scroll = () => page.locator(".log").evaluate((el) => ({ top: el.scrollTop, bottom: el.scrollHeight - el.clientHeight }));
      await until("auto-scroll to the newest line", async () => {
        const s = await scroll();
        return s.bottom > 0 && Math.abs(s.top - s.bottom) <= 2;
      });
      await page.click("input.auto-scroll");
      await page.locator(".log").evaluate((el) => (el.scrollTop = 0));
      alloy.sendDebugEvents(id, ["line 6000"]);
      await until("the new line", async () => (await page.locator(".log .line").last().textContent()) === "line 6000");
      expect((await scroll()).top).toBe(0);
      await page.click("input.auto-scroll");
    }, 30_000);

    test("when live debugging is disabled, the page explains how to enable it", async () => {
      alloy.setLiveDebuggingDisabled(true);
      try {
        await page.goto(`${alloy.url}${base}/debug/loki.process.parse`);
        await page.locator(".disabled-message").waitFor();
        const text = (await page.locator(".disabled-message").textContent()) ?? "";
        expect(text).toContain("Live debugging is disabled");
        expect(text.replace(/\s+/g, " ")).toContain("livedebugging { enabled = true }");
        await screenshot(page, `${tag}-live-debugging-disabled`);
      } finally {
        alloy.setLiveDebuggingDisabled(false);
      }
    });

    test("an unknown component and an unknown page say so", async () => {
      await page.goto(`${alloy.url}${base}/component/prometheus.scrape.missing`);
      await page.locator("[role=alert]").waitFor();
      expect(await page.locator("[role=alert]").textContent()).toContain("HTTP 404");
      await page.goto(`${alloy.url}${base}/no/such/page`);
      expect(await page.locator("main h1").textContent()).toBe("Not found");
      await page.click('main a:text("Back to the components")');
      await page.locator("table.components tbody tr").first().waitFor();
      expect(pathname()).toBe(`${base}/`);
    });

    test("every request the pages made stayed under the prefix and succeeded", () => {
      expect(pageErrors).toEqual([]);
      const own = responses.filter((r) => !r.url.startsWith("https://"));
      expect(own.length).toBeGreaterThan(20);
      for (const r of own) expect(r.url.startsWith(`${base}/`)).toBe(true);
      for (const r of alloy.requests) expect(r.startsWith(`${base}/`)).toBe(true);
      const failed = own.filter((r) => r.status >= 400);
      expect(failed).toEqual([
        { url: `${base}/api/v0/web/debug/loki.process.parse?sampleProb=1`, status: 500 },
        { url: `${base}/api/v0/web/components/prometheus.scrape.missing`, status: 404 },
      ]);
      for (const api of ["components", "peers", `modules/${MODULE_ID}/components`, "graph?window=5", "debug/prometheus.scrape.pods?sampleProb=1"]) {
        expect(alloy.requests).toContain(`${base}/api/v0/web/${api}`);
      }
    });
  });
}
