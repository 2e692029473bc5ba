// The runtime's entry points: `createRuntime` for `alloy run`, `validateConfig`
// for `alloy validate`. Components and services are passed in; the runtime
// knows none of them by name.

import { dirname } from "node:path";
import type { Diagnostic } from "../syntax/diag.ts";
import { parseFile } from "../syntax/parser.ts";
import { componentInfo, componentInfos, controllers } from "./api.ts";
import type { LiveDebuggingPublisher } from "./component.ts";
import { ComponentCatalog, type ComponentEntry } from "./component_catalog.ts";
import { ComponentNode } from "./component_node.ts";
import { Controller } from "./controller.ts";
import { inactiveLiveDebugging, type RuntimeEnv, type ServiceDefinition } from "./env.ts";
import { Logger } from "./logger.ts";
import type { SourceBody } from "./loader.ts";
import { MetricsHub } from "./metrics.ts";
import type { ComponentHandler, ComponentInfo, ConfigSource, LoadResult, Runtime, RuntimeOptions } from "./runtime.ts";
import { defaultServices } from "./services.ts";

export type { ComponentDefinition, ComponentContext, ComponentInstance } from "./component.ts";
export { defineComponent } from "./component.ts";
export type { ComponentEntry, LazyComponent } from "./component_catalog.ts";
export type { ServiceDefinition } from "./env.ts";
export { Logger, LogSettings } from "./logger.ts";
export { MetricsHub } from "./metrics.ts";
export { validateConfig, type ValidateOptions } from "./validate/validate.ts";
export type * from "./runtime.ts";

/** What createRuntime needs beyond the CLI contract in runtime.ts. */
export interface CreateRuntimeOptions extends RuntimeOptions {
  /** Every built-in component: definitions (src/components/index.ts) or names to import on first use (src/components/catalog.ts). */
  components: readonly ComponentEntry[];
  /** Root service blocks; defaults to Alloy's service names with permissive schemas. */
  services?: readonly ServiceDefinition[];
  /** Process logger; its settings are what the `logging` block changes. */
  logger?: Logger;
  /** Where component and controller metrics are gathered for /metrics. */
  metrics?: MetricsHub;
  /** Live-debugging publisher per component global ID. */
  liveDebugging?: (globalID: string) => LiveDebuggingPublisher;
  /** Evaluate and build but start nothing (validation). */
  dryRun?: boolean;
  /** `module_path` at root: the directory of the config (defaults to the first source's). */
  modulePath?: string;
}

export interface AlloyRuntime extends Runtime {
  /** The environment shared by all controllers (for the HTTP service and tests). */
  readonly env: RuntimeEnv;
  /** Resolves when no export change is waiting to propagate anywhere. */
  idle(): Promise<void>;
  /** Every module ID currently running (root is `""`). */
  moduleIDs(): string[];
}

export function createRuntime(opts: CreateRuntimeOptions): AlloyRuntime {
  const logger = opts.logger ?? new Logger();
  const env: RuntimeEnv = {
    stability: opts.stability,
    storagePath: opts.storagePath,
    communityComponents: opts.communityComponents,
    fetch: opts.fetch,
    memoryAddress: opts.memoryAddress,
    logger,
    hub: opts.metrics ?? new MetricsHub(),
    components: new ComponentCatalog(opts.components),
    services: new Map((opts.services ?? defaultServices()).map((s) => [s.name, s])),
    liveDebugging: opts.liveDebugging ?? (() => inactiveLiveDebugging),
    dryRun: opts.dryRun ?? false,
  };
  let root: Controller | undefined;
  let ready = false;

  const rootController = (modulePath: string): Controller => {
    root ??= new Controller({ env, moduleID: "", modulePath, inModule: false, inForeach: false, logSettings: logger.settings });
    return root;
  };

  const all = (): Map<string, Controller> => (root ? controllers(root) : new Map());

  const findNode = (globalID: string): { c: Controller; localID: string } | undefined => {
    const cs = all();
    const slash = globalID.lastIndexOf("/");
    const moduleID = slash < 0 ? "" : globalID.slice(0, slash);
    const localID = slash < 0 ? globalID : globalID.slice(slash + 1);
    const c = cs.get(moduleID);
    return c && c.graph.has(localID) ? { c, localID } : undefined;
  };

  return {
    env,
    get ready() {
      return ready;
    },
    async load(sources: ConfigSource[]): Promise<LoadResult> {
      const diagnostics: Diagnostic[] = [];
      const bodies: SourceBody[] = [];
      // Merged in file-name order, as Alloy's ParseSources does.
      for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const parsed = parseFile(s.name, s.text);
        diagnostics.push(...parsed.diagnostics);
        bodies.push({ file: s.name, body: parsed.file.body });
      }
      if (diagnostics.some((d) => d.severity === "error")) return { diagnostics, applied: false };
      const c = rootController(opts.modulePath ?? (sources[0] ? dirname(sources[0].name) : "."));
      const res = await c.load(bodies, { startOnErrors: ready });
      // Let load-time export changes settle, but never hang a reload on a chatty component.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([c.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      if (res.applied && !res.diagnostics.some((d) => d.severity === "error")) ready = true;
      return { diagnostics: [...diagnostics, ...res.diagnostics], applied: res.applied };
    },
    components(moduleID?: string): ComponentInfo[] | undefined {
      const c = all().get(moduleID ?? "");
      return c ? componentInfos(c, false) : undefined;
    },
    component(globalID: string): ComponentInfo | undefined {
      const f = findNode(globalID);
      return f ? componentInfo(f.c, f.c.graph.get(f.localID)!, true) : undefined;
    },
    unhealthyComponents(): string[] {
      if (!root) return [];
      return componentInfos(root, false)
        .filter((i) => i.health.state === "unhealthy")
        .map((i) => i.localID);
    },
    componentHandler(globalID: string): ComponentHandler | undefined {
      const f = findNode(globalID);
      const n = f?.c.graph.get(f.localID);
      return n instanceof ComponentNode ? n.instance?.handler : undefined;
    },
    async stop(): Promise<void> {
      await root?.stop();
    },
    async idle(): Promise<void> {
      for (let i = 0; i < 100; i++) {
        const cs = [...all().values()];
        for (const c of cs) await c.idle();
        if (cs.every((c) => c.isIdle)) return;
      }
    },
    moduleIDs(): string[] {
      return [...all().keys()];
    },
  };
}
