// `alloy run`'s help and flags; the server itself (run.ts) is loaded only when
// the command runs, so `--version`, `fmt` and `--help` stay light.

import type { Command } from "./cli.ts";
import { parseFlags } from "./flags.ts";
import type { RunDependencies } from "./run.ts";
import { runFlags, runOptionsFromFlags } from "./run_flags.ts";

const runLong = `The run subcommand runs Grafana Alloy in the foreground until an interrupt
is received.

run must be provided an argument pointing at the Alloy configuration
directory or file path to use. If the configuration directory or file path
wasn't specified, can't be loaded, or contains errors, run will exit
immediately.

If path is a directory, all *.alloy files in that directory will be combined
into a single unit. Subdirectories are not recursively searched for further merging.

run starts an HTTP server which can be used to debug Grafana Alloy or
force it to reload (by sending a GET or POST request to /-/reload). The listen
address can be changed through the --server.http.listen-addr flag.

By default, the HTTP server exposes a debugging UI at /. The path of the
debugging UI can be changed by providing a different value to
--server.http.ui-path-prefix.

Additionally, the HTTP server exposes the following debug endpoints:

  /debug/pprof   Bun heap snapshots and CPU profiles

If reloading the config dir/file-path fails, Grafana Alloy will continue running in
its last valid state. Components which failed may be be listed as unhealthy,
depending on the nature of the reload error.`;

export function makeRunCommand(deps: () => Promise<RunDependencies>): Command {
  return {
    name: "run",
    help: { use: "run [flags] path", short: "Run Grafana Alloy with Default Engine", long: runLong, flags: runFlags },
    async run(argv, io) {
      const parsed = parseFlags(runFlags, argv);
      for (const n of parsed.notices) io.stderr(n + "\n");
      const opts = runOptionsFromFlags(parsed);
      const [{ runAlloy }, resolved] = await Promise.all([import("./run.ts"), deps()]);
      return runAlloy(opts, io, resolved);
    },
  };
}
