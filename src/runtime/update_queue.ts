// Nodes whose exports changed wait here until the controller re-evaluates their
// dependants. Insertion-ordered and de-duplicated: a burst of changes from one
// node is one entry, so dependants are evaluated once with the latest exports.

export class UpdateQueue<T> {
  private pending = new Set<T>();
  private waiter: (() => void) | undefined;

  enqueue(item: T): void {
    this.pending.add(item);
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w();
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Everything queued so far, in first-enqueued order; the queue is left empty. */
  drain(): T[] {
    const items = [...this.pending];
    this.pending = new Set();
    return items;
  }

  /** Resolves when the queue is non-empty (at once if it already is). */
  wait(): Promise<void> {
    if (this.pending.size > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Wake a pending wait() without an item (used on shutdown). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
