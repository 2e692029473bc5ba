// `alloy run [flags] path`: starts the HTTP server, creates the runtime, performs
// the initial load (exiting with the diagnostics if it fails), then reloads on
// SIGHUP or /-/reload and shuts down gracefully on SIGINT/SIGTERM.

import { hostname } from "node:os";
import { formatDiagnosticsOneLine, type Diagnostic } from "../syntax/diag.ts";
import { renderDiagnostics } from "../syntax/diag_render.ts";
import type { Registry } from "prom-client";
import { LogSettings, Logger } from "../runtime/logger.ts";
import type { ServiceDefinition } from "../runtime/env.ts";
import type { ConfigSource, Runtime, RuntimeOptions } from "../runtime/runtime.ts";
import type { LiveDebuggingPublisher } from "../runtime/component.ts";
import { HttpBlock } from "../service/http/http_block.ts";
import { LiveDebugging } from "../service/http/live_debugging.ts";
import { createMemoryFetch } from "../service/http/memory_fetch.ts";
import { SelfMetrics } from "../service/http/metrics.ts";
import { createHttpApp, startHttpServer, type HttpServer, type MetricsSource, type UiRouteRegistrar } from "../service/http/server.ts";
import type { PeerInfo } from "../service/http/web_api.ts";
import { hashSources, readConfigSources } from "./config_sources.ts";
import { DeferredLogSink } from "./deferred_log.ts";
import { inactiveFlagNotice } from "./inactive_flags.ts";
import { setWindowsPriority } from "./windows_priority.ts";
import { HeapPacer, heapPacerSettings } from "./heap_pacer.ts";
import type { CliIO, ExitCode } from "./io.ts";
import { splitHostPort, type RunOptions } from "./run_flags.ts";

/** What `run` needs from the layers below; main passes the real ones, tests fakes. */
export interface RunDependencies {
  /**
   * The runtime, and what /metrics serves: the runtime's metrics gathered together with
   * `registry` (build info, config and process metrics); just `registry` when omitted.
   */
  createRuntime(opts: RuntimeOptions & {
    logger: Logger;
    registry: Registry;
    /** Service blocks backed by this server, to use in place of the runtime's defaults. */
    services: ServiceDefinition[];
    liveDebugging: (globalID: string) => LiveDebuggingPublisher;
  }): { runtime: Runtime; metrics?: MetricsSource };
  ui?: UiRouteRegistrar;
  /** Resolves when the process should shut down; defaults to SIGINT/SIGTERM. */
  shutdownSignal?: Promise<string>;
  /** Subscribes to reload requests; defaults to SIGHUP. */
  onReloadSignal?: (reload: () => void) => void;
  /** Receives errors nobody caught; defaults to logging process-wide unhandled rejections and exceptions. */
  onStrayError?: (report: (kind: string, err: unknown) => void) => void;
  /** Called once the initial load is done and the server listens (tests use it to find the port). */
  onRunning?: (server: HttpServer) => void;
}

/** A graceful shutdown must end within this; afterwards the process exits non-zero. */
const shutdownDeadlineMs = 10_000;
/** How long open HTTP requests may run on after a shutdown signal. */
const requestGraceMs = 2_000;

export async function runAlloy(opts: RunOptions, io: CliIO, deps: RunDependencies): Promise<ExitCode> {
  const logSettings = new LogSettings();
  const deferredLog = new DeferredLogSink(logSettings, (line) => io.stderr(line));
  logSettings.sinks = [deferredLog.sink];
  const logger = new Logger(logSettings);
  const pacing = heapPacerSettings(process.env);
  for (const problem of pacing.problems) logger.warn("ignoring a garbage collection setting", { problem });
  const pacer = new HeapPacer({ settings: pacing.settings });
  pacer.start();
  try {
    return await serve(opts, io, deps, logger, deferredLog);
  } finally {
    pacer.stop();
    // Whatever happened, held-back log lines are written.
    deferredLog.flush();
  }
}

