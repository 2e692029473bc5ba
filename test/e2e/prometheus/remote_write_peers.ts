// Real peers for the remote write end-to-end tests: Debian's Prometheus (server
// with the remote-write receiver, or as a remote-writing scraper) and the compiled
// alloy binary with a storage path that outlives one process.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { alloyBinary } from "../binary/alloy_process.ts";

export const prometheusBin: string | undefined = Bun.which("prometheus") ?? (Bun.file("/usr/bin/prometheus").size > 0 ? "/usr/bin/prometheus" : undefined);

export const canRunPeers = prometheusBin !== undefined && ((process.platform === "linux" && process.arch === "x64") || process.env.ALLOY_BINARY !== undefined);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `cond` until true, or throws naming `what` after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string, every = 100): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      if (await cond()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms}ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await Bun.sleep(every);
  }
}

export class PrometheusProcess {
  proc: ChildProcess | undefined;
  log = "";

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly flags: string[],
  ) {}

  static async start(dir: string, config: string, flags: string[] = [], port?: number): Promise<PrometheusProcess> {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "prometheus.yml"), config);
    const p = new PrometheusProcess(dir, port ?? (await freePort()), flags);
    await p.restart();
    return p;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and data directory, and waits until ready. */
  async restart(): Promise<void> {
    this.proc = spawn(
      prometheusBin!,
      [`--config.file=${join(this.dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(this.dir, "data")}`, `--web.listen-address=127.0.0.1:${this.port}`, ...this.flags],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    this.proc.stderr!.on("data", (c: Buffer) => (this.log = (this.log + c.toString()).slice(-20000)));
    await until(async () => (await fetch(`${this.base}/-/ready`)).ok, 30_000, `prometheus on ${this.port} to be ready:\n${this.log}`);
  }

  /** Graceful stop; resolves once the process exited. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (p === undefined || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    await exited;
  }

  kill(): void {
    this.proc?.kill("SIGKILL");
  }

  async query(q: string, time?: number): Promise<PromResult[]> {
    const t = time !== undefined ? `&time=${time / 1000}` : "";
    const res = await fetch(`${this.base}/api/v1/query?query=${encodeURIComponent(q)}${t}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: PromResult[] } };
    if (body.status !== "success") throw new Error(`query ${q}: ${body.error}`);
    return body.data.result;
  }
}

export interface PromResult {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export class AlloyRun {
  stderr = "";
  readonly exited: Promise<number>;

  private constructor(readonly proc: Bun.Subprocess<"ignore", "pipe", "pipe">) {
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      const dec = new TextDecoder();
      for await (const chunk of stream) this.stderr += dec.decode(chunk, { stream: true });
    };
    const drained = Promise.all([drain(proc.stderr), drain(proc.stdout)]);
    this.exited = proc.exited.then(async (c) => {
      await drained;
      return c;
    });
  }

  /** Runs `alloy run <configFile>` with the given storage path. */
  static async start(configFile: string, storage: string): Promise<AlloyRun> {
    const bin = await alloyBinary();
    const proc = Bun.spawn([bin, "run", configFile, "--server.http.listen-addr=127.0.0.1:0", `--storage.path=${storage}`], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    return new AlloyRun(proc);
  }

  async baseURL(): Promise<string> {
    let m: RegExpMatchArray | null = null;
    await until(() => (m = this.stderr.match(/msg="now listening for http traffic".* addr=([0-9.]+:\d+)/)) !== null, 20_000, `alloy to listen:\n${this.stderr}`, 20);
    return `http://${m![1]}`;
  }

  async metrics(): Promise<string> {
    return (await fetch(`${await this.baseURL()}/metrics`)).text();
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    this.proc.kill(signal);
  }
}
