// The compiled `alloy` executable for end-to-end tests: built once per test run
// (or taken from $ALLOY_BINARY), started as a child process on an ephemeral port.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileAlloy } from "../../../build.ts";

let built: Promise<string> | undefined;

/** Path of the executable; builds linux-x64 into a temp dir unless ALLOY_BINARY names one. */
export function alloyBinary(): Promise<string> {
  const given = process.env.ALLOY_BINARY;
  if (given) return Promise.resolve(given);
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "alloy-e2e-bin-"));
    const outfile = join(dir, "alloy");
    const result = await compileAlloy("linux-x64", outfile);
    if (!result.success) throw new Error(`building the alloy executable failed:\n${result.logs.map(String).join("\n")}`);
    return outfile;
  })();
  return built;
}

/** The end-to-end tests build and run a linux-x64 executable. */
export const canRunBinary = (process.platform === "linux" && process.arch === "x64") || process.env.ALLOY_BINARY !== undefined;

export class AlloyProcess {
  stderr = "";
  stdout = "";
  readonly exited: Promise<number>;
  private constructor(readonly proc: Bun.Subprocess<"ignore", "pipe", "pipe">) {
    const drain = async (stream: ReadableStream<Uint8Array>, into: "stdout" | "stderr") => {
      const dec = new TextDecoder();
      for await (const chunk of stream) this[into] += dec.decode(chunk, { stream: true });
    };
    const drained = Promise.all([drain(proc.stdout, "stdout"), drain(proc.stderr, "stderr")]);
    this.exited = proc.exited.then(async (code) => {
      await drained;
      return code;
    });
  }

  /** The port given to --server.http.listen-addr. */
  port = 0;

  static async start(args: string[], cwd?: string): Promise<AlloyProcess> {
    const bin = await alloyBinary();
    const storage = await mkdtemp(join(tmpdir(), "alloy-e2e-data-"));
    // Log lines are held back until the first load is done (as Alloy does), so the
    // port is chosen here rather than read from the log: the /-/ready test needs it before.
    const port = freePort();
    const proc = Bun.spawn([bin, ...args.slice(0, 1), `--server.http.listen-addr=127.0.0.1:${port}`, `--storage.path=${storage}`, ...args.slice(1)], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      // Away from the repository, so nothing embedded can be read from the source tree by accident.
      cwd: cwd ?? storage,
    });
    const p = new AlloyProcess(proc);
    p.port = port;
    return p;
  }

  /** Runs the executable to completion (for commands that do not serve). */
  static async exec(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const bin = await alloyBinary();
    const proc = Bun.spawn([bin, ...args], { stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe", cwd: tmpdir() });
    const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    return { code, stdout, stderr };
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Waits until stderr matches `re` (or the process exits) and returns the match. */
  async waitForLog(re: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const m = this.stderr.match(re);
      if (m) return m;
      if (exited) throw new Error(`alloy exited before logging ${re}:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in:\n${this.stderr}`);
      await Bun.sleep(10);
    }
  }

  /** The base URL, once the server accepts connections. */
  async baseURL(): Promise<string> {
    const base = `http://127.0.0.1:${this.port}`;
    let exited = false;
    void this.exited.then(() => (exited = true));
    await eventually(async () => {
      if (exited) throw new Error(`alloy exited:\n${this.stderr}`);
      // A TCP connect, since the listener may speak TLS.
      const socket = await Bun.connect({ hostname: "127.0.0.1", port: this.port, socket: { data() {} } });
      socket.end();
      return true;
    }, "the HTTP server to accept connections");
    return base;
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    this.proc.kill(signal);
  }
}

/** A port nothing listens on right now (bound and released). */
function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** Polls `probe` until it returns a value, or throws after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await Bun.sleep(20);
  }
}
