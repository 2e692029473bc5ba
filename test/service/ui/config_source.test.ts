import { describe, expect, test } from "bun:test";
import { discardLogger } from "../../../src/runtime/logger.ts";
import type { ConfigSource } from "../../../src/runtime/runtime.ts";
import { configView } from "../../../src/service/http/config_source.ts";
import { createHttpApp } from "../../../src/service/http/server.ts";
import { componentInfo, FakeRuntime } from "../http/fake_runtime.ts";

const PASSWORD = "hunter2-literal-pw";
const config = `prometheus.remote_write "default" {
  endpoint {
    url = "http://127.0.0.1:9/api/v1/write"
    basic_auth {
      username = "me"
      password = "${PASSWORD}"
    }
  }
}

local.file "token" {
  filename  = "/tmp/token"
  is_secret = true
}

remotecfg {
  url = "http://127.0.0.1:9"
  basic_auth {
    password = "${PASSWORD}" + "x"
  }
}

loki.echo "out" { }
`;

// The alloyjson the runtime reports for the remote_write block: password decoded as a secret.
const rwArguments = [
  {
    name: "endpoint",
    type: "block",
    body: [
      { name: "url", type: "attr", value: { type: "string", value: "http://127.0.0.1:9/api/v1/write" } },
      {
        name: "basic_auth",
        type: "block",
        body: [
          { name: "username", type: "attr", value: { type: "string", value: "me" } },
          { name: "password", type: "attr", value: { type: "capsule", value: "(secret)" } },
        ],
      },
    ],
  },
];

function runtime() {
  return new FakeRuntime()
    .add({ ...componentInfo("prometheus.remote_write.default", "prometheus.remote_write"), arguments: rwArguments })
    .add(componentInfo("local.file.token", "local.file"))
    .add(componentInfo("loki.echo.out", "loki.echo"));
}

describe("the running config view", () => {
  test("is formatted like alloy fmt with secret literals redacted, and maps blocks to lines", () => {
    const view = configView([{ name: "main.alloy", text: config }], runtime());
    const file = view.files[0]!;
    expect(file.text).not.toContain(PASSWORD);
    expect(file.text).toContain('password = "(secret)"');
    expect(file.text).toContain('username = "me"');
    expect(file.text).toContain("is_secret = true");
    const lines = file.text.split("\n");
    expect(file.components.map((c) => c.id)).toEqual(["prometheus.remote_write.default", "local.file.token", "loki.echo.out"]);
    for (const c of file.components) expect(lines[c.line - 1]!.startsWith(c.id.split(".").slice(0, 2).join("."))).toBe(true);
    expect(lines[file.components[1]!.line - 1]).toBe('local.file "token" {');
  });

  test("a file that does not parse is not sent at all", () => {
    const view = configView([{ name: "bad.alloy", text: `x "y" { password = "${PASSWORD}"` }], runtime());
    expect(view.files[0]!.text).toBe("");
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(view.files[0]!.error).toBeTruthy();
  });

  test("is served under the UI prefix and never carries the secret", async () => {
    const sources: ConfigSource[] = [{ name: "main.alloy", text: config }];
    const rt = runtime();
    const make = (configSources?: () => ConfigSource[]) =>
      createHttpApp({ runtime: () => rt, reload: async () => {}, metrics: [], uiPathPrefix: "/alloy/", enablePprof: false, logger: discardLogger(), peers: () => [], configSources });
    const res = await make(() => sources).fetch(new Request("http://x/alloy/api/v0/web/config"));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text).files[0].components.length).toBe(3);
    const missing = await make().fetch(new Request("http://x/alloy/api/v0/web/config"));
    expect(missing.status).toBe(503);
  });
});
