import { describe, expect, test } from "bun:test";
import { main } from "../../src/cli/cli.ts";
import { parseFlags } from "../../src/cli/flags.ts";
import { runFlags, runOptionsFromFlags } from "../../src/cli/run_flags.ts";
import { captureIO } from "./capture_io.ts";

function runOpts(...argv: string[]) {
  return runOptionsFromFlags(parseFlags(runFlags, argv));
}

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe("alloy run flags", () => {
  test("defaults are Alloy's", () => {
    const o = runOpts("config.alloy");
    expect(o.configPath).toBe("config.alloy");
    expect(o.listenAddr).toBe("127.0.0.1:12345");
    expect(o.memoryAddr).toBe("alloy.internal:12345");
    expect(o.uiPathPrefix).toBe("/");
    expect(o.enablePprof).toBe(true);
    expect(o.storagePath).toBe("data-alloy/");
    expect(o.stability).toBe("generally-available");
    expect(o.configFormat).toBe("alloy");
    expect(o.cluster.advertiseInterfaces).toEqual(["eth0", "en0"]);
    expect(o.cluster.rejoinIntervalMs).toBe(60_000);
    expect(o.cluster.maxJoinPeers).toBe(5);
    expect(o.componentShutdownDeadlineMs).toBe(600_000);
    expect(o.windowsPriority).toBe("normal");
    expect(o.changed.size).toBe(0);
  });

  test("--flag=value and --flag value are the same", () => {
    expect(runOpts("--server.http.listen-addr=0.0.0.0:1", "x").listenAddr).toBe("0.0.0.0:1");
    expect(runOpts("--server.http.listen-addr", "0.0.0.0:1", "x").listenAddr).toBe("0.0.0.0:1");
  });

  test("flags may follow the path, and -- ends the flags", () => {
    const o = runOpts("x", "--storage.path=/tmp/d");
    expect(o.storagePath).toBe("/tmp/d");
    expect(o.configPath).toBe("x");
    expect(runOpts("--", "--odd-name.alloy").configPath).toBe("--odd-name.alloy");
  });

  test("booleans accept --flag, --flag=true|false and Go's other spellings", () => {
    expect(runOpts("--server.http.enable-pprof=false", "x").enablePprof).toBe(false);
    expect(runOpts("--server.http.enable-pprof=0", "x").enablePprof).toBe(false);
    expect(runOpts("--cluster.enabled", "x").cluster.enabled).toBe(true);
    expect(runOpts("--cluster.enabled=T", "x").cluster.enabled).toBe(true);
    // A bool flag never takes the next argument as its value (pflag), so `false` is the path here.
    expect(runOpts("--cluster.enabled", "false").configPath).toBe("false");
  });

  test("durations, ints and lists are parsed like Go", () => {
    const o = runOpts("--cluster.rejoin-interval=1m30s", "--cluster.max-join-peers=0x10", "--cluster.advertise-interfaces=eth1,eth2", "x");
    expect(o.cluster.rejoinIntervalMs).toBe(90_000);
    expect(o.cluster.maxJoinPeers).toBe(16);
    expect(o.cluster.advertiseInterfaces).toEqual(["eth1", "eth2"]);
    expect(runOpts("--cluster.advertise-interfaces=a", "--cluster.advertise-interfaces=b", "x").cluster.advertiseInterfaces).toEqual(["a", "b"]);
    expect(runOpts("--feature.component-shutdown-deadline=1.5h", "x").componentShutdownDeadlineMs).toBe(5_400_000);
  });

  test("the given flags are recorded", () => {
    expect([...runOpts("--disable-reporting", "--cluster.name=c", "x").changed].sort()).toEqual(["cluster.name", "disable-reporting"]);
  });

  const invalid: Array<[string[], string]> = [
    [["--cluster.max-join-peers=abc", "x"], `Error: invalid argument "abc" for "--cluster.max-join-peers" flag: strconv.ParseInt: parsing "abc": invalid syntax`],
    [["--cluster.wait-for-size=1.5", "x"], `Error: invalid argument "1.5" for "--cluster.wait-for-size" flag: strconv.ParseInt: parsing "1.5": invalid syntax`],
    [["--cluster.max-join-peers=-1", "x"], `Error: invalid argument "-1" for "--cluster.max-join-peers" flag: must not be negative`],
    [["--cluster.rejoin-interval=5x", "x"], `Error: invalid argument "5x" for "--cluster.rejoin-interval" flag: time: unknown unit "x" in duration "5x"`],
    [["--cluster.wait-timeout=10", "x"], `Error: invalid argument "10" for "--cluster.wait-timeout" flag: time: missing unit in duration "10"`],
    [["--feature.component-shutdown-deadline=soon", "x"], `Error: invalid argument "soon" for "--feature.component-shutdown-deadline" flag: time: invalid duration "soon"`],
    [["--cluster.enabled=maybe", "x"], `Error: invalid argument "maybe" for "--cluster.enabled" flag: strconv.ParseBool: parsing "maybe": invalid syntax`],
    [
      ["--stability.level=beta", "x"],
      `Error: invalid argument "beta" for "--stability.level" flag: invalid stability level "beta" (supported values: "generally-available", "public-preview", "experimental")`,
    ],
    [
      ["--config.format=yaml", "x"],
      `Error: invalid argument "yaml" for "--config.format" flag: unsupported format "yaml" (supported formats: "alloy", "otelcol", "prometheus", "promtail", "static")`,
    ],
    [
      ["--windows.priority=turbo", "x"],
      `Error: invalid argument "turbo" for "--windows.priority" flag: invalid priority: turbo (supported values: normal, above_normal, below_normal, high, idle, realtime)`,
    ],
    [["--server.http.listen-addr=localhost", "x"], `Error: invalid argument "localhost" for "--server.http.listen-addr" flag: address localhost: missing port in address`],
    [["--server.http.listen-addr=1.2.3.4:99999", "x"], `Error: invalid argument "1.2.3.4:99999" for "--server.http.listen-addr" flag: address 1.2.3.4:99999: invalid port "99999"`],
    [["--server.http.memory-addr=a:b:c", "x"], `Error: invalid argument "a:b:c" for "--server.http.memory-addr" flag: address a:b:c: too many colons in address`],
    [["--server.http.ui-path-prefix=ui", "x"], `Error: invalid argument "ui" for "--server.http.ui-path-prefix" flag: path prefix must start with "/"`],
    [["--no-cluster.enabled", "x"], "Error: unknown flag: --no-cluster.enabled"],
    [["--bogus", "x"], "Error: unknown flag: --bogus"],
    [["-z", "x"], "Error: unknown shorthand flag: 'z' in -z"],
    [["x", "--storage.path"], "Error: flag needs an argument: --storage.path"],
    [[], "Error: accepts 1 arg(s), received 0"],
    [["a", "b"], "Error: accepts 1 arg(s), received 2"],
    [
      ["--cluster.join-addresses=10.0.0.1:12345", "--cluster.discover-peers=provider=k8s", "x"],
      `Error: at most one of join peers and discover peers may be set, got join peers ["10.0.0.1:12345"] and discover peers "provider=k8s"`,
    ],
    [
      ["--feature.prometheus.direct-fanout.enabled", "x"],
      "Error: '--feature.prometheus.direct-fanout.enabled' can only be used at experimental stability level. Use --stability.level=experimental to enable.",
    ],
    [["--server.http.enable-graphql", "x"], "Error: '--server.http.enable-graphql' can only be used at experimental stability level. Use --stability.level=experimental to enable."],
    [
      ["--server.http.enable-graphql-playground", "--stability.level=public-preview", "x"],
      "Error: '--server.http.enable-graphql-playground' can only be used at experimental stability level. Use --stability.level=experimental to enable.",
    ],
  ];
  for (const [argv, message] of invalid) {
    test(`rejects ${argv.join(" ") || "no arguments"}`, async () => {
      const r = await cli("run", ...argv);
      expect(r.code).toBe(1);
      expect(r.err).toBe(message + "\n");
      expect(r.out).toBe("");
    });
  }

  test("experimental-only flags are accepted at --stability.level=experimental", () => {
    const o = runOpts("--stability.level=experimental", "--feature.prometheus.direct-fanout.enabled", "--server.http.enable-graphql", "x");
    expect(o.directFanout).toBe(true);
    expect(o.enableGraphQL).toBe(true);
  });

  test("deprecated no-op flags are accepted with pflag's notice", () => {
    const parsed = parseFlags(runFlags, ["--cluster.use-discovery-v1", "--feature.prometheus.metric-validation-scheme=true", "x"]);
    expect(parsed.notices).toEqual([
      "Flag --cluster.use-discovery-v1 has been deprecated, This flag is deprecated and has no effect.",
      "Flag --feature.prometheus.metric-validation-scheme has been deprecated, This flag is deprecated and has no effect.",
    ]);
    expect(runOptionsFromFlags(parsed).configPath).toBe("x");
  });
});

