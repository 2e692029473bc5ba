// Flags that are accepted and validated but whose feature this build does not
// have yet; `run` names the ones given on the command line in one log line.

import type { RunOptions } from "./run_flags.ts";

const notInEffect: ReadonlyArray<readonly [flag: string, applies: (o: RunOptions) => boolean]> = [
  // Clustering (and every flag that tunes it) is not built in yet.
  ...[
    "cluster.enabled",
    "cluster.node-name",
    "cluster.advertise-address",
    "cluster.join-addresses",
    "cluster.discover-peers",
    "cluster.advertise-interfaces",
    "cluster.rejoin-interval",
    "cluster.max-join-peers",
    "cluster.name",
    "cluster.enable-tls",
    "cluster.tls-ca-path",
    "cluster.tls-cert-path",
    "cluster.tls-key-path",
    "cluster.tls-server-name",
    "cluster.wait-for-size",
    "cluster.wait-timeout",
  ].map((f) => [f, () => true] as const),
  // There is no usage reporting to switch off.
  ["disable-reporting", () => true],
  ["server.http.enable-graphql", () => true],
  ["server.http.enable-graphql-playground", () => true],
  ["feature.component-shutdown-deadline", () => true],
  ["feature.prometheus.direct-fanout.enabled", () => true],
  // Process priority classes exist only on Windows, as in Alloy.
  ["windows.priority", () => process.platform !== "win32"],
  // Only meaningful when converting, which needs --config.format other than alloy.
  ["config.bypass-conversion-errors", (o) => o.configFormat === "alloy"],
  ["config.extra-args", (o) => o.configFormat === "alloy"],
];

export function inactiveFlagNotice(opts: RunOptions): { message: string; flags: string[] } | undefined {
  const flags = notInEffect.filter(([f, applies]) => opts.changed.has(f) && applies(opts)).map(([f]) => `--${f}`);
  if (flags.length === 0) return undefined;
  return { message: "these flags were accepted but are not in effect in this build", flags };
}
