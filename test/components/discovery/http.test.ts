import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { exported } from "./helpers.ts";

let rt: TestRuntime | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.stop(true);
  server = undefined;
});

test("discovery.http polls target groups, adds __meta_url, and keeps the last good answer on errors", async () => {
  let answer: { status: number; type: string; body: string } = {
    status: 200,
    type: "application/json",
    body: JSON.stringify([{ targets: ["a:1", "b:2"], labels: { dc: "x" } }]),
  };
  const seen: Headers[] = [];
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      seen.push(req.headers);
      return new Response(answer.body, { status: answer.status, headers: { "Content-Type": answer.type } });
    },
  });
  const url = `http://127.0.0.1:${server.port}/sd`;
  rt = testRuntime({ extra: components });
  const res = await rt.load([
    { name: "main.alloy", text: `discovery.http "h" {\n  url = "${url}"\n  refresh_interval = "100ms"\n  bearer_token = "tok"\n}\n` },
  ]);
  expect(res.diagnostics).toEqual([]);
  await waitFor(() => (exported(rt!, "discovery.http.h", "targets") as unknown[]).length === 2, 3000, "first refresh");
  expect(exported(rt, "discovery.http.h", "targets")).toEqual([
    { __address__: "a:1", dc: "x", __meta_url: url },
    { __address__: "b:2", dc: "x", __meta_url: url },
  ]);
  expect(seen[0]!.get("accept")).toBe("application/json");
  expect(seen[0]!.get("authorization")).toBe("Bearer tok");
  expect(seen[0]!.get("x-prometheus-refresh-interval-seconds")).toBe("0.1");

  answer = { ...answer, type: "text/plain" };
  await waitFor(() => rt!.component("discovery.http.h")!.health.state === "unhealthy", 3000, "content type error");
  expect(rt.component("discovery.http.h")!.health.message).toContain('unsupported content type "text/plain"');
  expect((exported(rt, "discovery.http.h", "targets") as unknown[]).length).toBe(2);

  answer = { status: 500, type: "application/json", body: "" };
  await waitFor(() => rt!.component("discovery.http.h")!.health.message.includes("server returned HTTP status 500"), 3000, "status error");

  answer = { status: 200, type: "application/json; charset=utf-8", body: JSON.stringify([{ targets: ["c:3"] }]) };
  await waitFor(() => (exported(rt!, "discovery.http.h", "targets") as unknown[]).length === 1, 3000, "recovery");
  expect(rt.component("discovery.http.h")!.health.state).toBe("healthy");
});

test("discovery.http validates its URL", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `discovery.http "h" {\n  url = "ftp://x/"\n}\n` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("URL scheme must be 'http' or 'https'");
});
