// The one narrow interface every otelcol receiver, processor, connector and exporter
// meets at (the Collector's consumer.Traces/Metrics/Logs), passed through the config
// as the `otelcol.Consumer` capsule.

import { Capsule, type Value } from "../../syntax/value.ts";
import type { AnyBatch, LogsBatch, MetricsBatch, TracesBatch } from "./batch.ts";

/**
 * Some items of a batch were refused while the rest was accepted (OTLP partial success).
 * A consumer resolves with this instead of throwing when only part of the batch failed.
 */
export interface PartialSuccess {
  /** Spans, data points or log records that were not accepted. */
  readonly rejected: number;
  /** Why, for the sender; may be empty. */
  readonly message: string;
}

export type ConsumeResult = void | PartialSuccess;

export interface OtelConsumer {
  consumeTraces?(batch: TracesBatch): Promise<ConsumeResult>;
  consumeMetrics?(batch: MetricsBatch): Promise<ConsumeResult>;
  consumeLogs?(batch: LogsBatch): Promise<ConsumeResult>;
  /**
   * `mutatesData: true` means the consumer changes batches in place; a fan-out then hands it
   * its own copy, without the original bytes. Absent means false.
   */
  readonly capabilities?: { readonly mutatesData: boolean };
}

/** Capsule type name seen in the config (`capsule("otelcol.Consumer")`). */
export const CONSUMER_CAPSULE_TYPE = "otelcol.Consumer";

export function consumerCapsule(consumer: OtelConsumer): Capsule<OtelConsumer> {
  return new Capsule(CONSUMER_CAPSULE_TYPE, consumer);
}

/** The consumer inside a config value, or undefined if the value is not an `otelcol.Consumer`. */
export function consumerFromValue(v: Value): OtelConsumer | undefined {
  if (v instanceof Capsule && v.typeName === CONSUMER_CAPSULE_TYPE) return v.value as OtelConsumer;
  return undefined;
}

export function mutatesData(consumer: OtelConsumer): boolean {
  return consumer.capabilities?.mutatesData === true;
}

export interface ConsumerErrorOptions {
  /** Server's hint for when to retry, in seconds (HTTP Retry-After, gRPC RetryInfo). */
  retryAfterSeconds?: number;
  /** The data was refused to shed load (maps to HTTP 429 / gRPC RESOURCE_EXHAUSTED rather than 503 / UNAVAILABLE). */
  throttled?: boolean;
  /** Items refused, when known; defaults to the whole batch. */
  rejected?: number;
  cause?: unknown;
}

/**
 * A consumer refused a batch. `permanent` errors mean sending the same data again will
 * fail again (OTLP: 400 / INVALID_ARGUMENT); the rest are worth retrying (503 / UNAVAILABLE).
 * Any other thrown error is treated as retryable, as in the Collector.
 */
export class ConsumerError extends Error {
  override readonly name = "ConsumerError";
  readonly retryAfterSeconds: number | undefined;
  readonly throttled: boolean;
  readonly rejected: number | undefined;

  constructor(
    message: string,
    readonly permanent: boolean,
    opts: ConsumerErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.throttled = opts.throttled ?? false;
    this.rejected = opts.rejected;
  }

  static permanent(message: string, opts?: Omit<ConsumerErrorOptions, "retryAfterSeconds" | "throttled">): ConsumerError {
    return new ConsumerError(message, true, opts);
  }

  static retryable(message: string, opts?: ConsumerErrorOptions): ConsumerError {
    return new ConsumerError(message, false, opts);
  }
}

/** True only for a ConsumerError marked permanent (anywhere in its `cause` chain). */
export function isPermanentError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof ConsumerError) return e.permanent;
  }
  return false;
}

/** The ConsumerError in an error's `cause` chain, if any. */
export function findConsumerError(err: unknown): ConsumerError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof ConsumerError) return e;
  }
  return undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The consumer has no method for a batch's signal (OTLP: gRPC UNIMPLEMENTED, HTTP 404). */
export class SignalNotAccepted extends Error {
  override readonly name = "SignalNotAccepted";
}

/** Hands a batch to the consumer's method for its signal. */
export function consumeBatch(consumer: OtelConsumer, batch: AnyBatch): Promise<ConsumeResult> {
  let result: Promise<ConsumeResult> | undefined;
  switch (batch.signal) {
    case "traces":
      result = consumer.consumeTraces?.(batch);
      break;
    case "metrics":
      result = consumer.consumeMetrics?.(batch);
      break;
    case "logs":
      result = consumer.consumeLogs?.(batch);
      break;
  }
  return result ?? Promise.reject(new SignalNotAccepted(`this receiver does not accept ${batch.signal}`));
}
