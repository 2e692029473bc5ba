import { describe, expect, test } from "bun:test";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlags } from "../../src/cli/flags.ts";
import { runAlloy, type RunDependencies } from "../../src/cli/run.ts";
import { runFlags, runOptionsFromFlags } from "../../src/cli/run_flags.ts";
import type { HttpServer } from "../../src/service/http/server.ts";
import { componentInfo, FakeRuntime } from "../service/http/fake_runtime.ts";
import { captureIO } from "./capture_io.ts";

interface Harness {
  runtime: FakeRuntime;
  io: ReturnType<typeof captureIO>;
  exit: Promise<number>;
  server: Promise<HttpServer>;
  shutdown: () => void;
  sighup: () => void;
  url: (path: string) => Promise<string>;
}

function start(argv: string[], runtime = new FakeRuntime()): Harness {
  const io = captureIO();
  let shutdown!: () => void;
  let sighup: () => void = () => {
    throw new Error("no reload handler registered");
  };
  let running!: (s: HttpServer) => void;
  const server = new Promise<HttpServer>((r) => (running = r));
  const deps: RunDependencies = {
    createRuntime: () => ({ runtime }),
    shutdownSignal: new Promise<string>((r) => (shutdown = () => r("SIGTERM"))),
    onReloadSignal: (reload) => (sighup = reload),
    onStrayError: () => {},
    onRunning: running,
  };
  const opts = runOptionsFromFlags(parseFlags(runFlags, ["--server.http.listen-addr=127.0.0.1:0", ...argv]));
  const exit = runAlloy(opts, io, deps);
  return {
    runtime,
    io,
    exit,
    server,
    shutdown: () => shutdown(),
    sighup: () => sighup(),
    url: async (path) => `http://127.0.0.1:${(await server).port}${path}`,
  };
}

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-run-"));
  const p = join(dir, "config.alloy");
  await writeFile(p, text);
  return p;
}

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