describe("help and version", () => {
  test("alloy run --help lists every run flag with its default", async () => {
    const r = await cli("run", "--help");
    expect(r.code).toBe(0);
    for (const f of runFlags) {
      const flagSection = r.out.slice(r.out.indexOf("\nFlags:\n"));
      const line = flagSection.split("\n").find((l) => new RegExp(`^ {2}(-\\w, | {4})--${f.name.replaceAll(".", "\\.")}( |$)`).test(l));
      expect(line, f.name).toBeDefined();
      expect(line!, f.name).toContain("(default ");
    }
    expect(r.out).toContain(`--server.http.listen-addr string`);
    expect(r.out).toContain(`(default "127.0.0.1:12345")`);
    expect(r.out).toContain(`(default 1m0s)`);
    expect(r.out).toContain(`(default [eth0,en0])`);
  });

  test("every command and the root answer --help", async () => {
    for (const cmd of ["run", "fmt", "format", "validate", "convert"]) {
      const r = await cli(cmd, "-h");
      expect(r.code).toBe(0);
      expect(r.out).toContain("Usage:\n  alloy ");
    }
    const root = await cli("--help");
    expect(root.out).toContain("Available Commands:");
    expect(root.out).toMatch(/\n  run +Run Grafana Alloy/);
    expect((await cli()).code).toBe(0);
  });

  test("--version prints version, revision, build date and the Bun version", async () => {
    const r = await cli("--version");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^alloy, version v\d+\.\d+\.\d+\S* \(branch: .+, revision: .+\)\n/);
    expect(r.out).toContain("  build date:");
    expect(r.out).toContain(`  bun version:      ${Bun.version}`);
  });

  test("Alloy commands this build lacks say so", async () => {
    for (const name of ["tools", "gql", "otel"]) {
      expect(await cli(name, "x")).toEqual({ code: 1, out: "", err: `Error: the "${name}" command is not available in this build of Alloy\n` });
    }
  });

  test("unknown commands are an error", async () => {
    const r = await cli("frobnicate");
    expect(r.code).toBe(1);
    expect(r.err).toStartWith(`Error: unknown command "frobnicate" for "alloy"`);
  });
});
