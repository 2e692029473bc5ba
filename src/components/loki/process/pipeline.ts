// The stage pipeline of loki.process: an entry travels with its extracted map
// (seeded with the entry's labels) through the stages in order. A stage may
// pass the entry on, drop it, hold it (multiline, cri) or emit several
// (split_json), and may emit later on its own (multiline's max_wait_time).

import type { Registry } from "prom-client";
import type { Logger } from "../../../runtime/logger.ts";
import type { Entry } from "../../../telemetry/loki/entry.ts";
import type { DropCounter, ExpiringMetricVec } from "./metrics_vec.ts";

/** Values in the extracted map: strings, float64 numbers, bools and null, as Go's `any` holds them. */
export type Extracted = Record<string, unknown>;

export interface PipelineEntry {
  extracted: Extracted;
  entry: Entry;
}

/** What processing one entry produced: the entries to pass on, now or once a promise settles. */
export type StageResult = PipelineEntry[] | Promise<PipelineEntry[]>;

export interface Stage {
  process(e: PipelineEntry): StageResult;
  /**
   * The same as process, for stages that pass on at most the entry they were
   * given and never wait: false drops it. The pipeline prefers this (no array
   * per entry and stage).
   */
  keep?(e: PipelineEntry): boolean;
  /** Set by the pipeline for stages that emit outside `process` (timeouts). */
  setLateEmitter?(emit: (entries: PipelineEntry[]) => void): void;
  /** Release timers; stages holding entries emit them through the late emitter first. */
  stop?(): void;
}

/** What a stage gets when it is built. */
export interface StageContext {
  logger: Logger;
  registry: Registry;
  dropped: DropCounter;
  /** stage.metrics collectors; registered by the component once the whole pipeline is built. */
  registerCollector(c: ExpiringMetricVec): void;
  /** Builds a nested pipeline (stage.match). */
  buildPipeline(stages: readonly StageBlock[]): Pipeline;
}

/** A decoded `stage.*` block. */
export interface StageBlock {
  kind: string;
  value: unknown;
}

export class Pipeline {
  private lateOut: (entries: PipelineEntry[]) => void = () => {};

  constructor(private readonly stages: readonly Stage[]) {
    stages.forEach((s, i) => s.setLateEmitter?.((entries) => this.lateFrom(i + 1, entries)));
  }

  /** Where entries emitted outside `process` go once they have run the rest of the pipeline. */
  setLateEmitter(emit: (entries: PipelineEntry[]) => void): void {
    this.lateOut = emit;
  }

  process(e: PipelineEntry): StageResult {
    seedExtracted(e);
    return this.runFrom(0, [e]);
  }

  stop(): void {
    for (const s of this.stages) s.stop?.();
  }

  private lateFrom(index: number, entries: PipelineEntry[]): void {
    const r = this.runFrom(index, entries);
    if (Array.isArray(r)) {
      if (r.length > 0) this.lateOut(r);
    } else {
      void r.then((out) => out.length > 0 && this.lateOut(out));
    }
  }

  /** Runs entries through stages[index..]; synchronous unless a stage returns a promise. */
  private runFrom(index: number, entries: PipelineEntry[]): StageResult {
    let current = entries;
    for (let i = index; i < this.stages.length; i++) {
      if (current.length === 0) return current;
      const stage = this.stages[i]!;
      if (stage.keep !== undefined) {
        current = keepEach(stage.keep, current);
        continue;
      }
      const next: PipelineEntry[] = [];
      for (let j = 0; j < current.length; j++) {
        const r = stage.process(current[j]!);
        if (!Array.isArray(r)) return this.continueAsync(i, current, j, next, r);
        for (const o of r) next.push(o);
      }
      current = next;
    }
    return current;
  }

  private async continueAsync(
    stageIndex: number,
    current: PipelineEntry[],
    entryIndex: number,
    next: PipelineEntry[],
    pending: Promise<PipelineEntry[]>,
  ): Promise<PipelineEntry[]> {
    for (const o of await pending) next.push(o);
    for (let j = entryIndex + 1; j < current.length; j++) {
      for (const o of await this.stages[stageIndex]!.process(current[j]!)) next.push(o);
    }
    return await this.runFrom(stageIndex + 1, next);
  }
}

/** The entries `keep` keeps; the same array when it keeps them all (a new one otherwise: `entries` may not be ours). */
function keepEach(keep: (e: PipelineEntry) => boolean, entries: PipelineEntry[]): PipelineEntry[] {
  let kept: PipelineEntry[] | undefined;
  for (let j = 0; j < entries.length; j++) {
    const e = entries[j]!;
    if (keep(e)) kept?.push(e);
    else kept ??= entries.slice(0, j);
  }
  return kept ?? entries;
}

/** The extracted map an entry starts with: its labels (Alloy's pipeline does this before every pipeline, nested ones too). */
export function seedExtracted(e: PipelineEntry): void {
  for (const k of Object.keys(e.entry.labels)) e.extracted[k] = e.entry.labels[k]!;
}

export function newExtracted(): Extracted {
  return Object.create(null) as Extracted;
}

/** A stage that changes each entry in place and always passes it on (Alloy's Processor). */
export function mutatingStage(fn: (e: PipelineEntry) => void): Stage {
  return {
    process(e) {
      fn(e);
      return [e];
    },
    keep(e) {
      fn(e);
      return true;
    },
  };
}

/** A stage that passes an entry on only when `keep` says so. */
export function filteringStage(keep: (e: PipelineEntry) => boolean): Stage {
  return { process: (e) => (keep(e) ? [e] : []), keep };
}
