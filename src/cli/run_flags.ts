// The flags of `alloy run`, with Alloy's names, defaults and help texts
// (internal/alloycli/cmd_run.go), and their translation into RunOptions.

import type { StabilityLevel } from "../syntax/value.ts";
import { FlagError, flagSummary, goQuote, type FlagSpec, type ParsedFlags } from "./flags.ts";

export const stabilityLevels: readonly StabilityLevel[] = ["generally-available", "public-preview", "experimental"];
export const configFormats = ["alloy", "otelcol", "prometheus", "promtail", "static"] as const;
export type ConfigFormat = (typeof configFormats)[number];
export const windowsPriorities = ["normal", "above_normal", "below_normal", "high", "idle", "realtime"] as const;

const quotedList = (xs: readonly string[]): string => xs.map((x) => goQuote(x)).join(", ");

export const stabilityFlag: FlagSpec = {
  name: "stability.level",
  kind: "string",
  typeName: "<stability_level>",
  default: "generally-available",
  usage: `Minimum stability level of features to enable. Supported values: ${quotedList(stabilityLevels)}`,
  validate: (raw) =>
    (stabilityLevels as readonly string[]).includes(raw)
      ? undefined
      : `invalid stability level ${goQuote(raw)} (supported values: ${quotedList(stabilityLevels)})`,
};

export const configFlags: FlagSpec[] = [
  {
    name: "config.format",
    kind: "string",
    default: "alloy",
    usage: `The format of the source file. Supported formats: ${quotedList(configFormats)}.`,
    validate: (raw) =>
      (configFormats as readonly string[]).includes(raw)
        ? undefined
        : `unsupported format ${goQuote(raw)} (supported formats: ${quotedList(configFormats)})`,
  },
  {
    name: "config.bypass-conversion-errors",
    kind: "bool",
    default: false,
    usage: "Enable bypassing errors when converting",
  },
  {
    name: "config.extra-args",
    kind: "string",
    default: "",
    usage:
      "Extra arguments from the original format used by the converter. Multiple arguments can be passed by separating them with a space.",
  },
];

export const communityComponentsFlag: FlagSpec = {
  name: "feature.community-components.enabled",
  kind: "bool",
  default: false,
  usage: "Enable community components.",
};

const hostPort = (raw: string): string | undefined => splitHostPortError(raw);

export const runFlags: FlagSpec[] = [
  // Server
  { name: "server.http.listen-addr", kind: "string", default: "127.0.0.1:12345", usage: "Address to listen for HTTP traffic on", validate: hostPort },
  {
    name: "server.http.memory-addr",
    kind: "string",
    default: "alloy.internal:12345",
    usage: "Address to listen for in-memory HTTP traffic on. Change if it collides with a real address",
    validate: hostPort,
  },
  {
    name: "server.http.ui-path-prefix",
    kind: "string",
    default: "/",
    usage: "Prefix to serve the HTTP UI at",
    validate: (raw) => (raw.startsWith("/") ? undefined : `path prefix must start with "/"`),
  },
  { name: "server.http.enable-pprof", kind: "bool", default: true, usage: "Enable /debug/pprof profiling endpoints." },
  { name: "server.http.disable-support-bundle", kind: "bool", default: false, usage: "Disable /-/support support bundle retrieval." },
  { name: "server.http.enable-graphql", kind: "bool", default: false, usage: "Enable the GraphQL API" },
  { name: "server.http.enable-graphql-playground", kind: "bool", default: false, usage: "Enable the GraphQL playground UI (/graphql/playground)" },
  // Cluster
  { name: "cluster.enabled", kind: "bool", default: false, usage: "Start in clustered mode" },
  { name: "cluster.node-name", kind: "string", default: "", usage: "The name to use for this node" },
  { name: "cluster.advertise-address", kind: "string", default: "", usage: "Address to advertise to the cluster" },
  { name: "cluster.join-addresses", kind: "string", default: "", usage: "Comma-separated list of addresses to join the cluster at" },
  { name: "cluster.discover-peers", kind: "string", default: "", usage: "List of key-value tuples for discovering peers" },
  { name: "cluster.advertise-interfaces", kind: "strings", default: ["eth0", "en0"], usage: "List of interfaces used to infer an address to advertise" },
  { name: "cluster.rejoin-interval", kind: "duration", default: 60_000, usage: "How often to rejoin the list of peers" },
  { name: "cluster.max-join-peers", kind: "int", default: 5, usage: "Number of peers to join from the discovered set" },
  { name: "cluster.name", kind: "string", default: "", usage: "The name of the cluster to join" },
  { name: "cluster.enable-tls", kind: "bool", default: false, usage: "Specifies whether TLS should be used for communication between peers" },
  { name: "cluster.tls-ca-path", kind: "string", default: "", usage: "Path to the CA certificate file" },
  { name: "cluster.tls-cert-path", kind: "string", default: "", usage: "Path to the certificate file" },
  { name: "cluster.tls-key-path", kind: "string", default: "", usage: "Path to the key file" },
  { name: "cluster.tls-server-name", kind: "string", default: "", usage: "Server name to use for TLS communication" },
  {
    name: "cluster.wait-for-size",
    kind: "int",
    default: 0,
    usage:
      "Wait for the cluster to reach the specified number of instances before allowing components that use clustering to begin processing. Zero means disabled",
  },
  {
    name: "cluster.wait-timeout",
    kind: "duration",
    default: 0,
    usage: "Maximum duration to wait for minimum cluster size before proceeding with available nodes. Zero means wait forever, no timeout",
  },
  // Config
  ...configFlags,
  // Misc
  { name: "disable-reporting", kind: "bool", default: false, usage: "Disable reporting of enabled components to Grafana." },
  { name: "storage.path", kind: "string", default: "data-alloy/", usage: "Base directory where components can store data" },
  stabilityFlag,
  {
    name: "windows.priority",
    kind: "string",
    default: "normal",
    usage: `Process priority to use when running on windows. This flag is currently in public preview. Supported values: ${windowsPriorities.join(", ")}`,
    validate: (raw) =>
      (windowsPriorities as readonly string[]).includes(raw)
        ? undefined
        : `invalid priority: ${raw} (supported values: ${windowsPriorities.join(", ")})`,
  },
  // Features
  communityComponentsFlag,
  {
    name: "feature.component-shutdown-deadline",
    kind: "duration",
    default: 600_000,
    usage: "Maximum duration to wait for a component to shut down before giving up and logging an error",
  },
  {
    name: "feature.prometheus.direct-fanout.enabled",
    kind: "bool",
    default: false,
    usage: "Enable experimental direct fanout for metric forwarding without a global label store",
  },
  // Deprecated no-ops, kept so old command lines still start.
  { name: "cluster.use-discovery-v1", kind: "bool", default: false, usage: "This flag is deprecated and has no effect.", deprecated: "This flag is deprecated and has no effect." },
  {
    name: "feature.prometheus.metric-validation-scheme",
    kind: "bool",
    default: false,
    usage: "This flag is deprecated and has no effect.",
    deprecated: "This flag is deprecated and has no effect.",
  },
];

