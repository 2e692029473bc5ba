// One controller per config body (the root, each custom component instance, each
// foreach item): it owns a graph, evaluates it in dependency order, re-evaluates
// dependants when exports change, and diffs graphs on reload.

import { hasErrors, DiagnosticsError, type Diagnostic } from "../syntax/diag.ts";
import { newObject, type ObjectValue, type Value } from "../syntax/value.ts";
import { Scope } from "../syntax/vm.ts";
import { ComponentNode, errorText } from "./component_node.ts";
import { ArgumentNode } from "./config_nodes.ts";
import { CustomRegistry } from "./custom_registry.ts";
import type { RuntimeEnv } from "./env.ts";
import { deepEqual } from "./equality.ts";
import { Graph } from "./graph.ts";
import { buildGraph, type Reference, type SourceBody } from "./loader.ts";
import type { Logger, LogSettings } from "./logger.ts";
import { ControllerMetrics, MetricsHub } from "./metrics.ts";
import type { NodeHost, RuntimeNode } from "./node.ts";
import type { HealthState, LoadResult } from "./runtime.ts";
import { isStdlibName } from "./schema_bridge.ts";
import { UpdateQueue } from "./update_queue.ts";

export interface ControllerOptions {
  env: RuntimeEnv;
  /** `""` at root. */
  moduleID: string;
  /** `module_path`: directory relative paths resolve against. */
  modulePath: string;
  inModule: boolean;
  inForeach: boolean;
  logSettings: LogSettings;
  /** The lexically enclosing custom-component registry. */
  parentRegistry?: CustomRegistry;
  /** Outer scope for foreach templates (they may read outer exports). */
  parentScope?: Scope;
  /** Extra variables (a foreach item's `var`). */
  variables?: ObjectValue;
  outerHasNode?: (id: string) => boolean;
  /** False: metrics of this controller and its components are not exposed (foreach without enable_metrics). */
  metricsEnabled?: boolean;
  /** Module exports changed (the object of all `export` blocks' values). */
  onExports?: (exports: ObjectValue) => void;
}

export class Controller implements NodeHost {
  graph = new Graph<RuntimeNode>();
  references = new Map<string, Reference[]>();
  customRegistry: CustomRegistry;
  readonly env: RuntimeEnv;
  readonly moduleID: string;
  readonly modulePath: string;
  private topoIndex = new Map<string, number>();
  private order: string[] = [];
  private scope: Scope;
  private readonly queue = new UpdateQueue<RuntimeNode>();
  private readonly dirty = new Set<RuntimeNode>();
  private readonly enqueuedAt = new Map<RuntimeNode, number>();
  private processing: Promise<void> | undefined;
  private mutex: Promise<unknown> = Promise.resolve();
  private readonly moduleArgs = new Map<string, Value>();
  private readonly moduleExports: ObjectValue = newObject();
  readonly metrics: ControllerMetrics;
  readonly hub: MetricsHub;
  private readonly log: Logger;
  private stopped = false;
  /** The node a load is evaluating: its dependants come later in the same walk. */
  private walkingNode: RuntimeNode | undefined;

  constructor(readonly opts: ControllerOptions) {
    this.env = opts.env;
    this.moduleID = opts.moduleID;
    this.modulePath = opts.modulePath;
    this.customRegistry = new CustomRegistry(opts.parentRegistry);
    this.scope = this.freshScope();
    const [controllerPath, controllerID] = splitPath(opts.moduleID);
    this.log = opts.env.logger.with({ controller_path: controllerPath, controller_id: controllerID });
    this.hub = opts.metricsEnabled === false ? new MetricsHub() : opts.env.hub;
    this.metrics = new ControllerMetrics(
      this.hub,
      controllerPath,
      controllerID,
      () => this.healthCounts(),
    );
  }

