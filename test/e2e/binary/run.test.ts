// End-to-end: the compiled executable, started as a user would, over real HTTP and signals.

import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlloyProcess, alloyBinary, canRunBinary, eventually } from "./alloy_process.ts";

const promtool = Bun.which("promtool");
if (canRunBinary && !promtool) console.warn("promtool not found (Debian package `prometheus`, installed by .ci/run): skipping the promtool check of /metrics");

const running: AlloyProcess[] = [];
afterAll(() => {
  for (const p of running) p.kill("SIGKILL");
});

async function start(args: string[]): Promise<{ alloy: AlloyProcess; url: (p: string) => string }> {
  const alloy = await AlloyProcess.start(["run", ...args]);
  running.push(alloy);
  const base = await alloy.baseURL();
  return { alloy, url: (p) => base + p };
}

async function configFile(text: string, name = "config.alloy"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alloy-e2e-cfg-"));
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function configHash(url: string): Promise<string | undefined> {
  const text = await (await fetch(url)).text();
  return /alloy_config_hash\{sha256="([0-9a-f]+)"/.exec(text)?.[1];
}

// Building the executable takes a while on a busy machine; every test then starts it.
beforeAll(async () => {
  if (canRunBinary) await alloyBinary();
}, 180_000);
setDefaultTimeout(30_000);

describe.skipIf(!canRunBinary)("the alloy executable", () => {
  test("--version works from another directory", async () => {
    const r = await AlloyProcess.exec(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^alloy, version v\d+\.\d+\.\d+ \(branch: .+, revision: [0-9a-f]{7,}(-dirty)?\)\n/);
    expect(r.stdout).toMatch(/build date: +\d{4}-\d\d-\d\dT/);
  });

  test("/-/ready is 503 until the first load is applied, then 200", async () => {
    // An import.http whose server holds the response keeps the first load waiting.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const moduleServer = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async () => {
        await held;
        return new Response('declare "noop" { }\n');
      },
    });
    try {
      const cfg = await configFile(`import.http "slow" {\n\turl = "http://127.0.0.1:${moduleServer.port}/module.alloy"\n}\n`);
      const { url } = await start([cfg]);
      const before = await fetch(url("/-/ready"));
      expect(before.status).toBe(503);
      expect(await before.text()).toBe("Alloy is not ready.\n");
      release();
      const ready = await eventually(async () => {
        const r = await fetch(url("/-/ready"));
        return r.status === 200 ? r.text() : undefined;
      }, "/-/ready to become 200");
      expect(ready).toBe("Alloy is ready.\n");
    } finally {
      release();
      moduleServer.stop(true);
    }
  });

  test("/-/healthy names unhealthy components and recovers with them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-e2e-health-"));
    const watched = join(dir, "watched.txt");
    await writeFile(watched, "hello");
    const cfg = await configFile(`local.file "watched" {\n\tfilename       = ${JSON.stringify(watched)}\n\tdetector       = "poll"\n\tpoll_frequency = "50ms"\n}\n`);
    const { url } = await start([cfg]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    const healthy = await fetch(url("/-/healthy"));
    expect(healthy.status).toBe(200);
    expect(await healthy.text()).toBe("All Alloy components are healthy.\n");

    await (await import("node:fs/promises")).rm(watched);
    const unhealthy = await eventually(async () => {
      const r = await fetch(url("/-/healthy"));
      return r.status === 500 ? r.text() : undefined;
    }, "/-/healthy to report the component");
    expect(unhealthy).toBe("unhealthy components: local.file\n");

    await writeFile(watched, "back");
    await eventually(async () => ((await fetch(url("/-/healthy"))).status === 200 ? true : undefined), "recovery");
  });

  test("components reach the server through the in-memory address without a socket", async () => {
    const cfg = await configFile('remote.http "self" {\n\turl = "http://alloy.internal:12345/-/healthy"\n}\n');
    const { url } = await start([cfg]);
    const exported = await eventually(async () => {
      const r = await fetch(url("/api/v0/web/components/remote.http.self"));
      const text = r.status === 200 ? await r.text() : "";
      return text.includes("All Alloy components are healthy.") ? text : undefined;
    }, "remote.http to export the in-memory response");
    expect(exported).toContain("All Alloy components are healthy.");
  });

  test("/-/reload and SIGHUP load the file again; a broken config keeps the previous one and answers 400", async () => {
    const v1 = 'logging {\n\tlevel = "info"\n}\n';
    const cfg = await configFile(v1);
    const { alloy, url } = await start([cfg]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    expect(await configHash(url("/metrics"))).toBe(sha256(v1));

    const v2 = 'logging {\n\tlevel = "warn"\n}\n';
    await writeFile(cfg, v2);
    const reload = await fetch(url("/-/reload"), { method: "POST" });
    expect(reload.status).toBe(200);
    expect(await reload.text()).toBe("config reloaded\n");
    expect(await configHash(url("/metrics"))).toBe(sha256(v2));

    const v3 = 'logging {\n\tlevel = "error"\n}\n';
    await writeFile(cfg, v3);
    alloy.kill("SIGHUP");
    await eventually(async () => ((await configHash(url("/metrics"))) === sha256(v3) ? true : undefined), "the SIGHUP reload");

    await writeFile(cfg, "logging {\n\tlevel = \n");
    const broken = await fetch(url("/-/reload"));
    expect(broken.status).toBe(400);
    const body = await broken.text();
    expect(body).toStartWith(`error during the initial load: ${cfg}:`);
    expect((await fetch(url("/-/ready"))).status).toBe(200);
    const metrics = await (await fetch(url("/metrics"))).text();
    expect(metrics).toContain("alloy_config_last_load_successful 0");
    expect(metrics).toContain("alloy_config_load_failures_total 1");
  });

  test("SIGTERM shuts down with exit code 0 within 5 seconds", async () => {
    const { alloy, url } = await start([await configFile("")]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    const started = performance.now();
    alloy.kill("SIGTERM");
    expect(await alloy.exited).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("a missing config path or a broken first config exits non-zero at once, printing why", async () => {
    const missing = await AlloyProcess.exec(["run", "--server.http.listen-addr=127.0.0.1:0", "/nonexistent/config.alloy"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Error: reading config path "/nonexistent/config.alloy": stat /nonexistent/config.alloy: no such file or directory`);
    const cfg = await configFile("logging {\n\tlevel = \n}\n");
    const broken = await AlloyProcess.exec(["run", "--server.http.listen-addr=127.0.0.1:0", cfg]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`Error: ${cfg}:3:1: `);
    expect(broken.stderr).toContain("3 | }");
    expect(broken.stderr).toContain("Error: could not perform the initial load successfully");
    const noPath = await AlloyProcess.exec(["run"]);
    expect(noPath).toMatchObject({ code: 1, stderr: "Error: accepts 1 arg(s), received 0\n" });
  });

  test.skipIf(!promtool)("promtool check metrics accepts /metrics", async () => {
    const { url } = await start([await configFile("")]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    const text = await (await fetch(url("/metrics"))).text();
    expect(text).toContain("alloy_build_info{");
    expect(text).toContain("process_resident_memory_bytes ");
    const proc = Bun.spawn([promtool!, "check", "metrics"], { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    expect(out + err).toBe("");
    expect(code).toBe(0);
  });

  test("the UI prefix moves the UI and the web API but not /metrics", async () => {
    const { url } = await start(["--server.http.ui-path-prefix=/alloy", await configFile('logging {\n\tlevel = "info"\n}\n')]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    const api = await fetch(url("/alloy/api/v0/web/components"));
    expect(api.status).toBe(200);
    expect(Array.isArray(await api.json())).toBe(true);
    expect((await fetch(url("/api/v0/web/components"))).status).toBe(404);
    const page = await fetch(url("/alloy/"));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<base href="/alloy/"');
    const redirect = await fetch(url("/alloy"), { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/alloy/");
    const metrics = await fetch(url("/metrics"));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("alloy_build_info");
    expect(await (await fetch(url("/alloy/metrics"))).text()).not.toContain("alloy_build_info");
  });
});

describe.skipIf(!canRunBinary)("the alloy executable with an http block", () => {
  test("basic auth from the config guards the endpoints", async () => {
    const cfg = await configFile('http {\n\tauth {\n\t\tbasic {\n\t\t\tusername = "admin"\n\t\t\tpassword = "s3cret"\n\t\t}\n\t}\n}\n');
    const { url } = await start([cfg]);
    const auth = { Authorization: `Basic ${btoa("admin:s3cret")}` };
    await eventually(async () => ((await fetch(url("/-/ready"), { headers: auth })).status === 200 ? true : undefined), "ready");
    const denied = await fetch(url("/metrics"));
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toBe('Basic realm="Restricted"');
    expect((await fetch(url("/metrics"), { headers: auth })).status).toBe(200);
  });
});

const openssl = Bun.which("openssl");

describe.skipIf(!canRunBinary || !openssl)("the alloy executable with http tls", () => {
  test("a tls block moves the listener to HTTPS, and an http block without it moves it back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-e2e-tls-"));
    const gen = Bun.spawnSync(
      [openssl!, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
      { stdout: "ignore", stderr: "pipe" },
    );
    if (!gen.success) throw new Error(`openssl failed: ${gen.stderr.toString()}`);
    const tlsConfig = `http {\n\ttls {\n\t\tcert_file = ${JSON.stringify(join(dir, "cert.pem"))}\n\t\tkey_file  = ${JSON.stringify(join(dir, "key.pem"))}\n\t}\n}\n`;
    const cfg = await configFile(tlsConfig);
    const { alloy, url } = await start([cfg]);
    const https = (p: string) => url(p).replace("http://", "https://");
    const insecure = { tls: { rejectUnauthorized: false } } as RequestInit;
    const ready = await eventually(async () => {
      const r = await fetch(https("/-/ready"), insecure);
      return r.status === 200 ? r.text() : undefined;
    }, "ready over https");
    expect(ready).toBe("Alloy is ready.\n");
    await expect(fetch(url("/-/ready"))).rejects.toBeDefined();

    await writeFile(cfg, "http { }\n");
    const reload = await fetch(https("/-/reload"), insecure);
    expect(reload.status).toBe(200);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "plain http after removing tls");
    expect(alloy.stderr).toContain(`msg="applying non-TLS config to HTTP server"`);
  });
});

describe.skipIf(!canRunBinary || !Bun.which("unzip"))("the alloy executable's support bundle", () => {
  test("/-/support?duration=1 returns a zip with the runtime flags and logs", async () => {
    const { url } = await start([await configFile("")]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    const res = await fetch(url("/-/support?duration=1"));
    expect(res.status).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), "alloy-e2e-bundle-"));
    const file = join(dir, "bundle.zip");
    await writeFile(file, new Uint8Array(await res.arrayBuffer()));
    const read = (name: string) => Bun.spawnSync(["unzip", "-p", file, `alloy-support-bundle/${name}`], { stdout: "pipe" }).stdout.toString();
    const flags = read("alloy-runtime-flags.txt").split("\n");
    expect(flags).toContain("server.http.enable-pprof=true");
    expect(flags).toContain("cluster.rejoin-interval=1m0s");
    expect(flags).toContain("cluster.advertise-interfaces=[eth0,en0]");
    expect(read("alloy-metrics-sample-end.txt")).toContain("alloy_build_info{");
    const disabled = await start(["--server.http.disable-support-bundle", await configFile("")]);
    expect((await fetch(disabled.url("/-/support"))).status).toBe(403);
  });
});

describe.skipIf(!canRunBinary)("the default example config", () => {
  test("moves Alloy's own metrics from the self exporter through scrape, relabel and remote_write into receive_http", async () => {
    // The example's receiver port (12346) is swapped for a free one so test runs cannot collide.
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = probe.port;
    probe.stop(true);
    const example = await Bun.file(new URL("../../../examples/config.alloy", import.meta.url)).text();
    expect(example).toContain("12346");
    const { url } = await start([await configFile(example.replaceAll("12346", String(port)))]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready", 20_000);
    const sent = await eventually(
      async () => {
        const text = await (await fetch(url("/metrics"))).text();
        const samples = /^prometheus_remote_storage_samples_total\{[^}]*component_id="prometheus\.remote_write\.local"[^}]*\} (\d+)/m.exec(text);
        const received = /^prometheus_receive_http_request_duration_seconds_count\{[^}]*status_code="204"[^}]*component_id="prometheus\.receive_http\.local"[^}]*\} (\d+)/m.exec(text);
        return samples && received && Number(samples[1]) > 0 && Number(received[1]) > 0 ? Number(samples[1]) : undefined;
      },
      "samples to reach prometheus.receive_http",
      45_000,
    );
    expect(sent).toBeGreaterThan(0);
    expect((await fetch(url("/-/healthy"))).status).toBe(200);
  }, 90_000);
});

describe.skipIf(!canRunBinary)("live debugging in the executable", () => {
  test("a pushed log line shows up on the component's debug stream and in the graph rates", async () => {
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const apiPort = probe.port;
    probe.stop(true);
    const cfg = await configFile(
      `livedebugging {\n\tenabled = true\n}\n\nloki.source.api "in" {\n\thttp {\n\t\tlisten_address = "127.0.0.1"\n\t\tlisten_port    = ${apiPort}\n\t}\n\tforward_to = [loki.relabel.tag.receiver]\n}\n\n` +
        `loki.relabel "tag" {\n\tforward_to = []\n\n\trule {\n\t\taction       = "replace"\n\t\ttarget_label = "pipeline"\n\t\treplacement  = "e2e"\n\t}\n}\n`,
    );
    const { url } = await start([cfg]);
    await eventually(async () => ((await fetch(url("/-/ready"))).status === 200 ? true : undefined), "ready");
    const debug = new AbortController();
    const graph = new AbortController();
    // The debug stream's headers come with its first event, so the request is not awaited before pushing.
    const debugRes = fetch(url("/api/v0/web/debug/loki.relabel.tag"), { signal: debug.signal });
    const graphRes = fetch(url("/api/v0/web/graph?window=1"), { signal: graph.signal });
    const read = async (pending: Promise<Response>, until: (t: string) => boolean): Promise<string> => {
      const res = await pending;
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let text = "";
      while (!until(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += dec.decode(value);
      }
      return text;
    };
    let seen = false;
    const debugText = read(debugRes, (t) => t.includes("|;|")).finally(() => (seen = true));
    const graphText = read(graphRes, (t) => t.includes("loki_log"));
    // Pushed until the stream shows it: the streams register when their requests arrive.
    while (!seen) {
      const push = await fetch(`http://127.0.0.1:${apiPort}/loki/api/v1/push`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ streams: [{ stream: { job: "t" }, values: [[String(Date.now() * 1_000_000), "hello live debugging"]] }] }),
      });
      expect(push.status).toBe(204);
      await Bun.sleep(200);
    }
    expect(await debugText).toContain('entry: hello live debugging, labels: {job="t"} => {job="t", pipeline="e2e"}|;|');
    const rates = (await graphText).split("|;|").filter(Boolean).flatMap((w) => JSON.parse(w) as Array<{ componentID: string; type: string; rate: number }>);
    expect(rates.find((r) => r.componentID === "loki.relabel.tag" && r.type === "loki_log")?.rate).toBeGreaterThan(0);
    debug.abort();
    graph.abort();
  });
});
