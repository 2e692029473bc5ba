// `bun build --compile` must carry the UI inside the executable: run it where nothing else is.
import { afterAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { uiFiles } from "../../../src/service/ui/assets.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test("a compiled executable serves the embedded UI with nothing beside it", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "alloy-ui-compiled-"));
  dirs.push(dir);
  const exe = path.join(dir, "serve-ui");
  const entry = path.resolve(import.meta.dir, "../../fixtures/ui/serve-ui.ts");
  const build = Bun.spawnSync([process.execPath, "build", "--compile", entry, "--outfile", exe], { stderr: "pipe", stdout: "pipe" });
  expect(build.stderr.toString()).not.toContain("error");
  expect(build.success).toBe(true);

  const cwd = await mkdtemp(path.join(os.tmpdir(), "alloy-ui-cwd-"));
  dirs.push(cwd);
  const child = Bun.spawn([exe, "/alloy"], { cwd, stdout: "pipe", stderr: "pipe", env: { PATH: "/usr/bin:/bin" } });
  try {
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`serve-ui exited: ${await new Response(child.stderr).text()}`);
      out += new TextDecoder().decode(value);
    }
    const base = `http://127.0.0.1:${out.trim()}`;
    const index = await fetch(`${base}/alloy/graph`);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('<base href="/alloy/">');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${base}/alloy/${script}`);
    expect(js.status).toBe(200);
    expect(await js.text()).toBe(uiFiles[script!]!.body);
    expect((await fetch(`${base}/alloy`, { redirect: "manual" })).headers.get("location")).toBe("/alloy/");
  } finally {
    child.kill();
    await child.exited;
  }
}, 120_000);
