// loki.process: runs every received entry through the `stage.*` blocks in
// order and forwards what comes out to `forward_to`. The pipeline is rebuilt
// only when the stages change; a change of forward_to just redirects output.

import type { BuildComponent, ComponentContext, ComponentInstance } from "../../../runtime/component.ts";
import type * as schema from "../../../syntax/schema/index.ts";
import { format, inLocation, RFC3339Nano } from "../../../gocompat/timefmt.ts";
import { newLabelSet, type Entry } from "../../../telemetry/loki/entry.ts";
import { formatLabels } from "../../../telemetry/loki/labels.ts";
import { FanOut, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { ExpiringMetricVec, newDropCounter, type DropCounter } from "./metrics_vec.ts";
import { Pipeline, newExtracted, type PipelineEntry, type StageBlock, type StageContext } from "./pipeline.ts";
import { buildStage } from "./stages.ts";
import type { Arguments, Exports } from "./index.ts";

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

function describe(direction: "IN" | "OUT", e: Entry): string {
  const md = JSON.stringify(Object.fromEntries(e.structuredMetadata.map((p) => [p.name, p.value])));
  const ts = format(inLocation(e.timestamp), RFC3339Nano);
  return `[${direction}]: timestamp: ${ts}, entry: ${e.line}, labels: ${formatLabels(e.labels)}, structured_metadata: ${md}`;
}

/**
 * The entry the pipeline works on. Stages replace an entry's label set and
 * structured metadata rather than change them (label_sets.ts), so both are
 * shared with the received entry rather than copied.
 */
function ownEntry(e: Entry): Entry {
  // Labels built as plain objects would let names like `constructor` read inherited values.
  const labels = Object.getPrototypeOf(e.labels) === null ? e.labels : newLabelSet(e.labels);
  return { labels, timestamp: e.timestamp, line: e.line, structuredMetadata: e.structuredMetadata };
}

function collect(out: Entry[], processed: readonly PipelineEntry[]): void {
  for (const p of processed) out.push(p.entry);
}

class LokiProcess implements ComponentInstance<Args>, LogsReceiver {
  private readonly fanout = new FanOut();
  private readonly dropped: DropCounter;
  private pipeline: Pipeline;
  private collectors: ExpiringMetricVec[] = [];
  private stagesKey: string;

  constructor(
    private readonly ctx: Ctx,
    args: Args,
  ) {
    this.dropped = newDropCounter(ctx.registry);
    this.stagesKey = JSON.stringify(args.stages);
    this.pipeline = this.build(args.stages);
    this.fanout.setTargets(args.forward_to);
    ctx.publish({ receiver: this });
  }

  update(args: Args): void {
    this.fanout.setTargets(args.forward_to);
    const key = JSON.stringify(args.stages);
    if (key === this.stagesKey) return;
    const old = this.pipeline;
    this.pipeline = this.build(args.stages);
    this.stagesKey = key;
    old.stop();
  }

  /** Builds a pipeline; its stage.metrics collectors replace the previous pipeline's only once all stages are valid. */
  private build(stages: readonly StageBlock[]): Pipeline {
    const collectors: ExpiringMetricVec[] = [];
    const names = new Set<string>();
    const ctx: StageContext = {
      logger: this.ctx.logger,
      registry: this.ctx.registry,
      dropped: this.dropped,
      registerCollector: (c) => {
        if (names.has(c.name)) throw new Error(`duplicate metrics collector registration attempted: ${c.name}`);
        names.add(c.name);
        collectors.push(c);
      },
      buildPipeline: (nested) => new Pipeline(nested.map((b) => buildStage(b, ctx))),
    };
    const pipeline = new Pipeline(stages.map((b) => buildStage(b, ctx)));
    for (const c of this.collectors) this.ctx.registry.removeSingleMetric(c.name);
    for (const c of collectors) {
      if (this.ctx.registry.getSingleMetric(c.name)) throw new Error(`duplicate metrics collector registration attempted: ${c.name}`);
      this.ctx.registry.registerMetric(c as never);
    }
    this.collectors = collectors;
    pipeline.setLateEmitter((out) => {
      const p = this.forward(out.map((o) => o.entry));
      if (p) p.catch((err: unknown) => this.ctx.logger.warn("failed to forward entries", { err: String(err) }));
    });
    return pipeline;
  }

  send(entries: Entry[]): void | Promise<void> {
    const debug = this.ctx.liveDebugging.isActive();
    const out: Entry[] = [];
    let pending: Promise<void> | undefined;
    for (const received of entries) {
      if (debug) this.ctx.liveDebugging.publish({ type: "loki_log", count: 1, text: () => describe("IN", received) });
      const e: PipelineEntry = { extracted: newExtracted(), entry: ownEntry(received) };
      const pipeline = this.pipeline;
      if (pending) {
        pending = pending.then(async () => collect(out, await this.processOne(pipeline, e)));
        continue;
      }
      const r = this.processOne(pipeline, e);
      if (Array.isArray(r)) collect(out, r);
      else pending = r.then((o) => collect(out, o));
    }
    if (pending) return pending.then(() => this.forward(out));
    return this.forward(out);
  }

  /** One entry through the pipeline; a stage failing unexpectedly loses that entry, not the batch. */
  private processOne(pipeline: Pipeline, e: PipelineEntry): PipelineEntry[] | Promise<PipelineEntry[]> {
    try {
      const r = pipeline.process(e);
      return Array.isArray(r) ? r : r.catch(this.failed);
    } catch (err) {
      return this.failed(err);
    }
  }

  private readonly failed = (err: unknown): PipelineEntry[] => {
    this.ctx.logger.error("failed to process log entry", { err: err instanceof Error ? err.message : String(err) });
    return [];
  };

  private forward(entries: Entry[]): void | Promise<void> {
    if (entries.length === 0) return;
    if (this.ctx.liveDebugging.isActive()) {
      for (const e of entries) this.ctx.liveDebugging.publish({ type: "loki_log", count: 1, text: () => describe("OUT", e) });
    }
    return this.fanout.send(entries);
  }

  stop(): void {
    this.pipeline.stop();
    for (const c of this.collectors) this.ctx.registry.removeSingleMetric(c.name);
  }
}

/** Loaded with the first block of this component in a config (see index.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new LokiProcess(ctx, args);
