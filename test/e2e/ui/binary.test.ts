// Acceptance: the debug UI of the compiled executable in headless Chromium, with a real
// pipeline moving data (metrics scraped from Alloy itself and remote-written back into it,
// log lines pushed to loki.source.api). Every response and websocket frame the browser sees
// is kept and searched for the config's secrets. Screenshots go to test-artifacts/ui/.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { parseComponent } from "../../../ui/src/alloy-json.ts";
import { buildPipeline } from "../../../ui/src/graph/pipeline.ts";
import { alloyBinary, AlloyProcess, canRunBinary, eventually } from "../binary/alloy_process.ts";
import { brokenConfigs, goodConfig } from "./broken_configs.ts";
import { launchBrowser, screenshot, type Browser } from "./browser.ts";
import { until } from "./wait.ts";

setDefaultTimeout(60_000);

const PASSWORD = "pw-literal-7f3a9c";
const TOKEN = "token-from-file-51d0e2";

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

function pipelineConfig(tokenFile: string, receivePort: number, apiPort: number, liveDebugging: boolean): string {
  return `livedebugging {
  enabled = ${liveDebugging}
}

local.file "token" {
  filename  = ${JSON.stringify(tokenFile)}
  is_secret = true
}

prometheus.exporter.self "self" { }

discovery.relabel "targets" {
  targets = prometheus.exporter.self.self.targets
  rule {
    action       = "replace"
    target_label = "pipeline"
    replacement  = "ui"
  }
}

prometheus.scrape "self" {
  targets         = discovery.relabel.targets.output
  forward_to      = [prometheus.relabel.tag.receiver]
  scrape_interval = "1s"
  scrape_timeout  = "500ms"
}

prometheus.relabel "tag" {
  forward_to = [prometheus.remote_write.loop.receiver]
  rule {
    action       = "replace"
    target_label = "via"
    replacement  = "relabel"
  }
}

prometheus.remote_write "loop" {
  endpoint {
    url = "http://127.0.0.1:${receivePort}/api/v1/metrics/write"
    basic_auth {
      username = "alloy"
      password = "${PASSWORD}"
    }
  }
  endpoint {
    url = "http://127.0.0.1:${receivePort}/api/v1/metrics/write"
    authorization {
      type        = "Bearer"
      credentials = local.file.token.content
    }
  }
}

prometheus.receive_http "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port    = ${receivePort}
  }
  forward_to = []
}

loki.source.api "in" {
  http {
    listen_address = "127.0.0.1"
    listen_port    = ${apiPort}
  }
  forward_to = [loki.process.parse.receiver]
}

loki.process "parse" {
  forward_to = [loki.relabel.tag.receiver]
  stage.static_labels {
    values = { stage = "process" }
  }
}

loki.relabel "tag" {
  forward_to = [loki.echo.out.receiver]
  rule {
    action       = "replace"
    target_label = "pipeline"
    replacement  = "ui"
  }
}

loki.echo "out" { }
`;
}

interface Run {
  alloy: AlloyProcess;
  dir: string;
  base: string;
  apiPort: number;
  push(lines: string[]): Promise<void>;
  stop(): Promise<void>;
}

async function startRun(prefix: string, liveDebugging: boolean): Promise<Run> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "alloy-ui-binary-"));
  const tokenFile = path.join(dir, "token");
  await writeFile(tokenFile, TOKEN);
  const apiPort = freePort();
  const cfg = path.join(dir, "config.alloy");
  await writeFile(cfg, pipelineConfig(tokenFile, freePort(), apiPort, liveDebugging));
  const alloy = await AlloyProcess.start(["run", cfg, `--server.http.ui-path-prefix=${prefix}`]);
  const origin = await alloy.baseURL();
  await eventually(async () => ((await fetch(`${origin}/-/ready`)).status === 200 ? true : undefined), "alloy to be ready", 20_000);
  return {
    alloy,
    dir,
    base: `${origin}${prefix.replace(/\/$/, "")}`,
    apiPort,
    push: async (lines) => {
      const now = Date.now();
      const res = await fetch(`http://127.0.0.1:${apiPort}/loki/api/v1/push`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ streams: [{ stream: { job: "ui" }, values: lines.map((l, i) => [String((now + i) * 1_000_000), l]) }] }),
      });
      if (res.status !== 204) throw new Error(`push answered ${res.status}: ${await res.text()}`);
    },
    stop: async () => {
      alloy.kill();
      await alloy.exited;
    },
  };
}

