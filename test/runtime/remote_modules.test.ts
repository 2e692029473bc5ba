import { afterEach, beforeEach, expect, test } from "bun:test";
import * as fs from "node:fs";
import { join } from "node:path";
import git from "isomorphic-git";
import { resetCounters } from "./testcomponents.ts";
import { tempDir, testRuntime, waitFor, type TestRuntime } from "./helpers.ts";

let rt: TestRuntime | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;
beforeEach(() => resetCounters());
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  await server?.stop(true);
  server = undefined;
});

function output(id: string): unknown {
  const e = rt!.component(id)?.exports.find((s) => (s as { name: string }).name === "output") as { value: { value: unknown } } | undefined;
  return e?.value.value;
}

const mod = (v: string) => `declare "d" {\n  export "v" { value = "${v}" }\n}\n`;

test("import.http hot-reloads a module when the server's content changes", async () => {
  let body = mod("first");
  let hits = 0;
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      hits++;
      return new Response(body);
    },
  });
  rt = testRuntime();
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `import.http "h" {\n  url = "http://127.0.0.1:${server.port}/mod.alloy"\n  poll_frequency = "20ms"\n}\nh.d "x" {}\ntest.pass "o" { input = h.d.x.v }\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(output("test.pass.o")).toBe("first");
  body = mod("second");
  await waitFor(() => output("test.pass.o") === "second", 5000, "http module change");
  expect(hits).toBeGreaterThan(1);
});

test("import.git reads a module from a local repository at a branch, and follows new commits", async () => {
  const work = tempDir();
  fs.mkdirSync(join(work, "modules"));
  fs.writeFileSync(join(work, "modules", "m.alloy"), mod("v1"));
  await git.init({ fs, dir: work, defaultBranch: "main" });
  await git.add({ fs, dir: work, filepath: "modules/m.alloy" });
  const author = { name: "t", email: "t@example.com" };
  await git.commit({ fs, dir: work, message: "one", author });
  rt = testRuntime();
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `import.git "g" {\n  repository = "${work}"\n  revision = "main"\n  path = "modules/m.alloy"\n  pull_frequency = "20ms"\n}\ng.d "x" {}\ntest.pass "o" { input = g.d.x.v }\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(output("test.pass.o")).toBe("v1");
  fs.writeFileSync(join(work, "modules", "m.alloy"), mod("v2"));
  await git.add({ fs, dir: work, filepath: "modules/m.alloy" });
  await git.commit({ fs, dir: work, message: "two", author });
  await waitFor(() => output("test.pass.o") === "v2", 5000, "git module change");
});

test("import.git works against a bare repository updated by pushes", async () => {
  const work = tempDir();
  const bare = tempDir();
  const sh = (args: string[], cwd: string) => {
    const r = Bun.spawnSync(["git", ...args], { cwd, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
    if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  };
  sh(["init", "--bare", "-b", "main", bare], bare);
  sh(["init", "-b", "main", work], work);
  fs.writeFileSync(join(work, "m.alloy"), mod("bare1"));
  sh(["add", "m.alloy"], work);
  sh(["commit", "-m", "one"], work);
  sh(["push", bare, "main"], work);
  sh(["tag", "v1.0"], work);
  sh(["push", bare, "v1.0"], work);
  rt = testRuntime();
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `import.git "g" {\n  repository = "${bare}"\n  revision = "main"\n  path = "m.alloy"\n  pull_frequency = "20ms"\n}\nimport.git "t" {\n  repository = "${bare}"\n  revision = "v1.0"\n  path = "m.alloy"\n}\ng.d "x" {}\nt.d "y" {}\ntest.pass "o" { input = g.d.x.v }\ntest.pass "p" { input = t.d.y.v }\n`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  expect(output("test.pass.o")).toBe("bare1");
  fs.writeFileSync(join(work, "m.alloy"), mod("bare2"));
  sh(["commit", "-am", "two"], work);
  sh(["push", bare, "main"], work);
  await waitFor(() => output("test.pass.o") === "bare2", 5000, "bare repo change");
  expect(output("test.pass.p")).toBe("bare1");
});
