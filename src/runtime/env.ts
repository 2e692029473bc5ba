// Everything runtime-wide that every controller (root and modules) shares.

import type { StabilityLevel } from "../syntax/value.ts";
import type { LiveDebuggingPublisher } from "./component.ts";
import type { ComponentCatalog } from "./component_catalog.ts";
import type { Logger } from "./logger.ts";
import type { MetricsHub } from "./metrics.ts";
import type { ArgsSchema } from "./schema_bridge.ts";

/** A service block the runtime accepts at root (`http`, `livedebugging`, ...). */
export interface ServiceDefinition {
  name: string;
  stability: StabilityLevel;
  /** Undefined: the service cannot be configured (Alloy: `service "x" does not support being configured`). */
  args?: ArgsSchema<unknown>;
  /** Receives the decoded block (or the schema's defaults when the block is absent). */
  update?(args: unknown): void | Promise<void>;
}

export interface RuntimeEnv {
  readonly stability: StabilityLevel;
  readonly storagePath: string;
  readonly communityComponents: boolean;
  readonly fetch: typeof fetch;
  readonly memoryAddress: string;
  readonly logger: Logger;
  readonly hub: MetricsHub;
  readonly components: ComponentCatalog;
  readonly services: ReadonlyMap<string, ServiceDefinition>;
  readonly liveDebugging: (globalID: string) => LiveDebuggingPublisher;
  /** Validation: evaluate and build, but start no run loops or pollers. */
  readonly dryRun: boolean;
}

export const inactiveLiveDebugging: LiveDebuggingPublisher = {
  isActive: () => false,
  publish: () => {},
};
