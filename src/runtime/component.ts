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
//
// Lazy form: a component whose implementation pulls in heavy modules keeps its
// schemas in a light file and names the implementation module with `load`; the
// module (and everything it imports) is loaded on the first `build`, so a config
// that does not use the component never pays for it:
//
//   // scrape.ts — imports only src/syntax/schema and light schema pieces
//   export const Arguments = schema.block({...});
//   export const Exports = schema.block({...});
//   export default defineComponent({
//     name: "prometheus.scrape", stability: "generally-available",
//     args: Arguments, exports: Exports,
//     load: () => import("./scrape_build.ts"),
//   });
//
//   // scrape_build.ts — the implementation; imports the schema file with `import type` only
//   import type { Arguments, Exports } from "./scrape.ts";
//   export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new Scrape(ctx, args);
//
// A value import of the implementation from the schema file (or from a family index)
// would make it eager again; keep those imports type-only.
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

/** The build function of a component whose arguments and exports have these schemas. */
export type BuildComponent<S extends BlockSchema, X extends BlockSchema = BlockSchema<{}>> = (
  ctx: ComponentContext<Infer<X>>,
  args: Infer<S>,
) => ComponentInstance<Infer<S>> | Promise<ComponentInstance<Infer<S>>>;

/** What a lazily loaded implementation module exports. */
export interface ComponentImplementation<S extends BlockSchema, X extends BlockSchema = BlockSchema<{}>> {
  build: BuildComponent<S, X>;
}

interface ComponentHeader<S extends BlockSchema, X extends BlockSchema> {
  name: string;
  stability: StabilityLevel;
  community?: boolean;
  liveDebugging?: boolean;
  args: S;
  exports?: X;
}

/**
 * Declare a built-in component; the result goes into the list in src/components/index.ts,
 * and its name into src/components/catalog.ts (what `alloy run` imports on first use).
 * `args` and `exports` are `schema.block({...})` values; `build` and `update` receive
 * `schema.Infer<typeof Arguments>` and `publish` takes `schema.Infer<typeof Exports>`.
 * Either `build` directly, or `load` importing a module that exports `build` (see the
 * lazy form at the top of this file).
 */
export function defineComponent<S extends BlockSchema, X extends BlockSchema = BlockSchema<{}>>(
  def: ComponentHeader<S, X> & ({ build: BuildComponent<S, X>; load?: never } | { load: () => Promise<ComponentImplementation<S, X>>; build?: never }),
): ComponentDefinition {
  const { load, build, ...header } = def;
  let buildFn: BuildComponent<S, X>;
  if (build) {
    buildFn = build;
  } else {
    // One import for all instances; a failed import is retried on the next build
    // rather than remembered, so a transient error does not stick.
    let loading: Promise<BuildComponent<S, X>> | undefined;
    const implementation = () =>
      (loading ??= load!().then(
        (m) => {
          if (typeof m?.build !== "function") throw new Error(`component ${header.name}: its implementation module exports no build function`);
          return m.build;
        },
        (err: unknown) => {
          loading = undefined;
          throw err;
        },
      ));
    buildFn = async (ctx, args) => (await implementation())(ctx, args);
  }
  // The runtime only ever hands a definition arguments decoded by its own schema,
  // so erasing A/E here is sound.
  return { community: false, liveDebugging: false, ...header, build: buildFn } as unknown as ComponentDefinition;
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