async function serve(opts: RunOptions, io: CliIO, deps: RunDependencies, logger: Logger, deferredLog: DeferredLogSink): Promise<ExitCode> {
  // Listening from the start: a signal during startup still means a graceful stop.
  const shutdown = deps.shutdownSignal ?? shutdownSignal();
  (deps.onStrayError ?? keepRunningOnStrayErrors)((kind, err) =>
    logger.error(kind, { err: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
  logger.info("Alloy is starting");
  if (process.platform === "win32" && opts.windowsPriority !== "normal") {
    setWindowsPriority(opts.windowsPriority);
    logger.info("set process priority", { priority: opts.windowsPriority });
  }
  const notice = inactiveFlagNotice(opts);
  if (notice) logger.warn(notice.message, { flags: notice.flags.join(", ") });

  const selfMetrics = new SelfMetrics(opts.cluster.name);
  let runtime: Runtime | undefined;
  let metrics: MetricsSource = selfMetrics.registry;
  let ready = false;
  const listen = splitHostPort(opts.listenAddr);
  let boundPort = listen.port;
  const peers = (): PeerInfo[] => [
    {
      name: opts.cluster.nodeName || hostname(),
      addr: opts.cluster.advertiseAddress || `127.0.0.1:${boundPort}`,
      isSelf: true,
      state: ready ? "participant" : "viewer",
    },
  ];

  // The sources of the graph that is running, for the UI's config page.
  let runningSources: ConfigSource[] | undefined;
  const loadFromDisk = async (): Promise<void> => {
    const rt = runtime!;
    let sources: ConfigSource[];
    try {
      sources = await readConfigSources(opts.configPath, opts.configFormat, {
        bypassErrors: opts.configBypassConversionErrors,
        extraArgs: opts.configExtraArgs,
      });
    } catch (err) {
      selfMetrics.recordConfigLoad(false, "0".repeat(64));
      throw err;
    }
    const result = await rt.load(sources);
    if (result.applied) runningSources = sources;
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    selfMetrics.recordConfigLoad(errors.length === 0, hashSources(sources));
    if (errors.length > 0) {
      throw new LoadError(`error during the initial load: ${formatDiagnosticsOneLine(errors)}`, errors, sources);
    }
  };
  // Reloads run one at a time, in the order they were asked for.
  let reloadChain: Promise<unknown> = Promise.resolve();
  const reload = (): Promise<void> => {
    const next = reloadChain.then(loadFromDisk);
    reloadChain = next.catch(() => {});
    return next;
  };

  let server: HttpServer | undefined;
  const httpBlock = new HttpBlock(async (tls) => {
    if (!server) throw new Error("the HTTP server is not running");
    await server.restart(tls);
    logger.info(tls ? "applying TLS config to HTTP server" : "applying non-TLS config to HTTP server", { service: "http" });
  });
  const liveDebugging = new LiveDebugging();
  const app = createHttpApp({
    auth: httpBlock,
    liveDebugging,
    runtime: () => runtime,
    reload,
    metrics: [{ contentType: selfMetrics.registry.contentType, metrics: () => metrics.metrics() }],
    uiPathPrefix: opts.uiPathPrefix,
    enablePprof: opts.enablePprof,
    disableSupportBundle: opts.disableSupportBundle,
    supportBundle: { runtimeFlags: opts.flagSummary, captureLogs: () => captureLogs(logger) },
    logger,
    peers,
    ui: deps.ui,
    configSources: () => runningSources,
  });

  try {
    server = startHttpServer(app, listen.host, listen.port);
  } catch (err) {
    logger.error(`failed to listen on ${opts.listenAddr}`, { err: err instanceof Error ? err.message : String(err) });
    deferredLog.flush();
    return 1;
  }
  boundPort = server.port;
  logger.info("now listening for http traffic", { service: "http", addr: `${server.hostname}:${server.port}` });

  const memoryFetch = createMemoryFetch(opts.memoryAddr, (req) => app.fetch(req));
  const created = deps.createRuntime({
    stability: opts.stability,
    storagePath: opts.storagePath,
    communityComponents: opts.communityComponents,
    fetch: memoryFetch,
    memoryAddress: opts.memoryAddr,
    logger,
    registry: selfMetrics.registry,
    services: [httpBlock.serviceDefinition(), liveDebugging.serviceDefinition()],
    liveDebugging: (id) => liveDebugging.publisher(id),
  });
  runtime = created.runtime;
  if (created.metrics) metrics = created.metrics;

  // A reload asked for during the initial load runs right after it.
  const onReload = deps.onReloadSignal ?? onSighup;
  onReload(() => {
    reload().then(
      () => logger.info("config reloaded"),
      (err: unknown) => logger.error("failed to reload config", { err: err instanceof Error ? err.message : String(err) }),
    );
  });

  let stoppedEarly: string | undefined;
  try {
    stoppedEarly = await Promise.race([reload().then(() => undefined), shutdown]);
  } catch (err) {
    deferredLog.flush();
    if (err instanceof LoadError) {
      const texts = new Map(err.sources.map((s) => [s.name, s.text] as const));
      io.stderr(renderDiagnostics(err.diagnostics, texts) + "\n");
      io.stdout("\n");
      io.stderr("Error: could not perform the initial load successfully\n");
    } else {
      io.stderr(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    await Promise.race([Promise.all([runtime.stop(), server.stop(true)]), Bun.sleep(shutdownDeadlineMs)]);
    return 1;
  }
  if (stoppedEarly === undefined) {
    ready = true;
    deferredLog.flush();
    logger.info("{^_^} Alloy is running");
    deps.onRunning?.(server);
  }

  const signal = stoppedEarly ?? (await shutdown);
  logger.info("shutting down", { signal });
  const rt = runtime;
  const httpServer = server;
  // Requests in flight get a moment to finish; streams (live debugging, profiles) are then cut.
  const closeServer = async (): Promise<void> => {
    await Promise.race([httpServer.stop(false), Bun.sleep(requestGraceMs)]);
    await httpServer.stop(true);
  };
  const stopped = Promise.all([rt.stop(), closeServer()]).then(() => true);
  const finished = await Promise.race([stopped, Bun.sleep(shutdownDeadlineMs).then(() => false)]);
  if (!finished) {
    logger.error("graceful shutdown did not finish in time; exiting", { deadline: `${shutdownDeadlineMs / 1000}s` });
    return 1;
  }
  logger.info("Alloy has stopped");
  return 0;
}

class LoadError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
    readonly sources: ConfigSource[],
  ) {
    super(message);
    this.name = "LoadError";
  }
}

/** Copies every log line from now on; the returned function stops copying and returns them. */
function captureLogs(logger: Logger): () => string {
  const lines: string[] = [];
  const sink = (line: string): void => void lines.push(line);
  logger.settings.sinks.push(sink);
  return () => {
    const i = logger.settings.sinks.indexOf(sink);
    if (i >= 0) logger.settings.sinks.splice(i, 1);
    return lines.join("");
  };
}

/** A bug in one component's callback is logged; it does not take the whole collector down. */
function keepRunningOnStrayErrors(report: (kind: string, err: unknown) => void): void {
  process.on("unhandledRejection", (err) => report("unhandled promise rejection", err));
  process.on("uncaughtException", (err) => report("uncaught exception", err));
}

function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (sig: NodeJS.Signals): void => {
      // A second signal while shutting down means "now".
      if (received) process.exit(1);
      received = true;
      resolve(sig);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    // The Windows service wrapper asks for a graceful stop with CTRL_BREAK.
    if (process.platform === "win32") process.on("SIGBREAK", handler);
  });
}

function onSighup(reload: () => void): void {
  if (process.platform === "win32") return;
  process.on("SIGHUP", reload);
}
