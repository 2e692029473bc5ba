// A built-in component in the graph: decodes its block into arguments, builds
// the instance on first success, updates it only when arguments really change,
// runs it, and publishes its exports into the scope.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "prom-client";
import type { BlockStmt } from "../syntax/ast.ts";
import { DiagnosticsError } from "../syntax/diag.ts";
import type { Value } from "../syntax/value.ts";
import type { Scope } from "../syntax/vm.ts";
import type { ComponentContext, ComponentDefinition, ComponentInstance, ReportedHealth } from "./component.ts";
import { deepEqual } from "./equality.ts";
import { combineHealth, health } from "./health.ts";
import type { Logger } from "./logger.ts";
import { componentRegistry } from "./metrics.ts";
import type { NodeHost, RuntimeNode } from "./node.ts";
import type { Health } from "./runtime.ts";
import { decodeBlock, encodeExports, zeroExports } from "./schema_bridge.ts";

export class ComponentNode implements RuntimeNode {
  readonly kind = "component";
  readonly globalID: string;
  instance: ComponentInstance<unknown> | undefined;
  /** Last arguments that evaluated and were applied. */
  args: unknown;
  exports: unknown;
  exportsValue: Value;
  private evalHealth: Health = health("unknown", "component created");
  private runHealth: Health = health("unknown", "component created");
  /** Only components that report health take part (Alloy's HealthComponent). */
  private reported: Health | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private registry: Registry | undefined;
  readonly logger: Logger;
  /** Evaluations that reached the component (build or update), for tests and the UI. */
  evaluations = 0;

  constructor(
    readonly id: string,
    public block: BlockStmt,
    public file: string,
    readonly def: ComponentDefinition,
    private readonly host: NodeHost,
  ) {
    this.globalID = host.globalID(id);
    this.logger = host.env.logger.with({ component_path: componentPath(host.moduleID), component_id: id });
    this.exportsValue = zeroExports(def.exports);
  }

  health(): Health {
    return this.reported ? combineHealth(this.evalHealth, this.runHealth, this.reported) : combineHealth(this.evalHealth, this.runHealth);
  }

  async evaluate(scope: Scope): Promise<void> {
    let stage = "decoding configuration";
    try {
      const args = decodeBlock(this.def.args, this.block, this.file, scope, this.host.env.stability);
      if (!this.instance) {
        stage = "building component";
        this.instance = await this.def.build(this.context(), args);
        this.args = args;
        this.evaluations++;
      } else if (!deepEqual(args, this.args)) {
        stage = "updating component";
        await this.instance.update(args);
        this.args = args;
        this.evaluations++;
      }
      this.evalHealth = health("healthy", "component evaluated");
    } catch (err) {
      this.evalHealth = health("unhealthy", `component evaluation failed: ${stage}: ${errorText(err)}`);
      // Alloy wraps build and update errors with their stage; decode errors stay diagnostics.
      if (err instanceof DiagnosticsError) throw err;
      throw new Error(`${stage}: ${errorText(err)}`, { cause: err });
    }
  }

  private context(): ComponentContext<unknown> {
    const node = this;
    const env = this.host.env;
    let dataDir: string | undefined;
    return {
      id: this.id,
      globalID: this.globalID,
      modulePath: componentPath(this.host.moduleID),
      logger: this.logger,
      get registry(): Registry {
        node.registry ??= componentRegistry(node.host.hub, componentPath(node.host.moduleID), node.id);
        return node.registry;
      },
      get dataDir(): string {
        if (dataDir === undefined) {
          dataDir = join(env.storagePath, node.globalID);
          mkdirSync(dataDir, { recursive: true });
        }
        return dataDir;
      },
      stability: env.stability,
      fetch: env.fetch,
      memoryAddress: env.memoryAddress,
      liveDebugging: env.liveDebugging(this.globalID),
      signal: this.abort.signal,
      publish: (exports: unknown) => this.publish(exports),
      setHealth: (h: ReportedHealth) => {
        this.reported = health(h.state, h.message);
      },
    };
  }

  private publish(exports: unknown): void {
    if (this.abort.signal.aborted) return;
    if (deepEqual(exports, this.exports)) return;
    let encoded: Value;
    try {
      encoded = encodeExports(this.def.exports, exports);
    } catch (err) {
      this.logger.error("component published exports that do not match its schema", { err: errorText(err) });
      return;
    }
    this.exports = exports;
    this.exportsValue = encoded;
    this.host.exportsChanged(this);
  }

  start(): void {
    if (this.host.env.dryRun || !this.instance || this.running || this.abort.signal.aborted) return;
    if (this.runHealth.state === "unknown") this.runHealth = health("healthy", "started component");
    if (!this.instance.run) return;
    const run = this.instance.run.bind(this.instance);
    this.running = (async () => {
      try {
        await run(this.abort.signal);
        this.runHealth = health("exited", "component shut down cleanly");
      } catch (err) {
        this.runHealth = health("exited", `component shut down with error: ${errorText(err)}`);
        this.logger.error("component exited with error", { err: errorText(err) });
      }
    })();
  }

  /** Restart a run loop that has exited (Alloy restarts exited components on reload). */
  get exited(): boolean {
    return this.runHealth.state === "exited" && !this.abort.signal.aborted;
  }

  async restartIfExited(): Promise<void> {
    if (!this.exited) return;
    await this.running;
    this.running = undefined;
    this.runHealth = health("healthy", "started component");
    this.start();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    try {
      await this.instance?.stop?.();
    } catch (err) {
      this.logger.error("error stopping component", { err: errorText(err) });
    }
    if (this.registry) this.host.hub.remove(this.registry);
  }
}

/** The `component_path` label (Alloy's splitPath of the global ID): `/` at root, `/<moduleID>` in modules. */
export function componentPath(moduleID: string): string {
  return `/${moduleID}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
