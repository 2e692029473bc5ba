// retry_on_failure: exponential backoff with jitter until max_elapsed_time, waiting at least
// as long as the server asked (Retry-After / RetryInfo); permanent failures are not retried.

import { findConsumerError, isPermanentError } from "../../../telemetry/otlp/consumer.ts";
import type { RetryArgs } from "./arguments.ts";

export class RetryGaveUp extends Error {
  override readonly name = "RetryGaveUp";
}

/** The wait before retry number `attempt` (0-based), as backoff.ExponentialBackOff computes it. */
export function backoffDelay(r: RetryArgs, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(r.initial_interval * r.multiplier ** attempt, r.max_interval);
  const delta = r.randomization_factor * base;
  return base - delta + random() * 2 * delta;
}

/**
 * Runs `send` until it succeeds, fails permanently, or retrying would pass max_elapsed_time.
 * `onFailure` sees every failed attempt. Throws the last error when giving up.
 */
export async function withRetry<T>(
  r: RetryArgs,
  send: () => Promise<T>,
  signal: AbortSignal,
  onFailure?: (err: unknown) => void,
): Promise<T> {
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      onFailure?.(err);
      if (!r.enabled || isPermanentError(err) || signal.aborted) throw err;
      let wait = backoffDelay(r, attempt);
      const hint = findConsumerError(err)?.retryAfterSeconds;
      if (hint !== undefined) wait = Math.max(wait, hint * 1000);
      if (r.max_elapsed_time > 0 && Date.now() - start + wait > r.max_elapsed_time) {
        throw new RetryGaveUp(`no more retries left: ${(err as Error).message ?? String(err)}`, { cause: err });
      }
      await sleep(wait, signal);
      if (signal.aborted) throw err;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
