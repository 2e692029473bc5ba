// An instance of a `declare` (local or imported): its attributes are the
// module's arguments, its `export` blocks are its exports, and its body runs in a
// nested controller whose components get global IDs under this node's ID.

import type { BlockStmt } from "../syntax/ast.ts";
import { DiagnosticsError, type Diagnostic } from "../syntax/diag.ts";
import type { ObjectValue, Value } from "../syntax/value.ts";
import { evaluate, type Scope } from "../syntax/vm.ts";
import { Controller } from "./controller.ts";
import type { DeclareTemplate } from "./custom_registry.ts";
import { deepEqual } from "./equality.ts";
import { combineHealth, health } from "./health.ts";
import type { NodeHost, RuntimeNode } from "./node.ts";
import type { Health } from "./runtime.ts";

export class CustomComponentNode implements RuntimeNode {
  readonly kind = "custom";
  readonly globalID: string;
  exportsValue: Value | undefined = undefined;
  child: Controller | undefined;
  private contentKey = "";
  /** Last arguments that evaluated, for the UI. */
  args: Map<string, Value> = new Map();
  private h: Health = health("unknown", "node custom component created");

  constructor(
    readonly id: string,
    public block: BlockStmt,
    public file: string,
    private readonly host: NodeHost,
  ) {
    this.globalID = host.globalID(id);
  }

  private runHealth: Health = health("unknown", "node custom component created");

  /** As Alloy's: evaluation and run health only; the module's components report their own. */
  health(): Health {
    return combineHealth(this.h, this.runHealth);
  }

  async evaluate(scope: Scope): Promise<void> {
    try {
      await this.apply(scope);
      this.h = health("healthy", "component evaluated");
    } catch (err) {
      this.h = health("unhealthy", `component evaluation failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async apply(scope: Scope): Promise<void> {
    const name = this.block.name.join(".");
    const template = this.host.customRegistry.lookup(this.block.name);
    if (!template && this.block.name.length > 1 && this.host.customRegistry.owner(this.block.name[0]!)?.imports.has(this.block.name[0]!)) {
      throw new Error(
        `loading custom component controller: custom component config not found in the registry, namespace: "${this.block.name[0]}", componentName: "${this.block.name.slice(1).join(".")}"`,
      );
    }
    if (!template) {
      throw new DiagnosticsError([
        { severity: "error", message: `cannot find the definition of component name "${name}"`, file: this.file, start: this.block.namePos, end: this.block.lcurly },
      ]);
    }
    if (this.globalID.split("/").length > 100) throw new Error("custom components are nested too deeply (recursive declare?)");
    const args = this.decodeArguments(scope, template);
    const key = `${template.file}\u0000${template.contentKey}\u0000${declareText(template)}\u0000${template.registry.importsFingerprint()}`;
    if (!this.child) {
      this.child = new Controller({
        env: this.host.env,
        moduleID: this.globalID,
        modulePath: template.modulePath,
        inModule: true,
        inForeach: false,
        logSettings: this.host.env.logger.settings,
        parentRegistry: template.registry,
        metricsEnabled: this.host.hub === this.host.env.hub,
        onExports: (exports: ObjectValue) => this.publish(exports),
      });
    }
    this.child.setParentRegistry(template.registry);
    this.child.setArguments(args);
    this.args = args;
    if (key !== this.contentKey) {
      const res = await this.child.load([{ file: template.file, body: template.block.body }]);
      const errors = res.diagnostics.filter((d) => d.severity === "error");
      if (!res.applied || errors.length > 0) throw new DiagnosticsError(errors);
      this.contentKey = key;
    }
    await this.child.idle();
  }

  private decodeArguments(scope: Scope, template: DeclareTemplate): Map<string, Value> {
    const declared = new Set<string>();
    for (const s of template.block.body) {
      if (s.kind === "block" && s.name.join(".") === "argument" && s.label) declared.add(s.label);
    }
    const diags: Diagnostic[] = [];
    const args = new Map<string, Value>();
    for (const stmt of this.block.body) {
      if (stmt.kind === "block") {
        diags.push({ severity: "error", message: `unrecognized block name "${stmt.name.join(".")}"`, file: this.file, start: stmt.start, end: stmt.end });
        continue;
      }
      const argName = stmt.name.name;
      if (!declared.has(argName)) {
        diags.push({ severity: "error", message: `Provided argument "${argName}" is not defined in the module`, file: this.file, start: stmt.start, end: stmt.end });
        continue;
      }
      try {
        args.set(argName, evaluate(stmt.value, scope, { file: this.file, stability: this.host.env.stability }));
      } catch (err) {
        if (err instanceof DiagnosticsError) diags.push(...err.diagnostics);
        else throw err;
      }
    }
    if (diags.length > 0) throw new DiagnosticsError(diags);
    return args;
  }

  private publish(exports: ObjectValue): void {
    if (this.exportsValue !== undefined && deepEqual(exports, this.exportsValue)) return;
    this.exportsValue = exports;
    this.host.exportsChanged(this);
  }

  start(): void {
    if (!this.host.env.dryRun && this.runHealth.state === "unknown") this.runHealth = health("healthy", "started custom component");
  }

  async stop(): Promise<void> {
    this.runHealth = health("exited", "custom component shut down cleanly");
    await this.child?.stop();
  }
}

const positionKeys = new Set(["start", "end", "namePos", "labelPos", "lcurly", "rcurly", "lbrack", "rbrack", "lparen", "rparen", "opPos"]);

function declareText(t: DeclareTemplate): string {
  // The body's identity without positions, so moving a declare does not restart its instances.
  return JSON.stringify(t.block.body, (k, v: unknown) => (positionKeys.has(k) ? undefined : v));
}