  private freshScope(): Scope {
    // A foreach template sees the outer scope merged with its own exports (Alloy copies
    // the outer variables), so `a.b.x` inside does not hide `a.b.y` outside.
    const vars = this.opts.parentScope ? flattenScope(this.opts.parentScope) : newObject();
    vars.module_path = this.modulePath;
    if (this.opts.variables) for (const [k, v] of Object.entries(this.opts.variables)) vars[k] = v;
    return new Scope(vars);
  }

  get currentScope(): Scope {
    return this.scope;
  }

  hasNode(id: string): boolean {
    return this.graph.has(id);
  }

  /** The lexical registry of a custom component's declare, which a parent reload replaces. */
  setParentRegistry(r: CustomRegistry): void {
    this.opts.parentRegistry = r;
  }

  /** A foreach child's outer scope and item variables, refreshed on each evaluation. */
  setOuter(parentScope: Scope, variables: ObjectValue): void {
    this.opts.parentScope = parentScope;
    this.opts.variables = variables;
  }

  globalID(localID: string): string {
    return this.moduleID === "" ? localID : `${this.moduleID}/${localID}`;
  }

  /** Serialises loads and propagation batches. */
  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    const run = this.mutex.then(f, f);
    this.mutex = run.catch(() => {});
    return run;
  }

  /**
   * Load or reload: graph-level errors keep the current graph; otherwise kept nodes
   * keep their instances, removed ones stop, new ones start, and every node is
   * evaluated in dependency order (failures keep their last good arguments).
   */
  load(sources: SourceBody[], opts: { startOnErrors?: boolean } = {}): Promise<LoadResult> {
    return this.exclusive(() => this.loadLocked(sources, opts.startOnErrors ?? true));
  }

  private async loadLocked(sources: SourceBody[], startOnErrors: boolean): Promise<LoadResult> {
    await this.env.components.resolve(sources.map((s) => s.body));
    const built = buildGraph(sources, {
      host: this,
      inModule: this.opts.inModule,
      inForeach: this.opts.inForeach,
      previous: this.graph,
      scope: this.freshScope(),
      isStdlibName,
      logSettings: this.opts.logSettings,
      parentRegistry: this.opts.parentRegistry,
      outerHasNode: this.opts.outerHasNode,
    });
    if (hasErrors(built.diagnostics)) return { diagnostics: built.diagnostics, applied: false };
    built.commit();

    const old = this.graph;
    const removed = [...old.topoOrder()].reverse().filter((id) => built.graph.get(id) !== old.get(id));
    for (const id of removed) await this.stopNode(old.get(id)!);

    this.graph = built.graph;
    this.references = built.references;
    this.customRegistry = built.registry;
    this.order = built.graph.topoOrder();
    this.topoIndex = new Map(this.order.map((id, i) => [id, i]));
    this.scope = this.freshScope();
    this.metrics.setEdges(this.graph.edges().map(([from, to]) => [this.globalID(from), this.globalID(to)] as const));
    for (const name of Object.keys(this.moduleExports)) {
      if (!this.graph.has(`export.${name}`)) delete this.moduleExports[name];
    }

    const diagnostics: Diagnostic[] = [...built.diagnostics];
    const walkStart = performance.now();
    this.log.info("starting complete graph evaluation");
    this.metrics.evaluating.set(1);
    for (const id of this.order) {
      const node = this.graph.get(id)!;
      this.walkingNode = node;
      diagnostics.push(...(await this.evaluateNode(node)));
    }
    this.walkingNode = undefined;
    this.metrics.evaluating.set(0);
    this.log.info("finished complete graph evaluation", { duration: formatMs(performance.now() - walkStart) });
    // A first load that failed evaluation starts nothing: `alloy run` exits on it.
    if (!this.env.dryRun && !this.stopped && (startOnErrors || !hasErrors(diagnostics))) {
      for (const id of this.order) {
        const node = this.graph.get(id)!;
        if (node instanceof ComponentNode) await node.restartIfExited();
        node.start?.();
      }
    }
    return { diagnostics, applied: true };
  }

  /** Evaluates one node and puts its exports in the scope; errors become diagnostics. */
  private async evaluateNode(node: RuntimeNode): Promise<Diagnostic[]> {
    const started = performance.now();
    const queuedAt = this.enqueuedAt.get(node);
    if (queuedAt !== undefined) this.metrics.dependenciesWaitSeconds.observe((started - queuedAt) / 1000);
    let diags: Diagnostic[] = [];
    try {
      await node.evaluate(this.scope);
    } catch (err) {
      diags = toDiagnostics(node, err);
      this.log.error("failed to evaluate config", {
        node: node.id,
        err: diags.map((d) => d.message).join("; "),
      });
    }
    const took = performance.now() - started;
    this.metrics.onEvaluationDone(node.id, took / 1000);
    if (this.log.enabled("info")) this.log.info("finished node evaluation", { node_id: node.id, duration: formatMs(took) });
    this.setScopeValue(node);
    return diags;
  }

  private setScopeValue(node: RuntimeNode): boolean {
    const v = node.exportsValue;
    if (v === undefined) return false;
    const parts = node.id.split(".");
    let obj = this.scope.variables;
    for (const p of parts.slice(0, -1)) {
      const next = Object.hasOwn(obj, p) ? obj[p] : undefined;
      if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next) || Object.getPrototypeOf(next) !== null) {
        const o = newObject();
        obj[p] = o;
        obj = o;
      } else obj = next as ObjectValue;
    }
    const last = parts[parts.length - 1]!;
    if (Object.hasOwn(obj, last) && obj[last] === v) return false;
    obj[last] = v;
    return true;
  }

  exportsChanged(node: RuntimeNode): void {
    if (this.stopped || this.graph.get(node.id) !== node) return;
    this.setScopeValue(node);
    if (node === this.walkingNode) return;
    if (!this.enqueuedAt.has(node)) this.enqueuedAt.set(node, performance.now());
    this.queue.enqueue(node);
    this.metrics.queueSize.set(this.queue.size);
    this.schedule();
  }

  private schedule(): void {
    if (this.processing || this.stopped) return;
    this.processing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.exclusive(() => this.drainLocked()))
      // A failure here must not become an unhandled rejection that ends the process.
      .catch((err: unknown) => this.log.error("failed to propagate export changes", { err: errorText(err) }))
      .finally(() => {
        this.processing = undefined;
        if (this.queue.size > 0 || this.dirty.size > 0) this.schedule();
      });
  }

  /** Evaluate dependants of every changed node, once each, in dependency order. */
  private async drainLocked(): Promise<void> {
    while (!this.stopped && (this.queue.size > 0 || this.dirty.size > 0)) {
      const toEval = new Set<string>();
      for (const n of this.dirty) if (this.graph.get(n.id) === n) toEval.add(n.id);
      this.dirty.clear();
      for (const n of this.queue.drain()) {
        for (const d of this.graph.dependants(n.id)) {
          toEval.add(d);
          const t = this.enqueuedAt.get(n);
          const dn = this.graph.get(d);
          if (t !== undefined && dn && !this.enqueuedAt.has(dn)) this.enqueuedAt.set(dn, t);
        }
        this.enqueuedAt.delete(n);
      }
      this.metrics.queueSize.set(0);
      const ids = [...toEval].sort((a, b) => (this.topoIndex.get(a) ?? 0) - (this.topoIndex.get(b) ?? 0));
      for (const id of ids) {
        const node = this.graph.get(id);
        if (!node) continue;
        const before = node.exportsValue;
        await this.evaluateNode(node);
        this.enqueuedAt.delete(node);
        if (node.exportsValue !== before && !(node instanceof ComponentNode)) this.queue.enqueue(node);
      }
    }
  }

  get isIdle(): boolean {
    return !this.processing && this.queue.size === 0 && this.dirty.size === 0;
  }

  /** Resolves once no propagation is pending (tests, validation). */
  async idle(): Promise<void> {
    while (!this.stopped && (this.processing || this.queue.size > 0 || this.dirty.size > 0)) {
      if (!this.processing) this.schedule();
      await this.processing;
    }
  }

  // --- module plumbing -------------------------------------------------------

  /** New argument values for this module; argument nodes whose value changed are re-evaluated. */
  setArguments(args: Map<string, Value>): void {
    const changed: string[] = [];
    for (const [k, v] of args) {
      if (!this.moduleArgs.has(k) || !deepEqual(this.moduleArgs.get(k), v)) changed.push(k);
    }
    for (const k of this.moduleArgs.keys()) if (!args.has(k)) changed.push(k);
    this.moduleArgs.clear();
    for (const [k, v] of args) this.moduleArgs.set(k, v);
    for (const k of changed) {
      const n = this.graph.get(`argument.${k}`);
      if (n instanceof ArgumentNode) this.dirty.add(n);
    }
    if (this.dirty.size > 0) this.schedule();
  }

  argumentValue(name: string): { found: boolean; value: Value } {
    return this.moduleArgs.has(name) ? { found: true, value: this.moduleArgs.get(name)! } : { found: false, value: null };
  }

  exportChanged(name: string, value: Value): void {
    if (Object.hasOwn(this.moduleExports, name) && deepEqual(this.moduleExports[name], value)) return;
    this.moduleExports[name] = value;
    const copy = newObject();
    for (const [k, v] of Object.entries(this.moduleExports)) copy[k] = v;
    this.opts.onExports?.(copy);
  }

  get exportsObject(): ObjectValue {
    return this.moduleExports;
  }

  // --- lifecycle -------------------------------------------------------------

  private async stopNode(node: RuntimeNode): Promise<void> {
    try {
      await node.stop();
    } catch (err) {
      this.env.logger.error("error stopping node", { node: node.id, err: errorText(err) });
    }
  }

  /** Stop every node, dependants first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.drain();
    this.dirty.clear();
    this.queue.wake();
    await this.exclusive(async () => {
      for (const id of [...this.order].reverse()) {
        const n = this.graph.get(id);
        if (n) await this.stopNode(n);
      }
    });
    this.metrics.close();
  }

  healthCounts(): Map<HealthState, number> {
    const m = new Map<HealthState, number>();
    for (const n of this.graph.all()) {
      if (n.kind !== "component" && n.kind !== "custom" && n.kind !== "import" && n.kind !== "foreach") continue;
      const s = n.health().state;
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    return m;
  }
}

function isNamespace(v: Value | undefined): v is ObjectValue {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === null;
}

function cloneInto(target: ObjectValue, source: ObjectValue): void {
  for (const [k, v] of Object.entries(source)) {
    if (isNamespace(v)) {
      const existing = target[k];
      const dest = isNamespace(existing) ? existing : newObject();
      cloneInto(dest, v);
      target[k] = dest;
    } else target[k] = v;
  }
}

/** The variables of a scope chain as one tree, inner scopes winning; outer objects are not mutated. */
function flattenScope(scope: Scope): ObjectValue {
  const chain: Scope[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) chain.unshift(s);
  const out = newObject();
  for (const s of chain) cloneInto(out, s.variables);
  return out;
}

/** Alloy's splitPath: `a/b/c` → [`/a/b`, `c`]; the root (`""`) → [`/`, `""`]. */
export function splitPath(globalID: string): [string, string] {
  const i = globalID.lastIndexOf("/");
  return i < 0 ? ["/", globalID] : [`/${globalID.slice(0, i)}`, globalID.slice(i + 1)];
}

/** Go's time.Duration formatting for log lines (e.g. `1.234ms`). */
function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms.toFixed(3).replace(/\.?0+$/, "")}ms`;
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, "")}s`;
}

function toDiagnostics(node: RuntimeNode, err: unknown): Diagnostic[] {
  if (err instanceof DiagnosticsError) return err.diagnostics;
  const prefix =
    node.kind === "component" || node.kind === "custom"
      ? "Failed to build component: "
      : node.kind === "service"
        ? "Failed to evaluate service: "
        : "Failed to evaluate node for config block: ";
  return [{ severity: "error", message: prefix + errorText(err), file: node.file, start: node.block.start, end: node.block.end }];
}
