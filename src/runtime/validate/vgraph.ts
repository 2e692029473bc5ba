// The validator's graph: nodes in insertion order (diagnostics follow it), an
// optional parent graph (a foreach template sees outer nodes), cycles in order.

import type { BlockStmt, Body } from "../../syntax/ast.ts";
import type { Diagnostic } from "../../syntax/diag.ts";
import type * as schema from "../../syntax/schema/index.ts";
import { Graph } from "../graph.ts";

export interface VNode {
  id: string;
  block: BlockStmt;
  file: string;
  /** node: config or service block; component; module: a declare; foreach. */
  kind: "node" | "component" | "module" | "foreach";
  /** Checked before type checking, in the order found. */
  diags: Diagnostic[];
  /** The body references are searched in (declares: none; foreach: without the template). */
  body: Body;
  args?: schema.BlockSchema;
  state?: VState;
  registry?: unknown;
}

export interface VState {
  root: boolean;
  foreach: boolean;
  graph: VGraph;
  /** Names in scope besides the stdlib; shared by every state, as Alloy's scopes share one map. */
  scope: Set<string>;
  arguments: BlockStmt[];
}

export class VGraph {
  private readonly g = new Graph<VNode>();
  private readonly order: string[] = [];

  constructor(private readonly parent?: VGraph) {}

  add(n: VNode): void {
    this.order.push(n.id);
    this.g.add(n);
  }

  get(id: string): VNode | undefined {
    return this.g.get(id);
  }

  getByID(id: string): VNode | undefined {
    return this.g.get(id) ?? this.parent?.getByID(id);
  }

  isFromParent(id: string): boolean {
    return !this.g.has(id) && this.parent?.getByID(id) !== undefined;
  }

  *inOrder(): Generator<VNode> {
    for (const id of this.order) {
      const n = this.g.get(id);
      if (n) yield n;
    }
  }

  addEdge(from: string, to: string): void {
    this.g.addEdge(from, to);
  }

  /** Cycles (strongly connected components of 2+ nodes), ordered by their first node's insertion. */
  cycles(): VNode[][] {
    const index = new Map(this.order.map((id, i) => [id, i]));
    return this.g
      .stronglyConnected()
      .filter((c) => c.length > 1)
      .sort((a, b) => Math.min(...a.map((id) => index.get(id)!)) - Math.min(...b.map((id) => index.get(id)!)))
      .map((c) => c.map((id) => this.g.get(id)!));
  }

  selfReferencing(): VNode[] {
    const out: VNode[] = [];
    for (const n of this.inOrder()) if (this.g.dependencies(n.id).has(n.id)) out.push(n);
    return out;
  }
}