export interface ClusterOptions {
  enabled: boolean;
  nodeName: string;
  advertiseAddress: string;
  joinAddresses: string[];
  discoverPeers: string;
  advertiseInterfaces: string[];
  rejoinIntervalMs: number;
  maxJoinPeers: number;
  name: string;
  enableTLS: boolean;
  tlsCAPath: string;
  tlsCertPath: string;
  tlsKeyPath: string;
  tlsServerName: string;
  waitForSize: number;
  waitTimeoutMs: number;
}

export interface RunOptions {
  configPath: string;
  listenAddr: string;
  memoryAddr: string;
  uiPathPrefix: string;
  enablePprof: boolean;
  disableSupportBundle: boolean;
  enableGraphQL: boolean;
  enableGraphQLPlayground: boolean;
  cluster: ClusterOptions;
  configFormat: ConfigFormat;
  configBypassConversionErrors: boolean;
  configExtraArgs: string;
  disableReporting: boolean;
  storagePath: string;
  stability: StabilityLevel;
  windowsPriority: string;
  communityComponents: boolean;
  componentShutdownDeadlineMs: number;
  directFanout: boolean;
  /** Flags given on the command line, by name (to report the ones not in effect). */
  changed: ReadonlySet<string>;
  /** `name=value` of every flag, for the support bundle. */
  flagSummary: string[];
}

