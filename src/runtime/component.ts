// The contract between the runtime and every built-in component. A component is
// a definition (name, stability, argument/export schemas, a build function) and,
// once built, an instance that takes new arguments and optionally runs until stopped.
//
//   export default defineComponent({
//     name: "local.file", stability: "generally-available",
//     args: Arguments, exports: Exports,
//     build: (ctx, args) => new LocalFile(ctx, args),
//   });
//
// The runtime decodes and validates arguments with the schema before `build`/`update`
// sees them, calls `update` only when the decoded arguments really changed, and
// re-evaluates dependants when `publish` is called with exports that differ.
// "Changed" is deep equality on plain data (objects, arrays, strings, numbers,
// secrets); class instances (receivers, consumers) are equal only when they are the
// same object, unless their class defines `equals(other): boolean`.

import type { Registry } from "prom-client";
import type { StabilityLevel } from "../syntax/value.ts";
import type { BlockSchema, Infer } from "../syntax/schema/index.ts";
import type { Logger } from "./logger.ts";
import type { ComponentHandler, HealthState } from "./runtime.ts";

export type { StabilityLevel };

/** Health a component reports about itself (the runtime adds the time). */
export interface ReportedHealth {
  state: Exclude<HealthState, "exited">;
  message: string;
}

/** One live-debugging event, as Alloy's UI streams it. */
export interface LiveDebuggingEvent {
  type: "target" | "prometheus_metric" | "loki_log" | "otel_metric" | "otel_log" | "otel_trace";
  count: number;
  /** Text shown in the UI; built lazily so nothing is rendered while nobody watches. */
  text: () => string;
  targetComponentIDs?: string[];
}

export interface LiveDebuggingPublisher {
  /** True while a debugging stream is open for this component; check before building events. */
  isActive(): boolean;
  publish(event: LiveDebuggingEvent): void;
}

export interface ComponentContext<E> {
  /** Local ID, e.g. `local.file.config`. */
  readonly id: string;
  /** `<moduleID>/<localID>` inside modules, the local ID at root. */
  readonly globalID: string;
  /** `/` at root; the module's path otherwise (the `component_path` metric label). */
  readonly modulePath: string;
  /** Logs with `component_path` and `component_id`. */
  readonly logger: Logger;
  /** Metrics registered here carry `component_path` and `component_id`. */
  readonly registry: Registry;
  /** `<storage.path>/<globalID>`; created on first access. */
  readonly dataDir: string;
  readonly stability: StabilityLevel;
  /** fetch that also reaches the in-memory server address; use it for all outgoing HTTP. */
  readonly fetch: typeof fetch;
  /** e.g. `alloy.internal:12345` */
  readonly memoryAddress: string;
  readonly liveDebugging: LiveDebuggingPublisher;
  /** Aborted when the component is stopped (removed on reload, or the runtime shuts down). */
  readonly signal: AbortSignal;
  /** New exports; dependants are re-evaluated if they differ from the last ones. Never blocks. */
  publish(exports: E): void;
  /** The component's own view of its health (combined with evaluation and run health). */
  setHealth(health: ReportedHealth): void;
}

export interface ComponentInstance<A> {
  /** Arguments changed (deep-unequal to the previous ones). Throwing marks the component unhealthy. */
  update(args: A): void | Promise<void>;
  /**
   * Long-running work until `signal` aborts. Returning (or throwing) marks the component
   * `exited`. Omit for components that only react to `update`.
   */
  run?(signal: AbortSignal): Promise<void>;
  /** Release resources (ports, files, timers) after `run` has been cancelled. */
  stop?(): void | Promise<void>;
  /** Served under `/api/v0/component/<globalID>/`. */
  handler?: ComponentHandler;
  /** Extra state for the UI, as an Alloy value (rendered with the exports' conventions). */
  debugInfo?(): unknown;
}

export interface ComponentDefinition<A = unknown, E = unknown> {
  readonly name: string;
  readonly stability: StabilityLevel;
  /** Community components have no stability level gate but need --feature.community-components.enabled. */
  readonly community: boolean;
  /** The component publishes live-debugging events (shown as `liveDebuggingEnabled` in the API). */
  readonly liveDebugging: boolean;
  readonly args: BlockSchema;
  readonly exports?: BlockSchema;
  build(ctx: ComponentContext<E>, args: A): ComponentInstance<A> | Promise<ComponentInstance<A>>;
}

/**
 * Declare a built-in component; the result goes into the list in src/components/index.ts.
 * `args` and `exports` are `schema.block({...})` values; `build` and `update` receive
 * `schema.Infer<typeof Arguments>` and `publish` takes `schema.Infer<typeof Exports>`.
 */
export function defineComponent<S extends BlockSchema, X extends BlockSchema = BlockSchema<{}>>(def: {
  name: string;
  stability: StabilityLevel;
  community?: boolean;
  liveDebugging?: boolean;
  args: S;
  exports?: X;
  build(ctx: ComponentContext<Infer<X>>, args: Infer<S>): ComponentInstance<Infer<S>> | Promise<ComponentInstance<Infer<S>>>;
}): ComponentDefinition {
  // The runtime only ever hands a definition arguments decoded by its own schema,
  // so erasing A/E here is sound.
  return { community: false, liveDebugging: false, ...def } as unknown as ComponentDefinition;
}

const stabilityRank: Record<StabilityLevel, number> = {
  experimental: 1,
  "public-preview": 2,
  "generally-available": 3,
};

/** Alloy's featuregate.CheckAllowed message, or undefined when allowed. */
export function stabilityError(level: StabilityLevel, min: StabilityLevel, feature: string): string | undefined {
  if (stabilityRank[level] >= stabilityRank[min]) return undefined;
  return (
    `${feature} is at stability level "${level}", which is below the minimum allowed stability level "${min}". ` +
    `Use --stability.level command-line flag to enable "${level}" features`
  );
}
