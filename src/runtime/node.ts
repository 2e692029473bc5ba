// What the controller knows about every node of its graph, and what a node
// knows about the controller that owns it.

import type { BlockStmt } from "../syntax/ast.ts";
import type { Value } from "../syntax/value.ts";
import type { Scope } from "../syntax/vm.ts";
import type { Health } from "./runtime.ts";
import type { RuntimeEnv } from "./env.ts";
import type { CustomRegistry } from "./custom_registry.ts";
import type { MetricsHub } from "./metrics.ts";

export type NodeKind =
  | "component"
  | "custom"
  | "declare"
  | "argument"
  | "export"
  | "logging"
  | "tracing"
  | "import"
  | "foreach"
  | "service";

export interface RuntimeNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** The block as of the last (re)load; nodes kept across reloads get the new block. */
  block: BlockStmt;
  /** Source file of `block`. */
  file: string;
  /** Decode and apply the block with the current scope; throws DiagnosticsError or Error. */
  evaluate(scope: Scope): Promise<void>;
  /** Value under the node's ID in the scope (component exports, `{value}` of an argument); undefined: none. */
  readonly exportsValue: Value | undefined;
  health(): Health;
  /** Start long-running work (components' run loops, import polling). Idempotent. */
  start?(): void;
  /** Stop everything the node started; the node is gone afterwards. */
  stop(): Promise<void>;
}

/** The controller a node belongs to, as the node sees it. */
export interface NodeHost {
  readonly env: RuntimeEnv;
  /** `""` at root; the enclosing custom component's global ID in modules. */
  readonly moduleID: string;
  /** Directory relative import paths resolve against (`module_path`). */
  readonly modulePath: string;
  /** Where this controller's and its components' metrics are gathered (a detached hub hides them). */
  readonly hub: MetricsHub;
  /** Custom components visible to this controller's blocks. */
  readonly customRegistry: CustomRegistry;
  /** Called (never synchronously re-entrant into evaluation) when a node's exportsValue changed. */
  exportsChanged(node: RuntimeNode): void;
  /** Values a module was given for its `argument` blocks (undefined at root). */
  argumentValue(name: string): { found: boolean; value: Value };
  /** An `export` block's value changed (modules only). */
  exportChanged(name: string, value: Value): void;
  /** Whether this controller's current graph has a node (foreach templates resolve outer references). */
  hasNode(id: string): boolean;
  /** Global ID of a local node ID. */
  globalID(localID: string): string;
}