/** Turns parsed `run` flags into options, applying Alloy's cross-flag checks. */
export function runOptionsFromFlags(parsed: ParsedFlags): RunOptions {
  const v = parsed.values;
  const str = (n: string): string => v.get(n) as string;
  const bool = (n: string): boolean => v.get(n) as boolean;
  const num = (n: string): number => v.get(n) as number;
  if (parsed.args.length !== 1) throw new FlagError(`accepts 1 arg(s), received ${parsed.args.length}`);
  const configPath = parsed.args[0]!;
  if (configPath === "") throw new FlagError("path argument not provided");

  const stability = str("stability.level") as StabilityLevel;
  const opts: RunOptions = {
    configPath,
    listenAddr: str("server.http.listen-addr"),
    memoryAddr: str("server.http.memory-addr"),
    uiPathPrefix: str("server.http.ui-path-prefix"),
    enablePprof: bool("server.http.enable-pprof"),
    disableSupportBundle: bool("server.http.disable-support-bundle"),
    enableGraphQL: bool("server.http.enable-graphql"),
    enableGraphQLPlayground: bool("server.http.enable-graphql-playground"),
    cluster: {
      enabled: bool("cluster.enabled"),
      nodeName: str("cluster.node-name"),
      advertiseAddress: str("cluster.advertise-address"),
      joinAddresses: str("cluster.join-addresses") === "" ? [] : str("cluster.join-addresses").split(","),
      discoverPeers: str("cluster.discover-peers"),
      advertiseInterfaces: v.get("cluster.advertise-interfaces") as string[],
      rejoinIntervalMs: num("cluster.rejoin-interval"),
      maxJoinPeers: num("cluster.max-join-peers"),
      name: str("cluster.name"),
      enableTLS: bool("cluster.enable-tls"),
      tlsCAPath: str("cluster.tls-ca-path"),
      tlsCertPath: str("cluster.tls-cert-path"),
      tlsKeyPath: str("cluster.tls-key-path"),
      tlsServerName: str("cluster.tls-server-name"),
      waitForSize: num("cluster.wait-for-size"),
      waitTimeoutMs: num("cluster.wait-timeout"),
    },
    configFormat: str("config.format") as ConfigFormat,
    configBypassConversionErrors: bool("config.bypass-conversion-errors"),
    configExtraArgs: str("config.extra-args"),
    disableReporting: bool("disable-reporting"),
    storagePath: str("storage.path"),
    stability,
    windowsPriority: str("windows.priority"),
    communityComponents: bool("feature.community-components.enabled"),
    componentShutdownDeadlineMs: num("feature.component-shutdown-deadline"),
    directFanout: bool("feature.prometheus.direct-fanout.enabled"),
    changed: parsed.changed,
    flagSummary: flagSummary(runFlags, v),
  };
  checkRunOptions(opts);
  return opts;
}

function checkRunOptions(opts: RunOptions): void {
  if (opts.stability !== "experimental") {
    const errMsg = "can only be used at experimental stability level. Use --stability.level=experimental to enable.";
    if (opts.directFanout) throw new FlagError(`'--feature.prometheus.direct-fanout.enabled' ${errMsg}`);
    if (opts.enableGraphQL) throw new FlagError(`'--server.http.enable-graphql' ${errMsg}`);
    if (opts.enableGraphQLPlayground) throw new FlagError(`'--server.http.enable-graphql-playground' ${errMsg}`);
  }
  const c = opts.cluster;
  if (c.joinAddresses.length > 0 && c.discoverPeers !== "") {
    throw new FlagError(
      `at most one of join peers and discover peers may be set, got join peers [${c.joinAddresses.map(goQuote).join(" ")}] and discover peers ${goQuote(c.discoverPeers)}`,
    );
  }
  if (c.maxJoinPeers < 0) throw new FlagError(`invalid argument "${c.maxJoinPeers}" for "--cluster.max-join-peers" flag: must not be negative`);
  if (c.waitForSize < 0) throw new FlagError(`invalid argument "${c.waitForSize}" for "--cluster.wait-for-size" flag: must not be negative`);
  if (c.advertiseAddress !== "" && splitHostPortError(c.advertiseAddress) !== undefined && !isHost(c.advertiseAddress)) {
    throw new FlagError(`invalid argument ${goQuote(c.advertiseAddress)} for "--cluster.advertise-address" flag: not a host or host:port`);
  }
  if (opts.windowsPriority !== "normal" && process.platform === "win32" && opts.stability === "generally-available") {
    throw new FlagError(
      `Windows process priority is at stability level "public-preview", which is below the minimum allowed stability level "generally-available". Use --stability.level command-line flag to enable "public-preview" features`,
    );
  }
}

function isHost(s: string): boolean {
  return /^[A-Za-z0-9.-]+$/.test(s) || /^\[?[0-9A-Fa-f:.]+\]?$/.test(s);
}

/** Go's net.SplitHostPort error text for an address, undefined when valid. */
export function splitHostPortError(addr: string): string | undefined {
  const missingPort = `address ${addr}: missing port in address`;
  let host: string;
  let port: string;
  if (addr.startsWith("[")) {
    const end = addr.indexOf("]");
    if (end < 0) return `address ${addr}: missing ']' in address`;
    if (end + 1 === addr.length) return missingPort;
    if (addr[end + 1] !== ":") return `address ${addr}: missing port in address`;
    host = addr.slice(1, end);
    port = addr.slice(end + 2);
  } else {
    const i = addr.lastIndexOf(":");
    if (i < 0) return missingPort;
    host = addr.slice(0, i);
    port = addr.slice(i + 1);
    if (host.includes(":")) return `address ${addr}: too many colons in address`;
  }
  if (!/^[0-9]*$/.test(port) || (port !== "" && Number(port) > 65535)) return `address ${addr}: invalid port ${goQuote(port)}`;
  void host;
  return undefined;
}

/** Host and numeric port of a validated `host:port` (empty host means all interfaces). */
export function splitHostPort(addr: string): { host: string; port: number } {
  if (addr.startsWith("[")) {
    const end = addr.indexOf("]");
    return { host: addr.slice(1, end), port: Number(addr.slice(end + 2) || "0") };
  }
  const i = addr.lastIndexOf(":");
  return { host: addr.slice(0, i), port: Number(addr.slice(i + 1) || "0") };
}