describe("alloy run", () => {
  test("loads the config, serves ready, reloads on /-/reload and SIGHUP, and stops on a shutdown signal", async () => {
    const path = await configFile("// v1\n");
    const h = start([path]);
    const ready = await fetch(await h.url("/-/ready"));
    expect(ready.status).toBe(200);
    expect(h.runtime.loads).toEqual([[{ name: path, text: "// v1\n" }]]);

    await writeFile(path, "// v2\n");
    const reload = await fetch(await h.url("/-/reload"), { method: "POST" });
    expect(reload.status).toBe(200);
    expect(await reload.text()).toBe("config reloaded\n");
    expect(h.runtime.loads.at(-1)).toEqual([{ name: path, text: "// v2\n" }]);

    await writeFile(path, "// v3\n");
    h.sighup();
    await waitFor(() => h.runtime.loads.length === 3, "the SIGHUP reload");
    expect(h.runtime.loads.at(-1)![0]!.text).toBe("// v3\n");
    await waitFor(() => h.io.err.includes(`msg="config reloaded"`), "the reload log line");

    h.shutdown();
    expect(await h.exit).toBe(0);
    expect(h.runtime.stopped).toBe(true);
    expect(h.io.err).toContain(`msg="Alloy is starting"`);
    expect(h.io.err).toContain(`msg="{^_^} Alloy is running"`);
  });

  test("a failing reload answers 400 with the diagnostic and keeps running", async () => {
    const path = await configFile("a = 1\n");
    const h = start([path]);
    await h.server;
    h.runtime.nextLoad = {
      applied: false,
      diagnostics: [{ severity: "error", message: "unrecognized attribute name \"a\"", file: path, start: { line: 1, column: 1, offset: 0 } }],
    };
    const r = await fetch(await h.url("/-/reload"));
    expect(r.status).toBe(400);
    expect(await r.text()).toBe(`error during the initial load: ${path}:1:1: unrecognized attribute name "a"\n`);
    expect((await fetch(await h.url("/-/ready"))).status).toBe(200);
    const metrics = await (await fetch(await h.url("/metrics"))).text();
    expect(metrics).toContain("alloy_config_last_load_successful 0");
    expect(metrics).toContain("alloy_config_load_failures_total 1");
    h.shutdown();
    expect(await h.exit).toBe(0);
  });

  test("a failing first load prints the diagnostics with source context and exits 1", async () => {
    const path = await configFile("a = 1\n");
    const runtime = new FakeRuntime();
    runtime.nextLoad = {
      applied: false,
      diagnostics: [{ severity: "error", message: "boom", file: path, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } }],
    };
    const h = start([path], runtime);
    expect(await h.exit).toBe(1);
    expect(h.io.err).toContain(`Error: ${path}:1:1: boom\n\n1 | a = 1\n  | ^\n`);
    expect(h.io.err).toEndWith("Error: could not perform the initial load successfully\n");
    expect(runtime.stopped).toBe(true);
  });

  test("a missing config path exits 1 naming the path", async () => {
    const h = start(["/nonexistent/config.alloy"]);
    expect(await h.exit).toBe(1);
    expect(h.io.err).toEndWith(`Error: reading config path "/nonexistent/config.alloy": stat /nonexistent/config.alloy: no such file or directory\n`);
  });

  test("a directory loads its top-level .alloy files in name order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-run-dir-"));
    await writeFile(join(dir, "b.alloy"), "// b\n");
    await writeFile(join(dir, "a.alloy"), "// a\n");
    await writeFile(join(dir, "notes.txt"), "x");
    await (await import("node:fs/promises")).mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "c.alloy"), "// c\n");
    const h = start([dir]);
    await h.server;
    expect(h.runtime.loads[0]!.map((s) => s.name)).toEqual([join(dir, "a.alloy"), join(dir, "b.alloy")]);
    h.shutdown();
    expect(await h.exit).toBe(0);
  });

  test("flags that are not in effect are named in one log line", async () => {
    const path = await configFile("");
    const h = start(["--cluster.enabled", "--disable-reporting", path]);
    await h.server;
    const lines = h.io.err.split("\n").filter((l) => l.includes("not in effect"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`flags="--cluster.enabled, --disable-reporting"`);
    h.shutdown();
    await h.exit;
  });

  test("an unusable GOGC or GOMEMLIMIT is named in a warning and alloy runs on", async () => {
    const path = await configFile("");
    const saved = { GOGC: process.env.GOGC, GOMEMLIMIT: process.env.GOMEMLIMIT };
    process.env.GOGC = "lots";
    process.env.GOMEMLIMIT = "1.5GB";
    let h: Harness;
    try {
      h = start([path]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    await h.server;
    expect(await (await fetch(await h.url("/-/ready"))).text()).toContain("ready");
    const warnings = h.io.err.split("\n").filter((l) => l.includes("ignoring a garbage collection setting"));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("level=warn");
    expect(warnings[0]).toContain('GOGC=\\"lots\\"');
    expect(warnings[1]).toContain('GOMEMLIMIT=\\"1.5GB\\"');
    h.shutdown();
    expect(await h.exit).toBe(0);
  });

  test("a taken listen address exits 1", async () => {
    const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    try {
      const io = captureIO();
      const opts = runOptionsFromFlags(parseFlags(runFlags, [`--server.http.listen-addr=127.0.0.1:${blocker.port}`, await configFile("")]));
      const code = await runAlloy(opts, io, { createRuntime: () => ({ runtime: new FakeRuntime() }), shutdownSignal: new Promise(() => {}), onStrayError: () => {} });
      expect(code).toBe(1);
      expect(io.err).toContain(`msg="failed to listen on 127.0.0.1:${blocker.port}"`);
    } finally {
      blocker.stop(true);
    }
  });
});

describe("alloy run shutdown", () => {
  test("a request that never ends does not hold up shutdown", async () => {
    const path = await configFile("");
    const runtime = new FakeRuntime();
    // A stream that sends one chunk and never ends, like a live-debugging stream.
    const forever = () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("x")) }));
    runtime.add(componentInfo("stream.forever", "stream"), forever);
    const h = start([path], runtime);
    const res = await fetch(await h.url("/api/v0/component/stream.forever/"));
    expect(res.status).toBe(200);
    const started = performance.now();
    h.shutdown();
    expect(await h.exit).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("alloy run startup", () => {
  test("a shutdown signal during a first load that never ends stops with exit code 0", async () => {
    const runtime = new FakeRuntime();
    let loading = false;
    runtime.load = () => {
      loading = true;
      return new Promise(() => {});
    };
    const h = start([await configFile("")], runtime);
    await waitFor(() => loading, "the first load to start");
    h.shutdown();
    expect(await h.exit).toBe(0);
    expect(runtime.stopped).toBe(true);
  });
});

describe("alloy run stray errors", () => {
  test("an error nobody caught is logged and the server keeps serving", async () => {
    const io = captureIO();
    let report!: (kind: string, err: unknown) => void;
    let stop!: () => void;
    let running!: (s: HttpServer) => void;
    const server = new Promise<HttpServer>((r) => (running = r));
    const opts = runOptionsFromFlags(parseFlags(runFlags, ["--server.http.listen-addr=127.0.0.1:0", await configFile("")]));
    const exit = runAlloy(opts, io, {
      createRuntime: () => ({ runtime: new FakeRuntime() }),
      shutdownSignal: new Promise((r) => (stop = () => r("SIGTERM"))),
      onReloadSignal: () => {},
      onStrayError: (r) => (report = r),
      onRunning: running,
    });
    const port = (await server).port;
    report("unhandled promise rejection", new Error("component bug"));
    expect(io.err).toContain(`msg="unhandled promise rejection" err="Error: component bug`);
    expect((await fetch(`http://127.0.0.1:${port}/-/healthy`)).status).toBe(200);
    stop();
    expect(await exit).toBe(0);
  });
});
