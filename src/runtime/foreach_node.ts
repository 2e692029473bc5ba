// `foreach` (experimental): one child pipeline per collection item, running the
// template with the item bound to `var`. Children are keyed by a fingerprint of
// the item (or of `item[id]`), so unchanged items keep running across updates.

import { createHash } from "node:crypto";
import type { BlockStmt } from "../syntax/ast.ts";
import { DiagnosticsError } from "../syntax/diag.ts";
import { Capsule, Secret, newObject, type ObjectValue, type Value } from "../syntax/value.ts";
import type { Scope } from "../syntax/vm.ts";
import { decodeConfigBlock } from "./config_block.ts";
import { foreachArgs } from "./config_specs.ts";
import { Controller } from "./controller.ts";
import { errorText } from "./component_node.ts";
import { combineHealth, health, unknownHealth } from "./health.ts";
import type { NodeHost, RuntimeNode } from "./node.ts";
import type { Health } from "./runtime.ts";

export class ForeachNode implements RuntimeNode {
  readonly kind = "foreach";
  readonly exportsValue = undefined;
  readonly children = new Map<string, Controller>();
  private h: Health = unknownHealth;

  constructor(
    readonly id: string,
    public block: BlockStmt,
    public file: string,
    private readonly host: NodeHost,
  ) {}

  private runHealth: Health = unknownHealth;

  /** As Alloy's: evaluation and run health of the foreach node itself. */
  health(): Health {
    return combineHealth(this.h, this.runHealth);
  }

  start(): void {
    if (!this.host.env.dryRun && this.runHealth.state === "unknown") this.runHealth = health("healthy", "started foreach");
  }

  async evaluate(scope: Scope): Promise<void> {
    try {
      await this.apply(scope);
      this.h = health("healthy", "foreach evaluated");
    } catch (err) {
      this.h = health("unhealthy", `foreach evaluation failed: ${errorText(err)}`);
      throw err;
    }
  }

  private async apply(scope: Scope): Promise<void> {
    const template = this.block.body.find((s): s is BlockStmt => s.kind === "block" && s.name.join(".") === "template");
    const args = decodeConfigBlock(this.block, this.file, foreachArgs, scope, this.host.env.stability);
    if (!template) throw new Error("the block template is missing in the foreach block");
    const collection: Value[] = args.collection;
    const varName = args.var;
    const idKey = args.id;
    const hashStrings = args.hash_string_id;
    const counts = new Map<string, number>();
    const keep = new Set<string>();
    for (const item of collection) {
      let key: Value = item;
      if (idKey && item !== null && typeof item === "object" && !Array.isArray(item) && Object.hasOwn(item, idKey)) {
        key = (item as ObjectValue)[idKey]!;
      }
      const base = `foreach_${fingerprint(key, hashStrings)}`;
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      const childID = `${base}_${n}`;
      keep.add(childID);
      const vars = newObject();
      vars[varName] = item;
      let child = this.children.get(childID);
      if (!child) {
        child = new Controller({
          env: this.host.env,
          moduleID: `${this.host.globalID(this.id)}/${childID}`,
          modulePath: this.host.modulePath,
          inModule: this.host.moduleID !== "",
          inForeach: true,
          logSettings: this.host.env.logger.settings,
          parentRegistry: this.host.customRegistry,
          parentScope: scope,
          variables: vars,
          outerHasNode: (id) => this.host.hasNode(id),
          // Children inherit a hidden hub unless metrics are enabled here (or the parent hides them).
          metricsEnabled: args.enable_metrics && this.host.hub === this.host.env.hub,
        });
        this.children.set(childID, child);
      } else child.setOuter(scope, vars);
      const res = await child.load([{ file: this.file, body: template.body }]);
      const errors = res.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) throw new DiagnosticsError(errors);
    }
    for (const [id, child] of this.children) {
      if (keep.has(id)) continue;
      this.children.delete(id);
      await child.stop();
    }
  }

  async stop(): Promise<void> {
    for (const c of this.children.values()) await c.stop();
    this.children.clear();
  }
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** Alloy's objectFingerprint: readable for strings and numbers, a hash otherwise. */
function fingerprint(v: Value, hashStrings: boolean): string {
  if (typeof v === "string") return hashStrings ? sha256(v) : v.replace(/[^a-zA-Z0-9]/g, "_");
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "number") return v.toFixed(6).replace(".", "_");
  return sha256(
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === "bigint" ? x.toString() : x instanceof Secret ? "(secret)" : x instanceof Capsule ? `capsule(${x.typeName})` : x,
    ),
  );
}
