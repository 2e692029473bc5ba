// What the executable (CLI, HTTP server, signals) sees of the component runtime.
// The runtime implements it; src/cli and src/service/http only talk to this.

import type { Diagnostic } from "../syntax/diag.ts";
import type { StabilityLevel } from "../syntax/value.ts";

/** One config file's text; a directory source is several of these, in filename order. */
export interface ConfigSource {
  /** The name used in diagnostics (e.g. `main.alloy` or the path given). */
  name: string;
  text: string;
}

export type HealthState = "healthy" | "unhealthy" | "unknown" | "exited";

export interface Health {
  state: HealthState;
  message: string;
  /** RFC 3339; Go's zero time `0001-01-01T00:00:00Z` when never set. */
  updatedTime: string;
}

/** A typed value tree as Alloy's UI API returns it (alloyjson). */
export type AlloyJSONBody = unknown[];

/** One component as `/api/v0/web/components[/{id}]` returns it (field names are Alloy's). */
export interface ComponentInfo {
  name: string;
  type: "block";
  localID: string;
  moduleID: string;
  label?: string;
  referencesTo: string[];
  referencedBy: string[];
  dataFlowEdgesTo: string[];
  health: Health;
  original: string;
  arguments: AlloyJSONBody;
  exports: AlloyJSONBody;
  debugInfo: AlloyJSONBody;
  createdModuleIDs?: string[];
  liveDebuggingEnabled: boolean;
}

/** A handler a component serves under `/api/v0/component/{id}/`; `path` keeps its leading `/`. */
export type ComponentHandler = (req: Request, path: string) => Response | Promise<Response>;

export interface LoadResult {
  /** Errors and warnings of this load. Any error means the load failed (see `applied`). */
  diagnostics: Diagnostic[];
  /**
   * False when a graph-level error kept the previous graph untouched (or, on the first
   * load, nothing started). True when the new graph is in place, possibly with some
   * components failing evaluation and running on their last valid arguments.
   */
  applied: boolean;
}

export interface Runtime {
  /** Load or reload: graph-level errors keep the old graph; unchanged components keep running. */
  load(sources: ConfigSource[]): Promise<LoadResult>;
  /** True once a first load has been applied. */
  readonly ready: boolean;
  /** Root components (moduleID undefined) or the components of one module. Undefined: unknown module. */
  components(moduleID?: string): ComponentInfo[] | undefined;
  /** One component by global ID (`<moduleID>/<localID>` inside modules). */
  component(globalID: string): ComponentInfo | undefined;
  /** IDs of root components whose health is unhealthy. */
  unhealthyComponents(): string[];
  /** The HTTP handler of a component, by global ID; undefined if none. */
  componentHandler(globalID: string): ComponentHandler | undefined;
  /** Stop every component, dependants first, and release their resources. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  stability: StabilityLevel;
  /** --storage.path: each component gets `<storagePath>/<component global id>/`. */
  storagePath: string;
  /** --feature.community-components.enabled */
  communityComponents: boolean;
  /**
   * fetch that also reaches the in-memory server address (--server.http.memory-addr)
   * without a socket; components use it for every outgoing HTTP request.
   */
  fetch: typeof fetch;
  /** The in-memory address, e.g. `alloy.internal:12345`, for exporters' targets. */
  memoryAddress: string;
}
