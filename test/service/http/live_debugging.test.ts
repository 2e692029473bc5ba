import { describe, expect, test } from "bun:test";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { LiveDebugging } from "../../../src/service/http/live_debugging.ts";
import { createHttpApp } from "../../../src/service/http/server.ts";
import { componentInfo, FakeRuntime } from "./fake_runtime.ts";

function setup(enabled = true) {
  const ld = new LiveDebugging();
  ld.setEnabled(enabled);
  const runtime = new FakeRuntime()
    .add({ ...componentInfo("prometheus.scrape.a", "prometheus.scrape"), liveDebuggingEnabled: true })
    .add(componentInfo("local.file.b", "local.file"));
  const app = createHttpApp({
    runtime: () => runtime,
    reload: async () => {},
    metrics: [],
    uiPathPrefix: "/ui",
    enablePprof: false,
    logger: discardLogger(),
    peers: () => [],
    liveDebugging: ld,
  });
  const open = async (path: string) => {
    const ctl = new AbortController();
    const res = await app.fetch(new Request(`http://x${path}`, { signal: ctl.signal, headers: { "Accept-Encoding": "gzip" } }));
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    return {
      res,
      ctl,
      // Taken on first use, so tests can still read the body as text.
      get reader() {
        return (reader ??= res.body!.getReader());
      },
    };
  };
  return { ld, open };
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  let text = "";
  const dec = new TextDecoder();
  while (!done(text)) {
    const { value, done: end } = await reader.read();
    if (end) break;
    text += dec.decode(value);
  }
  return text;
}

describe("live debugging", () => {
  test("streams a component's events as text|;| only while a stream is open", async () => {
    const { ld, open } = setup();
    const pub = ld.publisher("prometheus.scrape.a");
    expect(pub.isActive()).toBe(false);
    const s = await open("/ui/api/v0/web/debug/prometheus.scrape.a");
    const { res, ctl } = s;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(pub.isActive()).toBe(true);
    pub.publish({ type: "target", count: 1, text: () => "first" });
    pub.publish({ type: "target", count: 1, text: () => "second" });
    expect(await readUntil(s.reader, (t) => t.includes("second|;|"))).toBe("first|;|second|;|");
    ctl.abort();
    await s.reader.cancel().catch(() => {});
    expect(pub.isActive()).toBe(false);
  });

  test("refuses with Alloy's texts when disabled or unsupported, and says 400 for a bad sampleProb", async () => {
    const off = setup(false);
    const disabled = await off.open("/ui/api/v0/web/debug/prometheus.scrape.a");
    expect(disabled.res.status).toBe(500);
    expect(await disabled.res.text()).toBe("the live debugging service is disabled. Check the documentation to find out how to enable it\n");

    const on = setup();
    const unsupported = await on.open("/ui/api/v0/web/debug/local.file.b");
    expect(unsupported.res.status).toBe(500);
    expect(await unsupported.res.text()).toBe(`the component "local.file" does not support live debugging\n`);

    const bad = await on.open("/ui/api/v0/web/debug/prometheus.scrape.a?sampleProb=2");
    expect(bad.res.status).toBe(400);
    expect(await readUntil(bad.reader, (t) => t.length > 0)).toBe("Invalid sample probability\n");
    bad.ctl.abort();
  });

  test("switching the service off drops open streams' callbacks", async () => {
    const { ld, open } = setup();
    const s = await open("/ui/api/v0/web/debug/prometheus.scrape.a");
    expect(ld.publisher("prometheus.scrape.a").isActive()).toBe(true);
    ld.setEnabled(false);
    expect(ld.publisher("prometheus.scrape.a").isActive()).toBe(false);
    s.ctl.abort();
  });

  test("the graph writes per-window rates as JSON followed by |;|", async () => {
    const { ld, open } = setup(false);
    // /graph does not check whether the service is enabled, as in Alloy.
    const g = await open("/ui/api/v0/web/graph?window=1");
    const { res, ctl } = g;
    expect(res.status).toBe(200);
    const pub = ld.publisher("prometheus.scrape.a");
    pub.publish({ type: "prometheus_metric", count: 3, text: () => "" });
    pub.publish({ type: "prometheus_metric", count: 2, text: () => "" });
    const text = await readUntil(g.reader, (t) => t.includes("|;|") && t.includes("prometheus_metric"));
    const windows = text.split("|;|").filter(Boolean).map((w) => JSON.parse(w) as unknown[]);
    expect(windows.flat()).toContainEqual({ componentID: "prometheus.scrape.a", targetComponentIDs: null, type: "prometheus_metric", rate: 5 });
    ctl.abort();
    const bad = await open("/ui/api/v0/web/graph?window=0");
    expect(bad.res.status).toBe(400);
    bad.ctl.abort();
    expect((await open("/ui/api/v0/web/graph/module.nope")).res.status).toBe(500);
  }, 15_000);
});
