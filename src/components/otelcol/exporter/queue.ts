// sending_queue: a bounded queue of requests drained by `num_consumers` workers. A full
// queue refuses new requests at once (the upstream sees a retryable error). With a storage
// extension every request is written to a file before it is accepted and removed once
// it was sent or dropped, so a crash loses nothing that was acknowledged.

import type { AnyBatch } from "../../../telemetry/otlp/batch.ts";
import { ConsumerError } from "../../../telemetry/otlp/consumer.ts";
import type { FileQueueStore } from "./file_queue_store.ts";

interface Item {
  batch: AnyBatch;
  file?: string;
  /** With wait_for_result: settles the sender's offer once the request was sent or dropped. */
  done?: (err?: unknown) => void;
}

export interface QueueBehaviour {
  /** Wait for room instead of refusing when the queue is full. */
  blockOnOverflow?: boolean;
  /** The sender waits until its request was sent (or failed) instead of until it was queued. */
  waitForResult?: boolean;
}

export class QueueFull extends ConsumerError {
  constructor(capacity: number) {
    super(`sending queue is full (capacity ${capacity})`, false);
  }
}

export class SendingQueue {
  readonly #items: Item[] = [];
  #head = 0;
  #inFlight = 0;
  #wake: Array<() => void> = [];
  #stopped = false;
  readonly #workers: Promise<void>[] = [];

  constructor(
    readonly capacity: number,
    private readonly numConsumers: number,
    /**
     * Sends one request, retrying as configured; failures are handled (counted, logged) inside.
     * Resolves true when the request is finished with (sent or dropped), false when sending was
     * cut short by shutdown and the request should be kept for the next start.
     */
    private readonly process: (batch: AnyBatch) => Promise<boolean>,
    private readonly store?: FileQueueStore,
    private readonly onSizeChange?: (size: number) => void,
    private readonly behaviour: QueueBehaviour = {},
  ) {}

  readonly #roomWaiters: Array<() => void> = [];

  /** Requests waiting or being sent. */
  get size(): number {
    return this.#items.length - this.#head + this.#inFlight;
  }

  /** Starts the workers, first queueing what a previous run left on disk. */
  async start(): Promise<void> {
    if (this.store) {
      for (const { file, batch } of await this.store.load()) this.#items.push({ batch, file });
      this.onSizeChange?.(this.size);
    }
    for (let i = 0; i < this.numConsumers; i++) this.#workers.push(this.#work());
  }

  async offer(batch: AnyBatch): Promise<void> {
    if (this.#stopped) throw ConsumerError.retryable("exporter is shutting down");
    while (this.size >= this.capacity) {
      if (!this.behaviour.blockOnOverflow || this.#stopped) throw new QueueFull(this.capacity);
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
      if (this.#stopped) throw ConsumerError.retryable("exporter is shutting down");
    }
    const item: Item = { batch };
    const result = this.behaviour.waitForResult
      ? new Promise<void>((resolve, reject) => (item.done = (err) => (err === undefined ? resolve() : reject(err))))
      : undefined;
    // Reserve the slot before the write so concurrent offers cannot overshoot the capacity.
    this.#inFlight++;
    try {
      if (this.store) item.file = await this.store.write(batch);
    } finally {
      this.#inFlight--;
    }
    this.#items.push(item);
    this.onSizeChange?.(this.size);
    this.#wake.shift()?.();
    if (result) await result;
  }

  /** Takes the requests not yet being sent (for handing over to a replacement queue). */
  takePending(): AnyBatch[] {
    const out: AnyBatch[] = [];
    for (let item = this.#take(); item; item = this.#take()) {
      out.push(item.batch);
      // The replacement queue owns it now; a sender waiting for the result is released.
      item.done?.();
    }
    return out;
  }

  /** Stops the workers; requests still queued stay on disk with a store, and are lost without one. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const w of this.#wake.splice(0)) w();
    for (const w of this.#roomWaiters.splice(0)) w();
    await Promise.all(this.#workers);
  }

  async #work(): Promise<void> {
    while (!this.#stopped) {
      if (this.#head >= this.#items.length) {
        await new Promise<void>((resolve) => this.#wake.push(resolve));
        continue;
      }
      // The item lives only in #sendNext's frame: JSC keeps a suspended async function's
      // earlier values in its saved frame, so a loop that held it here would keep each
      // worker's last request (and its buffer) alive while the worker waits.
      await this.#sendNext();
    }
  }

  async #sendNext(): Promise<void> {
    const item = this.#take();
    if (!item) return;
    this.#inFlight++;
    let finished = false;
    try {
      finished = await this.process(item.batch);
    } finally {
      this.#inFlight--;
      this.#roomWaiters.shift()?.();
    }
    item.done?.(finished ? undefined : ConsumerError.retryable("exporter is shutting down"));
    // Keep the file when the process stops mid-send: the request goes again on the next start.
    if (item.file && this.store && finished) await this.store.remove(item.file);
    this.onSizeChange?.(this.size);
  }

  #take(): Item | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head]!;
    this.#items[this.#head] = undefined as unknown as Item;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    return item;
  }
}
