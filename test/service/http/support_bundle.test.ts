import { describe, expect, test } from "bun:test";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import { discardLogger } from "../../../src/runtime/logger.ts";
import { createHttpApp } from "../../../src/service/http/server.ts";
import { bundleDuration } from "../../../src/service/http/support_bundle.ts";
import { zip } from "../../../src/service/http/zip.ts";
import { componentInfo, FakeRuntime } from "./fake_runtime.ts";

const unzip = Bun.which("unzip");
if (!unzip) console.warn("unzip not found (Debian package `unzip`): skipping the checks that open the support bundle");

async function unzipList(bytes: Uint8Array): Promise<{ names: string[]; read: (name: string) => Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-zip-"));
  const file = join(dir, "bundle.zip");
  await writeFile(file, bytes);
  const test = Bun.spawnSync([unzip!, "-t", file], { stdout: "pipe", stderr: "pipe" });
  if (!test.success) throw new Error(`unzip -t failed: ${test.stdout}${test.stderr}`);
  const list = Bun.spawnSync([unzip!, "-Z1", file], { stdout: "pipe" }).stdout.toString().trim().split("\n");
  return {
    names: list,
    read: async (name) => Bun.spawnSync([unzip!, "-p", file, name], { stdout: "pipe" }).stdout.toString(),
  };
}

describe("zip", () => {
  test.skipIf(!unzip)("writes archives unzip accepts, with names and contents intact", async () => {
    const big = "x".repeat(100_000);
    const z = await unzipList(zip([{ name: "a.txt", data: "hello\n" }, { name: "dir/b.bin", data: new Uint8Array([0, 1, 2, 255]) }, { name: "big.txt", data: big }]));
    expect(z.names).toEqual(["a.txt", "dir/b.bin", "big.txt"]);
    expect(await z.read("a.txt")).toBe("hello\n");
    expect(await z.read("big.txt")).toBe(big);
  });
});

describe("/-/support", () => {
  test("checks ?duration= with Alloy's texts", () => {
    expect(bundleDuration(undefined)).toBe(30);
    expect(bundleDuration("5")).toBe(5);
    expect(bundleDuration("x")).toBe(`duration value (in seconds) should be a positive integer: strconv.Atoi: parsing "x": invalid syntax`);
    expect(bundleDuration("0")).toBe("duration value (in seconds) should be larger than 1");
    expect(bundleDuration("31")).toBe("duration value exceeds the server's write timeout");
  });

  test.skipIf(!unzip)("serves a zip with metadata, components, metrics, flags, logs and profiles", async () => {
    const registry = new Registry();
    registry.setDefaultLabels({});
    let captured = false;
    const app = createHttpApp({
      runtime: () => new FakeRuntime().add(componentInfo("local.file.a", "local.file")),
      reload: async () => {},
      metrics: [registry],
      uiPathPrefix: "/",
      enablePprof: true,
      logger: discardLogger(),
      peers: () => [{ name: "n", addr: "127.0.0.1:12345", isSelf: true, state: "participant" }],
      supportBundle: {
        runtimeFlags: ["server.http.listen-addr=127.0.0.1:12345", "stability.level=generally-available"],
        captureLogs: () => {
          captured = true;
          return () => 'ts=x level=info msg="during the bundle"\n';
        },
      },
    });
    const bad = await app.fetch(new Request("http://x/-/support?duration=0"));
    expect(bad.status).toBe(400);
    const res = await app.fetch(new Request("http://x/-/support?duration=1"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="alloy-support-bundle.zip"');
    const z = await unzipList(new Uint8Array(await res.arrayBuffer()));
    for (const name of [
      "alloy-metadata.yaml",
      "alloy-components.json",
      "alloy-peers.json",
      "alloy-metrics-sample-start.txt",
      "alloy-metrics-sample-end.txt",
      "alloy-runtime-flags.txt",
      "alloy-environment.txt",
      "alloy-logs.txt",
      "pprof/cpu.pprof",
      "pprof/heap.heapsnapshot",
    ]) {
      expect(z.names).toContain(`alloy-support-bundle/${name}`);
    }
    expect(await z.read("alloy-support-bundle/alloy-metadata.yaml")).toMatch(/^build_version: v\S+\nos: \w+\narchitecture: \w+\nuptime: [\d.]+\n$/);
    expect(JSON.parse(await z.read("alloy-support-bundle/alloy-components.json"))[0].localID).toBe("local.file.a");
    expect(await z.read("alloy-support-bundle/alloy-runtime-flags.txt")).toBe("server.http.listen-addr=127.0.0.1:12345\nstability.level=generally-available");
    expect(await z.read("alloy-support-bundle/alloy-logs.txt")).toContain("during the bundle");
    expect(await z.read("alloy-support-bundle/alloy-environment.txt")).toContain("HTTP_PROXY=");
    expect(captured).toBe(true);
  }, 60_000);
});
