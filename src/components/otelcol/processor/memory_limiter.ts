// otelcol.processor.memory_limiter: measures the process's memory every check_interval and,
// while it is above the soft limit (limit - spike_limit), refuses data with a retryable error
// (gRPC UNAVAILABLE / HTTP 503 at the receiver) so senders back off. As the Collector's, it
// first forces a garbage collection and measures again: above the hard limit at every check,
// above the soft limit at most every 10 seconds. Memory is the resident set size
// (/proc/self/statm where available, process.memoryUsage().rss elsewhere).

import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { Counter, type Registry } from "prom-client";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { ConsumerError, consumeBatch, type AnyBatch, type ConsumeResult, type OtelConsumer, type Signal } from "../../../telemetry/otlp/index.ts";
import { byteSize } from "../../common/byte_size.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { observed } from "../common/live_debugging.ts";
import { consumerType, Output, outputConsumer } from "../common/output.ts";

const Arguments = schema.block({
  check_interval: schema.attr(schema.duration),
  limit: schema.attr(byteSize, { default: 0 }),
  spike_limit: schema.attr(byteSize, { default: 0 }),
  limit_percentage: schema.attr(schema.uint, { default: 0 }),
  spike_limit_percentage: schema.attr(schema.uint, { default: 0 }),
  output: schema.block(Output),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
}, {
  validate: (a) => {
    if (a.check_interval <= 0) return "check_interval must be greater than zero";
    if (a.limit === 0 && a.limit_percentage === 0) return "either limit or limit_percentage must be set to greater than zero";
    if (a.limit > 0 && a.spike_limit >= a.limit) return "spike_limit must be smaller than limit";
    if (a.limit === 0 && (a.limit_percentage > 100 || a.spike_limit_percentage >= a.limit_percentage)) {
      return "limit_percentage must be at most 100 and spike_limit_percentage smaller than limit_percentage";
    }
    return undefined;
  },
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ input: schema.attr(consumerType) });

/** Hard and soft limits in bytes, as the Collector derives them. */
export function limitsOf(a: Args, total: number = totalMemory()): { hard: number; soft: number } {
  if (a.limit > 0) {
    const spike = a.spike_limit > 0 ? a.spike_limit : Math.floor(a.limit / 5);
    return { hard: a.limit, soft: a.limit - spike };
  }
  const hard = Math.floor((total * a.limit_percentage) / 100);
  const spike = Math.floor((total * a.spike_limit_percentage) / 100);
  return { hard, soft: hard - spike };
}

/** Memory available to the process: the cgroup limit when one is set, else physical memory. */
function totalMemory(): number {
  for (const f of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    try {
      const n = Number(readFileSync(f, "utf8").trim());
      if (Number.isFinite(n) && n > 0 && n < totalmem()) return n;
    } catch {
      // not in a cgroup with a limit
    }
  }
  return totalmem();
}

const PAGE_SIZE = 4096;
/** Resident set size in bytes. */
export function residentBytes(): number {
  try {
    const fields = readFileSync("/proc/self/statm", "utf8").split(" ");
    const pages = Number(fields[1]);
    if (Number.isFinite(pages)) return pages * PAGE_SIZE;
  } catch {
    // no procfs
  }
  return process.memoryUsage().rss;
}

const ITEM: Record<Signal, string> = { traces: "spans", metrics: "metric_points", logs: "log_records" };
/** The Collector's min_gc_interval_when_soft_limited (and 0 when hard limited). */
const MIN_GC_INTERVAL_SOFT_MS = 10_000;

class MemoryLimiter implements ComponentInstance<Args>, OtelConsumer {
  readonly capabilities = { mutatesData: false };
  #args: Args;
  #next: OtelConsumer;
  #limits: { hard: number; soft: number };
  #refusing = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #refused: Record<Signal, Counter>;
  /** For tests: where the measurement comes from, and how garbage is collected. */
  measure: () => number = residentBytes;
  collectGarbage: () => void = () => Bun.gc(true);
  #lastGC = -Infinity;

  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args, registry: Registry) {
    this.#args = args;
    this.#limits = limitsOf(args);
    this.#next = observed(ctx.liveDebugging, outputConsumer(args.output));
    this.#refused = Object.fromEntries(
      (["traces", "metrics", "logs"] as const).map((s) => [
        s,
        new Counter({ name: `otelcol_processor_refused_${ITEM[s]}_total`, help: `Number of ${ITEM[s]} that were rejected by the next component in the pipeline.`, labelNames: ["processor"], registers: [registry] }),
      ]),
    ) as Record<Signal, Counter>;
    this.#schedule();
    ctx.publish({ input: this });
  }

  update(args: Args): void {
    const intervalChanged = args.check_interval !== this.#args.check_interval;
    this.#args = args;
    this.#limits = limitsOf(args);
    this.#next = observed(this.ctx.liveDebugging, outputConsumer(args.output));
    if (intervalChanged) this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = setInterval(() => this.check(), this.#args.check_interval);
    this.#timer.unref?.();
    this.check();
  }

  /** One measurement: decides whether data is refused until the next one. */
  check(): void {
    let used = this.measure();
    const now = performance.now();
    if (used > this.#limits.hard || (used > this.#limits.soft && now - this.#lastGC >= MIN_GC_INTERVAL_SOFT_MS)) {
      this.collectGarbage();
      this.#lastGC = now;
      used = this.measure();
    }
    const refusing = used > this.#limits.soft;
    if (refusing !== this.#refusing) {
      if (refusing) this.ctx.logger.warn("Memory usage is above soft limit. Refusing data.", { cur_mem_mib: Math.round(used / 2 ** 20), soft_limit_mib: Math.round(this.#limits.soft / 2 ** 20) });
      else this.ctx.logger.info("Memory usage back within limits. Resuming normal operation.", { cur_mem_mib: Math.round(used / 2 ** 20) });
    }
    this.#refusing = refusing;
  }

  #accept(b: AnyBatch): Promise<ConsumeResult> {
    if (this.#refusing) {
      this.#refused[b.signal].inc({ processor: "memory_limiter" }, b.itemCount());
      return Promise.reject(ConsumerError.retryable("data refused due to high memory usage"));
    }
    return consumeBatch(this.#next, b);
  }

  consumeTraces(b: AnyBatch): Promise<ConsumeResult> {
    return this.#accept(b);
  }
  consumeMetrics(b: AnyBatch): Promise<ConsumeResult> {
    return this.#accept(b);
  }
  consumeLogs(b: AnyBatch): Promise<ConsumeResult> {
    return this.#accept(b);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}

export default defineComponent({
  name: "otelcol.processor.memory_limiter",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new MemoryLimiter(ctx, args, ctx.registry),
});
