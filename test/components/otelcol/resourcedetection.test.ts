import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { hostname, platform } from "node:os";
import { ExportTraceServiceRequestSchema, TracesBatch } from "../../../src/telemetry/otlp/index.ts";
import { parseResourceAttributes } from "../../../src/components/otelcol/processor/resourcedetection/system.ts";
import { waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { kv, loadErrors, pipeline, plain, sinks, sources } from "./attributes_harness.ts";

let rt: TestRuntime | undefined;
const savedEnv = process.env.OTEL_RESOURCE_ATTRIBUTES;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  if (savedEnv === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
  else process.env.OTEL_RESOURCE_ATTRIBUTES = savedEnv;
});

function config(body: string): string {
  return `test.otelcol_sink "out" {}
otelcol.processor.resourcedetection "d" {
${body}
  output {
    traces = [test.otelcol_sink.out.input]
  }
}
test.otelcol_source "in" {
  output {
    traces = [otelcol.processor.resourcedetection.d.input]
  }
}`;
}

async function resourceAfter(body: string, resource: Record<string, string>): Promise<Record<string, unknown>> {
  rt = await pipeline(config(body));
  const req = create(ExportTraceServiceRequestSchema, { resourceSpans: [{ resource: { attributes: kv(resource) }, scopeSpans: [] }] });
  await sources.get("test.otelcol_source.in")!.consumeTraces!(new TracesBatch(req));
  const out = sinks.get("test.otelcol_sink.out")!.at(-1) as TracesBatch;
  return plain(out.request.resourceSpans[0]!.resource!.attributes);
}

test("OTEL_RESOURCE_ATTRIBUTES is parsed as comma-separated, percent-decoded key=value pairs", () => {
  expect([...parseResourceAttributes("service.name=shop, deployment.environment=prod%20eu,k=a%2Cb")]).toEqual([
    ["service.name", "shop"],
    ["deployment.environment", "prod eu"],
    ["k", "a,b"],
  ]);
  expect([...parseResourceAttributes("")]).toEqual([]);
  expect(() => parseResourceAttributes("novalue")).toThrow("invalid resource format");
  expect(() => parseResourceAttributes("=x")).toThrow("empty key");
});

test("the env detector (the default) overrides existing attributes unless override = false", async () => {
  process.env.OTEL_RESOURCE_ATTRIBUTES = "service.name=from-env,team=core";
  expect(await resourceAfter("", { "service.name": "orig" })).toEqual({ "service.name": "from-env", team: "core" });
  await rt?.stop();
  expect(await resourceAfter("override = false", { "service.name": "orig" })).toEqual({ "service.name": "orig", team: "core" });
});

test("the system detector reports host.name from the os source and os.type; toggles enable more attributes", async () => {
  const got = await resourceAfter(
    `detectors = ["system"]
  system {
    hostname_sources = ["os"]
    resource_attributes {
      host.arch {
        enabled = true
      }
      os.type {
        enabled = false
      }
    }
  }`,
    {},
  );
  expect(got["host.name"]).toBe(hostname());
  expect(got["os.type"]).toBeUndefined();
  expect(got["host.arch"]).toBe(process.arch === "x64" ? "amd64" : process.arch);
  await rt?.stop();
  const defaults = await resourceAfter(`detectors = ["system"]`, {});
  expect(defaults["os.type"]).toBe(platform() === "win32" ? "windows" : platform());
  expect(typeof defaults["host.name"]).toBe("string");
});

test("cloud detectors are accepted with their blocks and reported as unavailable, without failing", async () => {
  process.env.OTEL_RESOURCE_ATTRIBUTES = "a=1";
  const got = await resourceAfter(
    `detectors = ["ec2", "gcp", "env", "azure", "kubernetes_node"]
  ec2 {
    tags = ["^Name$"]
  }
  kubernetes_node {
    node_from_env_var = "NODE"
  }`,
    {},
  );
  expect(got).toEqual({ a: "1" });
  await waitFor(() => rt!.logLines.some((l) => l.includes("resource detector not available") && l.includes("ec2")), 2000, "a log line");
  expect(JSON.stringify(rt!.component("otelcol.processor.resourcedetection.d")?.debugInfo)).toContain("kubernetes_node");
});

test("unknown detectors are configuration errors", async () => {
  expect((await loadErrors(config(`detectors = ["mainframe"]`))).join("\n")).toContain("invalid detector key: mainframe");
});

test("heroku and lambda read their platform variables; without them they are reported unavailable", async () => {
  const vars = {
    HEROKU_DYNO_ID: "dyno-1",
    HEROKU_APP_ID: "app-9",
    HEROKU_APP_NAME: "shop",
    HEROKU_RELEASE_VERSION: "v42",
    AWS_LAMBDA_FUNCTION_NAME: "resize",
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
    AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/resize",
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    const got = await resourceAfter(`detectors = ["heroku", "lambda"]`, {});
    expect(got).toEqual({
      "cloud.provider": "heroku",
      "service.instance.id": "dyno-1",
      "heroku.dyno.id": "dyno-1",
      "heroku.app.id": "app-9",
      "service.name": "shop",
      "service.version": "v42",
      "cloud.platform": "aws_lambda",
      "cloud.region": "eu-west-1",
      "faas.name": "resize",
      "faas.max_memory": 134217728n,
      "aws.log.group.names": expect.anything(),
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  await rt?.stop();
  expect(await resourceAfter(`detectors = ["heroku"]`, { x: "1" })).toEqual({ x: "1" });
  expect(JSON.stringify(rt!.component("otelcol.processor.resourcedetection.d")?.debugInfo)).toContain("HEROKU_DYNO_ID is not set");
});