/** Everything the browser received: response bodies and websocket frames. */
function captureTraffic(page: Page): string[] {
  const seen: string[] = [];
  page.on("response", (r) => {
    seen.push(`${r.url()} ${JSON.stringify(r.headers())}`);
    r.text().then(
      (t) => seen.push(t),
      () => {},
    );
  });
  page.on("websocket", (ws) => {
    seen.push(ws.url());
    ws.on("framereceived", (f) => seen.push(String(f.payload)));
    ws.on("framesent", (f) => seen.push(String(f.payload)));
  });
  return seen;
}

/** A live-debugging websocket of the test's own, collecting the event texts it receives. */
async function observeLiveDebugging(httpURL: string): Promise<{ texts: string[]; close(): void }> {
  const texts: string[] = [];
  const ws = new WebSocket(httpURL.replace(/^http/, "ws"));
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { text?: string };
    if (m.text !== undefined) texts.push(m.text);
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`the live debugging socket ${httpURL} did not open`));
  });
  return { texts, close: () => ws.close() };
}

/**
 * Pushes a marker line and waits until `observer` receives it, twice: the second
 * arrives a whole flush period (1 s) after the first, so every other live-debugging
 * stream of the component has flushed since the first was pushed. Returns the markers.
 */
async function twoFlushes(run: Run, observer: { texts: string[] }, what: string): Promise<string[]> {
  const markers: string[] = [];
  for (const n of [1, 2]) {
    const marker = `marker ${n} ${what} ${Date.now()}`;
    await run.push([marker]);
    await until(`the observer to receive ${JSON.stringify(marker)}`, () => observer.texts.some((t) => t.includes(marker)));
    markers.push(marker);
  }
  return markers;
}

const texts = (page: Page, selector: string): Promise<string[]> =>
  page.locator(selector).evaluateAll((els) => els.map((e) => (e.textContent ?? "").trim()));

