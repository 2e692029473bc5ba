// The scrape pool of one prometheus.scrape component: one loop per target. Targets
// that stay keep their loop and series cache; new ones start; removed ones stop
// and later write staleness markers. A config change restarts every loop on the new settings
// while handing over its series cache, so nothing is marked stale by the reload.

import type { Logger } from "../../../runtime/logger.ts";
import type { ScrapeConfig } from "./arguments.ts";
import { ScrapeLoop, type ScrapeLoopDeps } from "./loop.ts";
import { discoveredLabels, populateLabels, ScrapeTarget, TargetError } from "./target.ts";

/** What a target's samples are written as: its public labels and URL. */
function identity(t: ScrapeTarget): string {
  return `${t.publicLabels.key()}\u0000${t.url}`;
}

export class ScrapePool {
  private loops = new Map<string, ScrapeLoop>();
  /** Targets dropped because their labels were invalid, for debug info. */
  droppedTargets = 0;

  constructor(
    private cfg: ScrapeConfig,
    private deps: ScrapeLoopDeps,
    private readonly logger: Logger,
  ) {}

  get activeLoops(): ScrapeLoop[] {
    return [...this.loops.values()];
  }

  /** Builds scrape targets from discovered ones; invalid ones are logged and skipped. */
  private buildTargets(targets: readonly Record<string, string>[]): Map<string, ScrapeTarget> {
    const out = new Map<string, ScrapeTarget>();
    let dropped = 0;
    for (const t of targets) {
      const disc = discoveredLabels(t, this.cfg);
      try {
        const { labels, intervalMs, timeoutMs } = populateLabels(disc);
        const st = new ScrapeTarget(labels, disc, intervalMs, timeoutMs, this.cfg.params);
        if (!out.has(st.key)) out.set(st.key, st);
      } catch (err) {
        if (!(err instanceof TargetError)) throw err;
        dropped++;
        this.logger.error("creating target failed", { err: err.message, target: disc.toString() });
      }
    }
    this.droppedTargets = dropped;
    return out;
  }

  /** Applies a new target list. */
  sync(targets: readonly Record<string, string>[]): Promise<void> {
    this.deps.metrics.poolSyncs.inc({ scrape_job: this.cfg.jobName });
    return this.apply(this.buildTargets(targets), false);
  }

  /** New settings (and client): every loop restarts, keeping its series cache. */
  reload(cfg: ScrapeConfig, deps: ScrapeLoopDeps, targets: readonly Record<string, string>[]): Promise<void> {
    this.cfg = cfg;
    this.deps = deps;
    this.deps.metrics.poolReloads.inc();
    return this.apply(this.buildTargets(targets), true);
  }

  /**
   * Keeps loops whose target is unchanged (restarting them when `restart`), starts
   * new ones and stops the rest. A removed target whose samples a new target will
   * carry under the same labels and URL (only `__` labels differ, e.g. a new
   * scrape_timeout) hands its series cache over instead of marking them stale.
   */
  private async apply(wanted: Map<string, ScrapeTarget>, restart: boolean): Promise<void> {
    const old = this.loops;
    this.loops = new Map();
    const successors = new Map<string, ScrapeTarget>();
    for (const [key, t] of wanted) if (!old.has(key)) successors.set(identity(t), t);
    const stops: Promise<void>[] = [];
    const handOvers: Array<Promise<void>> = [];
    for (const [key, loop] of old) {
      if (wanted.has(key) && !restart) {
        this.loops.set(key, loop);
        continue;
      }
      const next = wanted.has(key) ? wanted.get(key)! : successors.get(identity(loop.target));
      if (next === undefined) {
        stops.push(loop.stop(true));
        continue;
      }
      successors.delete(identity(next));
      const nextKey = next.key;
      handOvers.push(
        loop.stop(false).then(() => {
          const l = new ScrapeLoop(next, this.cfg, this.deps, loop.handOver());
          this.loops.set(nextKey, l);
          l.start();
        }),
      );
    }
    await Promise.all(handOvers);
    for (const [key, t] of wanted) {
      if (this.loops.has(key)) continue;
      const loop = new ScrapeLoop(t, this.cfg, this.deps);
      this.loops.set(key, loop);
      loop.start();
    }
    this.applyTargetLimit();
    this.deps.metrics.poolTargets.reset();
    this.deps.metrics.poolTargets.set({ scrape_job: this.cfg.jobName }, this.loops.size);
    await Promise.all(stops);
  }

  private applyTargetLimit(): void {
    const limit = this.cfg.targetLimit;
    const exceeded = limit > 0 && this.loops.size > limit;
    if (exceeded) this.deps.metrics.exceededTargetLimit.inc();
    const err = exceeded ? `target_limit exceeded (number of targets: ${this.loops.size}, limit: ${limit})` : undefined;
    for (const l of this.loops.values()) l.forcedError = err;
  }

  /** Stops every loop; no staleness markers (the component is going away, as Prometheus on shutdown). */
  async stop(): Promise<void> {
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((l) => l.stop(false)));
  }
}
