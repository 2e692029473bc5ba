import { describe, expect, test } from "bun:test";
import { createMemoryFetch } from "../../../src/service/http/memory_fetch.ts";

describe("in-memory fetch", () => {
  const seen: string[] = [];
  const app = async (req: Request) => {
    seen.push(`${req.method} ${req.url}`);
    return new Response(`app ${new URL(req.url).pathname}`);
  };
  const outbound = (async (input: string | URL | Request) => new Response(`net ${input instanceof Request ? input.url : String(input)}`)) as typeof fetch;
  const memFetch = createMemoryFetch("alloy.internal:12345", app, outbound);

  test("sends requests for the memory address into the app without a socket", async () => {
    const r = await memFetch("http://alloy.internal:12345/api/v0/component/x/metrics");
    expect(await r.text()).toBe("app /api/v0/component/x/metrics");
    const post = await memFetch(new Request("http://ALLOY.INTERNAL:12345/-/reload", { method: "POST" }));
    expect(await post.text()).toBe("app /-/reload");
    expect(seen.at(-1)).toBe("POST http://alloy.internal:12345/-/reload");
  });

  test("sends every other request to the network fetch", async () => {
    expect(await (await memFetch("http://alloy.internal:9999/x")).text()).toBe("net http://alloy.internal:9999/x");
    expect(await (await memFetch("http://127.0.0.1:12345/x")).text()).toBe("net http://127.0.0.1:12345/x");
  });

  test("a default port in the memory address matches URLs without one", async () => {
    const f = createMemoryFetch("alloy.internal:80", app, outbound);
    expect(await (await f("http://alloy.internal/metrics")).text()).toBe("app /metrics");
  });

  test("an aborted request is rejected", async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(memFetch("http://alloy.internal:12345/x", { signal: ctl.signal })).rejects.toBeDefined();
  });
});