describe.skipIf(!canRunBinary)("the UI of the compiled executable under /alloy/", () => {
  let run: Run;
  let browser: Browser;
  let page: Page;
  let traffic: string[];
  let pusher: ReturnType<typeof setInterval> | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    run = await startRun("/alloy/", true);
    browser = await launchBrowser();
    page = await browser.newPage();
    traffic = captureTraffic(page);
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    // A trickle of log lines keeps the loki half of the pipeline moving.
    let n = 0;
    pusher = setInterval(() => void run.push([`trickle line ${n++}`]).catch(() => {}), 200);
  }, 180_000);

  afterAll(async () => {
    clearInterval(pusher);
    await browser?.close();
    await run?.stop();
  });

  const apiComponents = async () => ((await (await fetch(`${run.base}/api/v0/web/components`)).json()) as unknown[]).map(parseComponent);

  test("the list shows every component with its health", async () => {
    const components = await apiComponents();
    expect(components.length).toBeGreaterThanOrEqual(10);
    await page.goto(`${run.base}/`);
    await page.locator("table.components tbody tr").first().waitFor();
    await until("every component healthy in the list", async () => {
      await page.reload();
      await page.locator("table.components tbody tr").first().waitFor();
      const states = await texts(page, "table.components tbody tr [data-health]");
      return states.length === components.length && states.every((s) => s === "healthy");
    }, 20_000);
    for (const c of components) expect(await page.locator(`tr[data-id="${c.localID}"]`).count()).toBe(1);
    await screenshot(page, "binary-components");
  });

  test("a detail page shows arguments, exports and dependency links", async () => {
    await page.goto(`${run.base}/component/discovery.relabel.targets`);
    await page.locator("section.arguments").waitFor();
    expect(await page.locator("section.arguments").textContent()).toContain("pipeline");
    expect(await page.locator("section.exports").textContent()).toContain("output");
    expect(await texts(page, "section.dependencies a")).toEqual(["prometheus.exporter.self.self"]);
    expect(await texts(page, "section.dependants a")).toEqual(["prometheus.scrape.self"]);
    await screenshot(page, "binary-detail");
    await page.click('section.dependants a:text("prometheus.scrape.self")');
    await until("the scrape page", async () => (await page.locator("h1").textContent()) === "prometheus.scrape.self");
  });

  test("the graph shows every node and edge, labels follow the data, and a click opens the detail", async () => {
    const expected = buildPipeline(await apiComponents());
    await page.goto(`${run.base}/graph`);
    await page.locator("svg.pipeline g.node").first().waitFor();
    expect(await page.locator("svg.pipeline g.node").count()).toBe(expected.nodes.length);
    expect(expected.edges.length).toBeGreaterThanOrEqual(8);
    for (const e of expected.edges) expect(await page.locator(`g.edge[data-from="${e.from}"][data-to="${e.to}"]`).count()).toBe(1);
    const label = page.locator('g.edge[data-from="loki.relabel.tag"][data-to="loki.echo.out"] text.edge-label');
    await until("the loki edge to show a rate", async () => Number((await label.getAttribute("data-rate")) ?? 0) > 0, 15_000);
    const first = await label.textContent();
    await run.push(Array.from({ length: 300 }, (_, i) => `burst ${i}`));
    await until("the label to change", async () => (await label.textContent()) !== first, 15_000);
    await screenshot(page, "binary-graph");
    await page.click('g.node[data-id="loki.echo.out"]');
    await until("the detail page", async () => new URL(page.url()).pathname === "/alloy/component/loki.echo.out");
    await page.locator("section.arguments").waitFor();
  });

  test("live debugging shows lines within 2 s, honours sampling and pause, and caps at 5,000 lines", async () => {
    const t0 = Date.now();
    await page.goto(`${run.base}/debug/loki.relabel.tag`);
    await page.locator(".log .line").first().waitFor({ timeout: 5000 });
    expect(Date.now() - t0).toBeLessThan(2000 + 1000); // page load included; lines arrive at the stream's 1 s flush
    expect(await page.locator(".transport").getAttribute("data-transport")).toBe("websocket");
    expect((await texts(page, ".log .line"))[0]).toContain("trickle line");
    await screenshot(page, "binary-live-debugging");

    // Pause: no new lines, while a socket of the test's own still receives them.
    const observer = await observeLiveDebugging(`${run.base}/api/v0/web/debug-ws/loki.relabel.tag`);
    await page.click("button.pause");
    const paused = Number(await page.locator(".count").getAttribute("data-count"));
    const pausedMarkers = await twoFlushes(run, observer, "while paused");
    expect(Number(await page.locator(".count").getAttribute("data-count"))).toBe(paused);
    for (const m of pausedMarkers) expect(await page.locator(".log .line", { hasText: m }).count()).toBe(0);

    // Sample rate 0: resumed but nothing kept.
    await page.click("button.clear");
    await page.locator("input.sample-rate").evaluate((el: HTMLInputElement) => {
      el.value = "0";
      el.dispatchEvent(new Event("change"));
    });
    const sampledSocket = page.waitForEvent("websocket", (ws) => ws.url().includes("sampleProb=0"));
    await page.click("button.pause"); // Resume
    await sampledSocket;
    await twoFlushes(run, observer, "at rate 0");
    expect(Number(await page.locator(".count").getAttribute("data-count"))).toBe(0);
    observer.close();

    // Back to 100 %: floods are capped at 5,000 lines in the page.
    await page.locator("input.sample-rate").evaluate((el: HTMLInputElement) => {
      el.value = "100";
      el.dispatchEvent(new Event("change"));
    });
    await page.locator(".log .line").first().waitFor({ timeout: 5000 });
    let count = 0;
    await until("5,000 lines", async () => {
      await run.push(Array.from({ length: 500 }, (_, i) => `flood ${i}`));
      await Bun.sleep(300);
      count = Number(await page.locator(".count").getAttribute("data-count"));
      return count === 5000;
    }, 40_000).catch((err: unknown) => {
      throw new Error(`${String(err)} (the page had ${count})`);
    });
    // Lines still arrive, and the page stays at the cap.
    const marker = `after the cap ${Date.now()}`;
    await run.push([marker]);
    await page.locator(".log .line", { hasText: marker }).first().waitFor({ timeout: 10_000 });
    expect(Number(await page.locator(".count").getAttribute("data-count"))).toBe(5000);
  });

  test("the config page shows the running config, secrets redacted, with component links", async () => {
    const status = (await fetch(`${run.base}/api/v0/web/config`)).status;
    await page.goto(`${run.base}/config`);
    expect(status).toBe(200);
    await page.locator("pre.config-text").waitFor({ timeout: 10_000 });
    expect(await texts(page, "a.component-link")).toContain('prometheus.remote_write "loop" {');
    expect(await page.locator("pre.config-text").textContent()).toContain('password = "(secret)"');
    await screenshot(page, "binary-config");
    await page.click('a.component-link[data-id="loki.echo.out"]');
    await until("the detail page", async () => new URL(page.url()).pathname === "/alloy/component/loki.echo.out");
  });

  test("the scratch page reports what alloy validate reports and formats as alloy fmt", async () => {
    const dir = path.join(run.dir, "scratch");
    await mkdir(dir, { recursive: true });
    const bin = await alloyBinary();
    const cli = async (args: string[]) => {
      const p = Bun.spawn([bin, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
      const [code, stdout, stderr] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
      return { code, stdout, stderr };
    };
    await page.goto(`${run.base}/scratch`);
    await page.locator("textarea.scratch-input").waitFor();
    for (const text of brokenConfigs) {
      await writeFile(path.join(dir, "scratch.alloy"), text);
      const validate = await cli(["validate", "scratch.alloy"]);
      expect(validate.code).toBe(1);
      await page.fill("textarea.scratch-input", text);
      await page.click("button.check");
      const report = (await page.locator("pre.report").textContent()) ?? "";
      expect(report.length).toBeGreaterThan(0);
      expect(validate.stderr).toBe(`${report}Error: validation failed\n`);
    }
    await screenshot(page, "binary-scratch-errors");

    await writeFile(path.join(dir, "scratch.alloy"), goodConfig);
    const fmt = await cli(["fmt", "scratch.alloy"]);
    expect(fmt.code).toBe(0);
    await page.fill("textarea.scratch-input", goodConfig);
    await page.click("button.format");
    expect(await page.locator("textarea.scratch-input").inputValue()).toBe(fmt.stdout);
    expect(await page.locator(".scratch-graph g.node").count()).toBe(3);
    expect(await page.locator('.scratch-graph g.edge[data-from="loki.relabel.r"][data-to="loki.echo.out"]').count()).toBe(1);
    await screenshot(page, "binary-scratch-graph");
  });

  test("no secret appears in any page, API response or websocket frame", async () => {
    // The API directly too, including every component's detail.
    for (const c of await apiComponents()) traffic.push(await (await fetch(`${run.base}/api/v0/web/components/${c.localID}`)).text());
    traffic.push(await (await fetch(`${run.base}/api/v0/web/components`)).text());
    traffic.push(await (await fetch(`${run.base}/api/v0/web/config`)).text());
    const all = traffic.join("\n");
    expect(all.length).toBeGreaterThan(10_000);
    expect(all).toContain("(secret)");
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(!canRunBinary)("the UI of the compiled executable at / with live debugging disabled", () => {
  let run: Run;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    run = await startRun("/", false);
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  test("the pages work at the root and live debugging explains how to enable it", async () => {
    await page.goto(`${run.base}/`);
    await page.locator("table.components tbody tr").first().waitFor();
    expect(await page.locator("table.components tbody tr").count()).toBeGreaterThanOrEqual(10);
    await page.click('nav.topbar a[href="graph"]');
    await page.locator("svg.pipeline g.node").first().waitFor();
    await page.goto(`${run.base}/debug/loki.relabel.tag`);
    await page.locator(".disabled-message").waitFor({ timeout: 10_000 });
    expect(await page.locator(".disabled-message").textContent()).toContain("enabled = true");
    await screenshot(page, "binary-live-debugging-disabled");
  });
});
