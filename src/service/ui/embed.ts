// A Bun macro: imported `with { type: "macro" }`, it runs when the importing file is transpiled —
// by `bun build --compile` (so the bundle is inlined into the executable), and equally when
// running from source or under `bun test`. Bun.build cannot run inside a macro, so the bundle
// is made by a child Bun process.
import type { UIFiles } from "./bundle.ts";

export function embedUI(): UIFiles {
  const script = new URL("./bundle.ts", import.meta.url).pathname;
  const child = Bun.spawnSync([process.execPath, script], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (!child.success) {
    throw new Error(`bundling the UI (${script}) failed:\n${child.stderr.toString()}`);
  }
  return JSON.parse(child.stdout.toString()) as UIFiles;
}
