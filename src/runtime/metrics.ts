// Self-metrics plumbing. Every component gets its own prom-client Registry whose
// default labels are `component_path` and `component_id`; every controller (root
// and each module) has a registry labelled `controller_path`/`controller_id`.
// MetricsHub gathers them all, merged by metric name, for `/metrics`.

import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { HealthState } from "./runtime.ts";

export class MetricsHub {
  private readonly children = new Set<Registry>();

  /** `root` holds process-wide metrics (build info, config hash, ...); the CLI may pass its own. */
  constructor(readonly root: Registry = new Registry()) {}

  /** A registry whose metrics carry the given labels, included in `metrics()` until `remove`d. */
  child(labels: Record<string, string>): Registry {
    const r = new Registry();
    r.setDefaultLabels(labels);
    this.children.add(r);
    return r;
  }

  remove(r: Registry): void {
    this.children.delete(r);
  }

  get contentType(): string {
    return this.root.contentType;
  }

  /** Text exposition of the root registry and every child, metrics with the same name merged. */
  async metrics(): Promise<string> {
    const all = [this.root, ...this.children];
    const json = await Promise.all(all.map((r) => r.getMetricsAsJSON()));
    // Metrics that exist in only one registry need no merging; aggregate() sums
    // samples with identical labels, which cannot happen across differently labelled children.
    return AggregatorRegistry.aggregate(json).metrics();
  }
}

/** The registry a component sees: its metrics get `component_path` and `component_id`. */
export function componentRegistry(hub: MetricsHub, componentPath: string, componentID: string): Registry {
  return hub.child({ component_path: componentPath, component_id: componentID });
}

const evaluationBuckets = [0.005, 0.025, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600];
/** Evaluations at least this long are counted in alloy_component_evaluation_slow_seconds. */
export const slowEvaluationSeconds = 60;

/** Alloy's controller metrics, one set per controller (root is path `/`, id `""`). */
export class ControllerMetrics {
  readonly registry: Registry;
  readonly evaluating: Gauge;
  readonly evaluationSeconds: Histogram;
  readonly dependenciesWaitSeconds: Histogram;
  readonly queueSize: Gauge;
  readonly slowSeconds: Counter;
  readonly graphConnection: Gauge;

  constructor(
    private readonly hub: MetricsHub,
    controllerPath: string,
    controllerID: string,
    healthCounts: () => Map<HealthState, number>,
  ) {
    const registers = [(this.registry = hub.child({ controller_path: controllerPath, controller_id: controllerID }))];
    new Gauge({
      name: "alloy_component_controller_running_components",
      help: "Total number of running components.",
      labelNames: ["health_type"],
      registers,
      collect() {
        this.reset();
        for (const [state, n] of healthCounts()) this.set({ health_type: state }, n);
      },
    });
    this.evaluating = new Gauge({
      name: "alloy_component_controller_evaluating",
      help: "Tracks if the controller is currently in the middle of a graph evaluation",
      registers,
    });
    this.evaluationSeconds = new Histogram({
      name: "alloy_component_evaluation_seconds",
      help: "Time spent performing component evaluation",
      buckets: evaluationBuckets,
      registers,
    });
    this.dependenciesWaitSeconds = new Histogram({
      name: "alloy_component_dependencies_wait_seconds",
      help: "Time spent by components waiting to be evaluated after their dependency is updated.",
      buckets: evaluationBuckets,
      registers,
    });
    this.queueSize = new Gauge({
      name: "alloy_component_evaluation_queue_size",
      help: "Tracks the number of components waiting to be evaluated in the worker pool",
      registers,
    });
    this.slowSeconds = new Counter({
      name: "alloy_component_evaluation_slow_seconds",
      help: "Number of seconds spent evaluating components that take longer than 1m0s to evaluate",
      labelNames: ["component_id"],
      registers,
    });
    this.graphConnection = new Gauge({
      name: "alloy_component_graph_connection",
      help: "Indicates that two components are connected in the graph",
      labelNames: ["from", "to"],
      registers,
    });
  }

  onEvaluationDone(componentID: string, seconds: number): void {
    this.evaluationSeconds.observe(seconds);
    if (seconds >= slowEvaluationSeconds) this.slowSeconds.inc({ component_id: componentID }, seconds);
  }

  setEdges(edges: Iterable<readonly [string, string]>): void {
    this.graphConnection.reset();
    for (const [from, to] of edges) this.graphConnection.set({ from, to }, 1);
  }

  close(): void {
    this.hub.remove(this.registry);
  }
}
