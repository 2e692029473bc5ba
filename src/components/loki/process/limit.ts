// stage.limit: a token bucket (rate per second, burst). Without `drop` an
// entry over the limit waits for a token; with `drop` it is dropped and
// counted (reason ratelimit_drop_stage). by_label_name keeps one bucket per
// value of that label (at most max_distinct_labels, oldest generation out).

import * as schema from "../../../syntax/schema/index.ts";
import type { Counter } from "prom-client";
import { sharedCounter } from "./metrics_vec.ts";
import type { Stage, StageContext } from "./pipeline.ts";

export const LimitBlock = schema.block({
  rate: schema.attr(schema.number),
  burst: schema.attr(schema.int),
  drop: schema.attr(schema.bool, { default: false }),
  by_label_name: schema.attr(schema.string, { default: "" }),
  max_distinct_labels: schema.attr(schema.int, { default: 10_000 }),
});

const DROP_REASON = "ratelimit_drop_stage";
const MIN_DISTINCT_LABELS = 10_000;

/** golang.org/x/time/rate's Limiter: tokens refill at `rate`/s up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = burst;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  allow(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes a token, returning how long (ms) the caller must wait before using it. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }
}

/** Two generations of buckets; when the new one is full it becomes the old one. */
class GenerationalBuckets {
  private oldgen = new Map<string, TokenBucket>();
  private newgen = new Map<string, TokenBucket>();
  constructor(
    private readonly maxSize: number,
    private readonly create: () => TokenBucket,
    private readonly onGC: () => void,
  ) {}
  get(key: string): TokenBucket {
    let v = this.newgen.get(key);
    if (v) return v;
    v = this.oldgen.get(key) ?? this.create();
    this.newgen.set(key, v);
    if (this.newgen.size === this.maxSize) {
      this.oldgen = this.newgen;
      this.newgen = new Map();
      this.onGC();
    }
    return v;
  }
}

export function newLimitStage(args: schema.Infer<typeof LimitBlock>, ctx: StageContext): Stage {
  if (args.rate <= 0 || args.burst <= 0) throw new Error("limit stage failed to parse rate or burst");
  if (args.by_label_name !== "" && !args.drop) throw new Error("when ratelimiting by label, drop must be true");
  const logger = ctx.logger.with({ stage: "limit" });
  let maxDistinct = args.max_distinct_labels;
  if (args.by_label_name !== "" && maxDistinct < MIN_DISTINCT_LABELS) {
    logger.warn(`max_distinct_labels was adjusted up to the minimal reasonable value of ${MIN_DISTINCT_LABELS}`);
    maxDistinct = MIN_DISTINCT_LABELS;
  }
  if (args.by_label_name !== "") {
    const byLabel: Counter = sharedCounter(ctx.registry, "loki_process_dropped_lines_by_label_total", "A count of all log lines dropped as a result of a pipeline stage", [
      "label_name",
      "label_value",
    ]);
    const buckets = new GenerationalBuckets(maxDistinct, () => new TokenBucket(args.rate, args.burst), () => byLabel.reset());
    return {
      process(e) {
        const v = e.entry.labels[args.by_label_name];
        if (v === undefined || buckets.get(v).allow()) return [e];
        ctx.dropped.inc(DROP_REASON);
        byLabel.inc({ label_name: args.by_label_name, label_value: v });
        return [];
      },
    };
  }
  const bucket = new TokenBucket(args.rate, args.burst);
  let stopped = false;
  return {
    process(e) {
      if (args.drop) {
        if (bucket.allow()) return [e];
        ctx.dropped.inc(DROP_REASON);
        return [];
      }
      const wait = bucket.reserve();
      if (wait <= 0) return [e];
      return new Promise((resolve) => setTimeout(() => resolve(stopped ? [] : [e]), wait));
    },
    stop() {
      stopped = true;
    },
  };
}
