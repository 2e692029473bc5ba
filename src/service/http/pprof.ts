// /debug/pprof/*: what a Bun process can honestly provide in place of Go's
// net/http/pprof. The CPU profile is JavaScriptCore's sampling profile in pprof
// format (gzipped, as Go serves it); the heap is a V8-format heap snapshot
// (Chrome DevTools opens it); profiles that only exist in Go's runtime answer
// 501 saying so. The profiler and the pprof encoder load with the first
// profile request, not at startup.

import type { Hono } from "hono";

const goOnlyProfiles = ["goroutine", "allocs", "block", "mutex", "threadcreate", "trace", "symbol", "delta_heap", "delta_block", "delta_mutex"];

const indexText = `/debug/pprof/

Profiles available from this Bun process:
  cmdline   the command line, arguments separated by NUL bytes
  heap      a heap snapshot in V8 .heapsnapshot format (open it in Chrome DevTools' Memory tab)
  profile   a CPU profile from JavaScriptCore's sampling profiler in pprof format; ?seconds=N (default 30)

Not available (Go runtime profiles): ${goOnlyProfiles.join(", ")}
`;

const maxProfileSeconds = 300;

export function registerPprofRoutes(app: Hono): void {
  app.all("/debug/pprof", (c) => c.redirect("/debug/pprof/", 301));
  app.all("/debug/pprof/", (c) => c.text(indexText));
  app.all("/debug/pprof/cmdline", (c) => c.text(process.argv.join("\x00")));
  app.all("/debug/pprof/heap", () => {
    const snapshot = Bun.generateHeapSnapshot("v8");
    return new Response(snapshot, {
      headers: {
        "Content-Type": "application/json",
        "Content-Disposition": 'attachment; filename="heap.heapsnapshot"',
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
  app.all("/debug/pprof/profile", async (c) => {
    const raw = c.req.query("seconds");
    const seconds = raw === undefined || raw === "" ? 30 : Number(raw);
    if (!Number.isInteger(seconds) || seconds <= 0 || seconds > maxProfileSeconds) {
      return c.text(`bad seconds ${JSON.stringify(raw)}: must be an integer from 1 to ${maxProfileSeconds}\n`, 400);
    }
    const [{ profile }, { encodeCPUProfile }] = await Promise.all([import("bun:jsc"), import("./pprof_profile.ts")]);
    const startedAt = Date.now();
    const result = await profile(() => Bun.sleep(seconds * 1000), 1000);
    const pprof = Bun.gzipSync(encodeCPUProfile(result.stackTraces, startedAt, Date.now() - startedAt));
    return new Response(pprof, {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": 'attachment; filename="profile"',
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
  app.all("/debug/pprof/*", (c) => {
    const name = c.req.path.slice("/debug/pprof/".length);
    return c.text(
      `profile ${JSON.stringify(name)} is not available: this Alloy runs on Bun, not Go; available profiles are cmdline, heap (V8 heap snapshot) and profile (CPU, pprof format)\n`,
      501,
    );
  });
}
