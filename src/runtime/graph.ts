// A directed graph of node IDs: an edge `from → to` means `from` depends on `to`
// (the dependant points at its dependency, as in Alloy). Nodes keep insertion
// order so diagnostics and evaluation order are stable.

export class Graph<N extends { readonly id: string }> {
  private readonly nodes = new Map<string, N>();
  /** id → ids it depends on */
  private readonly out = new Map<string, Set<string>>();
  /** id → ids that depend on it */
  private readonly in = new Map<string, Set<string>>();

  add(node: N): void {
    this.nodes.set(node.id, node);
    if (!this.out.has(node.id)) this.out.set(node.id, new Set());
    if (!this.in.has(node.id)) this.in.set(node.id, new Set());
  }

  get(id: string): N | undefined {
    return this.nodes.get(id);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get size(): number {
    return this.nodes.size;
  }

  all(): IterableIterator<N> {
    return this.nodes.values();
  }

  ids(): IterableIterator<string> {
    return this.nodes.keys();
  }

  addEdge(from: string, to: string): void {
    this.out.get(from)?.add(to);
    this.in.get(to)?.add(from);
  }

  /** What `id` depends on. */
  dependencies(id: string): ReadonlySet<string> {
    return this.out.get(id) ?? new Set();
  }

  /** What depends on `id`. */
  dependants(id: string): ReadonlySet<string> {
    return this.in.get(id) ?? new Set();
  }

  edges(): Array<readonly [string, string]> {
    const es: Array<readonly [string, string]> = [];
    for (const [from, tos] of this.out) for (const to of tos) es.push([from, to]);
    return es;
  }

  /**
   * Strongly connected components in node insertion order (Tarjan), each listed
   * in discovery order. Components of size > 1 are cycles.
   */
  stronglyConnected(): string[][] {
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const result: string[][] = [];

    // Iterative to survive long chains.
    for (const root of this.nodes.keys()) {
      if (idx.has(root)) continue;
      const work: Array<{ id: string; it: Iterator<string> }> = [];
      const visit = (id: string): void => {
        idx.set(id, index);
        low.set(id, index);
        index++;
        stack.push(id);
        onStack.add(id);
        work.push({ id, it: this.dependencies(id).values() });
      };
      visit(root);
      while (work.length > 0) {
        const top = work[work.length - 1]!;
        const next = top.it.next();
        if (!next.done) {
          const w = next.value;
          if (!idx.has(w)) visit(w);
          else if (onStack.has(w)) low.set(top.id, Math.min(low.get(top.id)!, idx.get(w)!));
          continue;
        }
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1]!;
          low.set(parent.id, Math.min(low.get(parent.id)!, low.get(top.id)!));
        }
        if (low.get(top.id) === idx.get(top.id)) {
          const comp: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            comp.push(w);
          } while (w !== top.id);
          result.push(comp);
        }
      }
    }
    return result;
  }

  /** Dependencies before dependants; ties keep insertion order. Assumes no cycles. */
  topoOrder(): string[] {
    const remaining = new Map<string, number>();
    for (const id of this.nodes.keys()) remaining.set(id, this.dependencies(id).size);
    const ready: string[] = [];
    for (const [id, n] of remaining) if (n === 0) ready.push(id);
    const order: string[] = [];
    for (let i = 0; i < ready.length; i++) {
      const id = ready[i]!;
      order.push(id);
      for (const d of this.dependants(id)) {
        const left = remaining.get(d)! - 1;
        remaining.set(d, left);
        if (left === 0) ready.push(d);
      }
    }
    return order;
  }
}
