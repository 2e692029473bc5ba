import { afterEach, describe, expect, test } from "bun:test";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { LiveDebugging } from "../../../src/service/http/live_debugging.ts";
import { createHttpApp, startHttpServer, type HttpServer } from "../../../src/service/http/server.ts";
import { ClientQueue } from "../../../src/service/livedebugging/websocket.ts";
import { componentInfo, FakeRuntime } from "../http/fake_runtime.ts";

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.stop(true);
  server = undefined;
});

function start(enabled = true) {
  const ld = new LiveDebugging();
  ld.setEnabled(enabled);
  const runtime = new FakeRuntime().add({ ...componentInfo("loki.echo.a", "loki.echo"), liveDebuggingEnabled: true });
  const app = createHttpApp({
    runtime: () => runtime,
    reload: async () => {},
    metrics: [],
    uiPathPrefix: "/ui/",
    enablePprof: false,
    logger: discardLogger(),
    peers: () => [],
    liveDebugging: ld,
  });
  server = startHttpServer(app, "127.0.0.1", 0);
  return { ld, runtime, url: `ws://127.0.0.1:${server.port}/ui/api/v0/web/debug-ws/` };
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

function connect(url: string) {
  const ws = new WebSocket(url);
  const messages: { text?: string; dropped?: number }[] = [];
  let closed: { code: number; reason: string } | undefined;
  let failed = false;
  ws.onmessage = (e) => messages.push(JSON.parse(String(e.data)));
  ws.onclose = (e) => (closed = { code: e.code, reason: e.reason });
  ws.onerror = () => (failed = true);
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    setTimeout(() => reject(new Error("websocket did not open")), 5000);
  });
  return { ws, messages, opened, closed: () => closed, failed: () => failed };
}

describe("live debugging websocket", () => {
  test("sends each published event as a {text} message and stops publishing when closed", async () => {
    const { ld, url } = start();
    const c = connect(`${url}loki.echo.a`);
    await c.opened;
    const pub = ld.publisher("loki.echo.a");
    await until("subscription", () => pub.isActive());
    pub.publish({ type: "loki_log", count: 1, text: () => "line one" });
    pub.publish({ type: "loki_log", count: 1, text: () => "line two" });
    await until("two messages", () => c.messages.length >= 2);
    expect(c.messages).toEqual([{ text: "line one" }, { text: "line two" }]);
    c.ws.close();
    await until("unsubscribed", () => !pub.isActive());
  });

  test("samples with sampleProb=0: nothing is sent", async () => {
    const { ld, url } = start();
    const c = connect(`${url}loki.echo.a?sampleProb=0`);
    // Unsampled, on the same component: it shows when the underlying streams have flushed.
    const control = connect(`${url}loki.echo.a`);
    await Promise.all([c.opened, control.opened]);
    const pub = ld.publisher("loki.echo.a");
    await until("subscription", () => pub.isActive());
    for (let i = 0; i < 50; i++) pub.publish({ type: "loki_log", count: 1, text: () => `l${i}` });
    await until("the control to receive the events", () => control.messages.length >= 50);
    // One more event, sent after that flush, arrives a whole flush period later: by
    // then the sampled stream has flushed since the events were published.
    pub.publish({ type: "loki_log", count: 1, text: () => "after" });
    await until("the control to receive the next flush", () => control.messages.some((m) => m.text === "after"));
    expect(control.messages).toHaveLength(51);
    expect(c.messages).toEqual([]);
    c.ws.close();
    control.ws.close();
  });

  test("refuses the upgrade with the stream's error when live debugging is disabled", async () => {
    const { url } = start(false);
    const res = await fetch(url.replace("ws:", "http:") + "loki.echo.a", { headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" } });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("the live debugging service is disabled");
    const c = connect(`${url}loki.echo.a`);
    await until("failure", () => c.failed() || c.closed());
    c.opened.catch(() => {});
  });

  test("rejects a bad sample probability", async () => {
    const { url } = start();
    const res = await fetch(url.replace("ws:", "http:") + "loki.echo.a?sampleProb=2", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(400);
  });

  test("closes with 'component not found' when the component leaves the graph", async () => {
    const { runtime, url } = start();
    const c = connect(`${url}loki.echo.a`);
    await c.opened;
    runtime.byID.delete("loki.echo.a");
    const closed = await until("close", () => c.closed(), 4000);
    expect(closed.reason).toBe("component not found");
  });
});

describe("ClientQueue", () => {
  test("drops and counts events past its limit while the socket is backed up, then reports the count", () => {
    const sent: string[] = [];
    let buffered = 2 << 20;
    const q = new ClientQueue((m) => sent.push(m), () => buffered, 3);
    for (let i = 0; i < 10; i++) q.push(`e${i}`);
    q.flush();
    expect(sent).toEqual([]);
    expect(q.size).toBe(3);
    buffered = 0;
    q.flush();
    expect(sent.map((m) => JSON.parse(m))).toEqual([{ dropped: 7 }, { text: "e0" }, { text: "e1" }, { text: "e2" }]);
  });
});
