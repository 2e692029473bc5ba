// A small in-memory Runtime for testing the HTTP layer without the component runtime.

import type { ComponentHandler, ComponentInfo, ConfigSource, HealthState, LoadResult, Runtime } from "../../../src/runtime/runtime.ts";

export function componentInfo(globalID: string, name: string, state: HealthState = "healthy"): ComponentInfo {
  const slash = globalID.lastIndexOf("/");
  const localID = slash < 0 ? globalID : globalID.slice(slash + 1);
  const label = localID.startsWith(name + ".") ? localID.slice(name.length + 1) : undefined;
  return {
    name,
    type: "block",
    localID,
    moduleID: slash < 0 ? "" : globalID.slice(0, slash),
    ...(label ? { label } : {}),
    referencesTo: [],
    referencedBy: [],
    dataFlowEdgesTo: [],
    health: { state, message: state === "unhealthy" ? "broken" : "", updatedTime: "0001-01-01T00:00:00Z" },
    original: "",
    arguments: [],
    exports: [],
    debugInfo: [],
    liveDebuggingEnabled: false,
  };
}

export class FakeRuntime implements Runtime {
  ready = false;
  loads: ConfigSource[][] = [];
  stopped = false;
  nextLoad: LoadResult = { diagnostics: [], applied: true };
  readonly byID = new Map<string, ComponentInfo>();
  readonly handlers = new Map<string, ComponentHandler>();

  add(info: ComponentInfo, handler?: ComponentHandler): this {
    const id = info.moduleID ? `${info.moduleID}/${info.localID}` : info.localID;
    this.byID.set(id, info);
    if (handler) this.handlers.set(id, handler);
    return this;
  }

  async load(sources: ConfigSource[]): Promise<LoadResult> {
    this.loads.push(sources);
    const r = this.nextLoad;
    if (r.applied) this.ready = true;
    return r;
  }
  components(moduleID?: string): ComponentInfo[] | undefined {
    const m = moduleID ?? "";
    const list = [...this.byID.values()].filter((c) => c.moduleID === m);
    if (m !== "" && list.length === 0) return undefined;
    return list;
  }
  component(globalID: string): ComponentInfo | undefined {
    return this.byID.get(globalID);
  }
  unhealthyComponents(): string[] {
    return [...this.byID.entries()].filter(([, c]) => c.moduleID === "" && c.health.state === "unhealthy").map(([id]) => id);
  }
  componentHandler(globalID: string): ComponentHandler | undefined {
    return this.handlers.get(globalID);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}
