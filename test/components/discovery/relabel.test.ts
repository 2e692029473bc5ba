import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { testRuntime, type TestRuntime } from "../../runtime/helpers.ts";
import { exported } from "./helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function relabelOutput(targets: string, rules: string): Promise<unknown> {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `discovery.relabel "r" {\n  targets = ${targets}\n${rules}\n}\n` }]);
  expect(res.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return exported(rt, "discovery.relabel.r", "output");
}

const T = `[
    {"__address__" = "a:80", "__meta_env" = "prod", "app" = "web"},
    {"__address__" = "b:80", "__meta_env" = "dev", "app" = "db"},
  ]`;

const cases: Array<{ name: string; rules: string; want: unknown }> = [
  {
    name: "replace copies a meta label into a new label",
    rules: `  rule {\n    source_labels = ["__meta_env"]\n    target_label = "env"\n  }`,
    want: [
      { __address__: "a:80", __meta_env: "prod", app: "web", env: "prod" },
      { __address__: "b:80", __meta_env: "dev", app: "db", env: "dev" },
    ],
  },
  {
    name: "keep drops targets that do not match",
    rules: `  rule {\n    source_labels = ["__meta_env"]\n    regex = "prod"\n    action = "keep"\n  }`,
    want: [{ __address__: "a:80", __meta_env: "prod", app: "web" }],
  },
  {
    name: "drop removes matching targets",
    rules: `  rule {\n    source_labels = ["app"]\n    regex = "web"\n    action = "drop"\n  }`,
    want: [{ __address__: "b:80", __meta_env: "dev", app: "db" }],
  },
  {
    name: "labelmap renames meta labels",
    rules: `  rule {\n    regex = "__meta_(.*)"\n    action = "labelmap"\n  }`,
    want: [
      { __address__: "a:80", __meta_env: "prod", app: "web", env: "prod" },
      { __address__: "b:80", __meta_env: "dev", app: "db", env: "dev" },
    ],
  },
  {
    name: "labeldrop and a later rule run in order",
    rules: `  rule {\n    regex = "app"\n    action = "labeldrop"\n  }\n  rule {\n    source_labels = ["__address__"]\n    regex = "(.*):80"\n    target_label = "host"\n    replacement = "$1"\n  }`,
    want: [
      { __address__: "a:80", __meta_env: "prod", host: "a" },
      { __address__: "b:80", __meta_env: "dev", host: "b" },
    ],
  },
  {
    name: "hashmod shards targets",
    rules: `  rule {\n    source_labels = ["__address__"]\n    modulus = 2\n    target_label = "shard"\n    action = "hashmod"\n  }`,
    want: [
      { __address__: "a:80", __meta_env: "prod", app: "web", shard: "1" },
      { __address__: "b:80", __meta_env: "dev", app: "db", shard: "0" },
    ],
  },
];

for (const c of cases) {
  test(`discovery.relabel: ${c.name}`, async () => {
    expect(await relabelOutput(T, c.rules)).toEqual(c.want);
  });
}

test("discovery.relabel rejects invalid rules with the relabel engine's message", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([
    { name: "main.alloy", text: `discovery.relabel "r" {\n  targets = []\n  rule {\n    action = "hashmod"\n    target_label = "x"\n  }\n}\n` },
  ]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("relabel configuration for hashmod requires non-zero modulus");
});

test("discovery.relabel re-evaluates when its targets change", async () => {
  rt = testRuntime({ extra: components });
  const cfg = (addr: string) => [
    { name: "main.alloy", text: `discovery.relabel "r" {\n  targets = [{"__address__" = "${addr}"}]\n  rule {\n    source_labels = ["__address__"]\n    target_label = "instance"\n  }\n}\n` },
  ];
  await rt.load(cfg("one:1"));
  expect(exported(rt, "discovery.relabel.r", "output")).toEqual([{ __address__: "one:1", instance: "one:1" }]);
  await rt.load(cfg("two:2"));
  expect(exported(rt, "discovery.relabel.r", "output")).toEqual([{ __address__: "two:2", instance: "two:2" }]);
});

test("discovery.relabel shows each target before and after while live debugging is on", async () => {
  const events: Array<{ type: string; text: string }> = [];
  rt = testRuntime({
    extra: components,
    liveDebugging: () => ({ isActive: () => true, publish: (e) => events.push({ type: e.type, text: e.text() }) }),
  });
  await rt.load([
    {
      name: "main.alloy",
      text: `discovery.relabel "r" {\n  targets = [{"__address__" = "a:1", "x" = "y"}, {"__address__" = "b:2"}]\n  rule {\n    source_labels = ["x"]\n    regex = "y"\n    action = "keep"\n  }\n}\n`,
    },
  ]);
  expect(events).toEqual([
    { type: "target", text: '{__address__="a:1", x="y"} => {__address__="a:1", x="y"}' },
    { type: "target", text: '{__address__="b:2"} => {}' },
  ]);
});
