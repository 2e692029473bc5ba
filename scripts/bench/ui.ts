// UI budgets: the first page's JavaScript gzipped (budget 150 KB) and the time headless
// Chromium takes to show the graph of a 500-component pipeline (budget 1 s), measured from
// the click on "Graph" to all nodes in the DOM: lazy chunk, fetch, dagre layout and render;
// and the scratch page's own JavaScript (the syntax package and dagre), loaded when opened.
//   ./node_modules/.bin/bun scripts/bench/ui.ts [components=500]
import os from "node:os";
import { uiFiles } from "../../src/service/ui/assets.ts";
import { parseComponent } from "../../ui/src/alloy-json.ts";
import { buildPipeline } from "../../ui/src/graph/pipeline.ts";
import { layoutPipeline } from "../../ui/src/graph/layout.ts";
import { largePipeline } from "../../test/fixtures/ui/pipeline.ts";
import { startFakeAlloy } from "../../test/fixtures/ui/fake-alloy.ts";
import { launchBrowser, screenshot } from "../../test/e2e/ui/browser.ts";

const JS_BUDGET = 150 * 1024;
const RENDER_BUDGET_MS = 1000;
const count = Number(process.argv[2] ?? 500);

const index = uiFiles["index.html"]?.body ?? "";
const firstPage = [...index.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
const gz = (name: string): number => Bun.gzipSync(uiFiles[name]?.body ?? "").length;
const firstJS = firstPage.filter((n) => n.endsWith(".js")).reduce((sum, n) => sum + gz(n), 0);
const firstCSS = firstPage.filter((n) => n.endsWith(".css")).reduce((sum, n) => sum + gz(n), 0);
const lazy = Object.keys(uiFiles).filter((n) => n.endsWith(".js") && !firstPage.includes(n));
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
console.log(`first page JS (gzip): ${kb(firstJS)}  budget ${kb(JS_BUDGET)}  ${firstJS <= JS_BUDGET ? "ok" : "OVER"}`);
console.log(`first page CSS (gzip): ${kb(firstCSS)}`);
for (const n of lazy) console.log(`lazy chunk ${n} (gzip): ${kb(gz(n))}`);
// The scratch page: its own chunk (the syntax package) plus the chunks it imports (dagre, shared code).
const scratchEntry = lazy.find((n) => uiFiles[n]!.body.includes("alloy-scratch-page"));
if (scratchEntry) {
  const closure = new Set<string>();
  const visit = (n: string): void => {
    if (closure.has(n) || firstPage.includes(n)) return;
    closure.add(n);
    for (const m of uiFiles[n]?.body.matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g) ?? []) visit(`assets/${m[1]}`);
  };
  visit(scratchEntry);
  const total = [...closure].reduce((sum, n) => sum + gz(n), 0);
  console.log(`scratch page JS beyond the first page (gzip): ${kb(total)} in ${closure.size} chunks`);
} else {
  console.log("scratch page chunk: not found in the bundle");
}

const components = largePipeline(count);
const t0 = performance.now();
const pipeline = buildPipeline(components.map(parseComponent));
layoutPipeline(pipeline);
console.log(`layout in Bun (${count} nodes, ${pipeline.edges.length} edges): ${(performance.now() - t0).toFixed(0)} ms`);

const alloy = startFakeAlloy({ prefix: "/", components });
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    await page.goto(`${alloy.url}/`);
    await page.locator("table.components tbody tr").first().waitFor();
    const ms = await page.evaluate(async (expected: number) => {
      const start = performance.now();
      document.querySelector<HTMLAnchorElement>('nav.topbar a[href="graph"]')!.click();
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelectorAll("svg.pipeline g.node").length === expected) return performance.now() - start;
        if (performance.now() - start > 30_000) throw new Error("graph did not render within 30 s");
      }
    }, count);
    times.push(ms);
  }
  await screenshot(page, `bench-graph-${count}`);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `graph render in Chromium (${count} components): first ${times[0]!.toFixed(0)} ms, median of ${times.length} ${median.toFixed(0)} ms` +
      `  budget ${RENDER_BUDGET_MS} ms  ${median <= RENDER_BUDGET_MS ? "ok" : "OVER"}`,
  );
  // Wall-clock times: on a busy machine they say more about the load than about the UI.
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} CPUs`);
} finally {
  await browser.close();
  await alloy.stop();
}
