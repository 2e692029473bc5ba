// The pipeline as a graph: one node per component, one edge per direction data travels.
import type { Component, GraphRate, HealthState } from "../alloy-json.ts";

export interface PipelineNode {
  /** Local ID within the module shown (what references name). */
  id: string;
  /** Global ID, for links to the component page. */
  globalID: string;
  name: string;
  label: string;
  health: HealthState;
  moduleIDs: string[];
}

export interface PipelineEdge {
  from: string;
  to: string;
}

export interface Pipeline {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

export const edgeKey = (from: string, to: string): string => `${from}\u0000${to}`;

/**
 * Builds the graph of one module's components. A component that references another's exports
 * receives data from it (discovery → scrape), unless it sends data there through a receiver it
 * references (scrape → remote_write), which `dataFlowEdgesTo` lists.
 */
export function buildPipeline(components: Component[]): Pipeline {
  const ids = new Set(components.map((c) => c.localID));
  const nodes = components.map(
    (c): PipelineNode => ({
      id: c.localID,
      globalID: c.moduleID ? `${c.moduleID}/${c.localID}` : c.localID,
      name: c.name,
      label: c.label ?? "",
      health: c.health.state,
      moduleIDs: c.createdModuleIDs ?? [],
    }),
  );
  const seen = new Set<string>();
  const edges: PipelineEdge[] = [];
  const add = (from: string, to: string): void => {
    const key = edgeKey(from, to);
    if (from === to || !ids.has(from) || !ids.has(to) || seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to });
  };
  for (const c of components) {
    const sendsTo = new Set(c.dataFlowEdgesTo);
    for (const target of c.dataFlowEdgesTo) add(c.localID, target);
    for (const ref of c.referencesTo) if (!sendsTo.has(ref)) add(ref, c.localID);
  }
  return { nodes, edges };
}

export interface EdgeRate {
  rate: number;
  types: string[];
}

/**
 * Sums one stream frame into per-edge rates. IDs in the frame may be global
 * (`<moduleID>/<localID>`); they are matched against the module's local IDs.
 */
export function edgeRates(frame: GraphRate[], moduleID: string | undefined, edges: readonly PipelineEdge[] = []): Map<string, EdgeRate> {
  const prefix = moduleID ? `${moduleID}/` : "";
  const local = (id: string): string => (prefix && id.startsWith(prefix) ? id.slice(prefix.length) : id);
  const rates = new Map<string, EdgeRate>();
  for (const r of frame) {
    // An event that names no targets went everywhere its component sends data.
    const targets = r.targetComponentIDs.length > 0 ? r.targetComponentIDs : edges.filter((e) => e.from === local(r.componentID)).map((e) => e.to);
    for (const target of targets) {
      const key = edgeKey(local(r.componentID), local(target));
      const entry = rates.get(key) ?? { rate: 0, types: [] };
      entry.rate += r.rate;
      if (r.type && !entry.types.includes(r.type)) entry.types.push(r.type);
      rates.set(key, entry);
    }
  }
  return rates;
}

/** `1234.5` → `1.23k/s`: short enough for an edge label. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return "0/s";
  if (rate >= 1e6) return `${(rate / 1e6).toPrecision(3)}M/s`;
  if (rate >= 1e3) return `${(rate / 1e3).toPrecision(3)}k/s`;
  if (rate >= 100) return `${Math.round(rate)}/s`;
  return `${Number(rate.toPrecision(3))}/s`;
}
