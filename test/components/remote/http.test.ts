import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.stop(true);
  server = undefined;
});

function passOutput(id: string): unknown {
  const e = rt!.component(id)?.exports.find((s) => (s as { name: string }).name === "output") as { value: { value: unknown } } | undefined;
  return e?.value.value;
}

test("remote.http polls, and a change reaches a dependant within the poll period", async () => {
  let body = "  one \n";
  const seen: Array<{ method: string; body: string; headers: Headers }> = [];
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      seen.push({ method: req.method, body: await req.text(), headers: req.headers });
      return new Response(body);
    },
  });
  rt = testRuntime({ extra: components });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `remote.http "r" {
  url = "http://127.0.0.1:${server.port}/x"
  method = "POST"
  body = "payload"
  headers = { "X-Test" = "yes" }
  poll_frequency = "300ms"
  poll_timeout = "250ms"
  client {
    basic_auth {
      username = "u"
      password = "p"
    }
  }
}
test.pass "p" { input = remote.http.r.content }
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(passOutput("test.pass.p")).toBe("one");
  const first = seen[0]!;
  expect(first.method).toBe("POST");
  expect(first.body).toBe("payload");
  expect(first.headers.get("x-test")).toBe("yes");
  expect(first.headers.get("authorization")).toBe(`Basic ${btoa("u:p")}`);
  const changedAt = Date.now();
  body = "two";
  await waitFor(() => passOutput("test.pass.p") === "two", 2000, "remote change");
  expect(Date.now() - changedAt).toBeLessThan(1000);
  expect(rt.component("remote.http.r")!.health.state).toBe("healthy");
});

test("remote.http reports bad status codes as unhealthy, keeping the last content", async () => {
  let status = 200;
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok", { status }) });
  rt = testRuntime({ extra: components });
  await rt.load([
    { name: "main.alloy", text: `remote.http "r" {\n  url = "http://127.0.0.1:${server.port}/"\n  poll_frequency = "200ms"\n  poll_timeout = "150ms"\n  is_secret = true\n}\n` },
  ]);
  expect(JSON.stringify(rt.component("remote.http.r")!.exports)).toContain("(secret)");
  status = 500;
  await waitFor(() => rt!.component("remote.http.r")!.health.state === "unhealthy", 2000, "unhealthy");
  expect(rt.component("remote.http.r")!.health.message).toContain("polling failed: unexpected status code 500");
  expect(rt.unhealthyComponents()).toEqual(["remote.http.r"]);
});

test("remote.http validates its arguments", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `remote.http "r" {\n  url = "http://127.0.0.1:1/"\n  poll_timeout = "2m"\n}\n` }]);
  expect(res.diagnostics.map((d) => d.message)).toEqual(["poll_timeout must be less than poll_frequency"]);
});
