// A consumer that passes each batch to several consumers (an `output` block's list).
// Read-only consumers share the batch (each holding it, see `AnyBatch.release`); each
// mutating consumer gets its own copy without the original bytes, except that the last one
// may take the original when nobody else reads it.

import type { AnyBatch, LogsBatch, MetricsBatch, TracesBatch } from "./batch.ts";
import {
  ConsumerError,
  errorMessage,
  findConsumerError,
  mutatesData,
  type ConsumeResult,
  type OtelConsumer,
  type PartialSuccess,
} from "./consumer.ts";

type Deliver<B extends AnyBatch> = (c: OtelConsumer, b: B) => Promise<ConsumeResult> | undefined;

export function fanoutConsumer(consumers: readonly OtelConsumer[]): OtelConsumer {
  const list = [...consumers];
  if (list.length === 1 && !mutatesData(list[0]!)) return list[0]!;
  return {
    capabilities: { mutatesData: false },
    consumeTraces: (b: TracesBatch) => fanout(list, b, (c, x) => c.consumeTraces?.(x)),
    consumeMetrics: (b: MetricsBatch) => fanout(list, b, (c, x) => c.consumeMetrics?.(x)),
    consumeLogs: (b: LogsBatch) => fanout(list, b, (c, x) => c.consumeLogs?.(x)),
  };
}

function accepts(c: OtelConsumer, signal: AnyBatch["signal"]): boolean {
  switch (signal) {
    case "traces":
      return c.consumeTraces !== undefined;
    case "metrics":
      return c.consumeMetrics !== undefined;
    case "logs":
      return c.consumeLogs !== undefined;
  }
}

async function fanout<B extends AnyBatch>(consumers: OtelConsumer[], batch: B, deliver: Deliver<B>): Promise<ConsumeResult> {
  const targets = consumers.filter((c) => accepts(c, batch.signal));
  if (targets.length === 0) return;
  const readers = targets.filter((c) => !mutatesData(c));
  const writers = targets.filter((c) => mutatesData(c));

  // Copies are made before any consumer runs, so no consumer sees another's changes.
  const plan: Array<[OtelConsumer, B]> = readers.map((c) => [c, batch]);
  // Every reader holds the batch, and may release it before the next one is called.
  if (readers.length > 1) batch.share(readers.length - 1);
  writers.forEach((c, i) => {
    const last = i === writers.length - 1;
    plan.push([c, (last && readers.length === 0 ? batch.forMutation() : batch.clone().forMutation()) as B]);
  });

  const settled = await Promise.allSettled(plan.map(([c, b]) => callSafely(() => deliver(c, b))));
  const failures: unknown[] = [];
  const partials: PartialSuccess[] = [];
  for (const s of settled) {
    if (s.status === "rejected") failures.push(s.reason);
    else if (s.value) partials.push(s.value);
  }
  if (failures.length > 0) throw joinErrors(failures);
  if (partials.length === 0) return;
  return {
    rejected: Math.max(...partials.map((p) => p.rejected)),
    message: partials.map((p) => p.message).filter((m) => m !== "").join("; "),
  };
}

/** A consumer that throws instead of rejecting must not keep the others from running. */
function callSafely(fn: () => Promise<ConsumeResult> | undefined): Promise<ConsumeResult> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Several consumers failed. The result is permanent only when every failure is permanent:
 * retrying may duplicate data for consumers that succeeded, but never loses it silently.
 */
function joinErrors(failures: unknown[]): unknown {
  if (failures.length === 1) return failures[0];
  const found = failures.map(findConsumerError);
  const permanent = found.every((e) => e?.permanent === true);
  const retryAfter = found.reduce<number | undefined>((acc, e) => {
    const r = e?.retryAfterSeconds;
    return r === undefined ? acc : Math.max(acc ?? 0, r);
  }, undefined);
  const opts: { retryAfterSeconds?: number; throttled: boolean; cause: unknown } = {
    throttled: found.some((e) => e?.throttled === true),
    cause: failures[0],
  };
  if (retryAfter !== undefined) opts.retryAfterSeconds = retryAfter;
  return new ConsumerError(failures.map(errorMessage).join("; "), permanent, opts);
}
