// Components as Alloy's UI API returns them (`/api/v0/web/components[/{id}]`):
// field names, empty arrays and alloyjson bodies exactly as Alloy's.

import type { JsonBody } from "../syntax/alloyjson.ts";
import { attributesToAlloyJSON, valueToAlloyJSON } from "../syntax/alloyjson.ts";
import * as schema from "../syntax/schema/index.ts";
import { Capsule, newObject, type ObjectValue, type Value } from "../syntax/value.ts";
import { ComponentNode } from "./component_node.ts";
import type { Controller } from "./controller.ts";
import { CustomComponentNode } from "./custom_component_node.ts";
import { ForeachNode } from "./foreach_node.ts";
import type { RuntimeNode } from "./node.ts";
import type { ComponentInfo } from "./runtime.ts";

/** Nodes the API lists: Alloy's component nodes (built-in, custom, foreach). */
function listed(n: RuntimeNode): boolean {
  return n.kind === "component" || n.kind === "custom" || n.kind === "foreach";
}

/** Every controller reachable from `root`, keyed by module ID (`""` for root). */
export function controllers(root: Controller): Map<string, Controller> {
  const out = new Map<string, Controller>();
  const walk = (c: Controller): void => {
    out.set(c.moduleID, c);
    for (const n of c.graph.all()) {
      if (n instanceof CustomComponentNode && n.child) walk(n.child);
      if (n instanceof ForeachNode) for (const child of n.children.values()) walk(child);
    }
  };
  walk(root);
  return out;
}

export function componentInfos(c: Controller, detail: boolean): ComponentInfo[] {
  const out: ComponentInfo[] = [];
  for (const n of c.graph.all()) if (listed(n)) out.push(componentInfo(c, n, detail));
  return out;
}

export function componentInfo(c: Controller, n: RuntimeNode, detail: boolean): ComponentInfo {
  const name = n.block.name.join(".");
  const referencesTo = [...c.graph.dependencies(n.id)].filter((id) => listedID(c, id));
  const referencedBy = [...c.graph.dependants(n.id)].filter((id) => listedID(c, id));
  const info: ComponentInfo = {
    name,
    type: "block",
    localID: n.id,
    moduleID: c.moduleID,
    referencesTo,
    referencedBy,
    dataFlowEdgesTo: dataFlowEdges(c, n),
    health: n.health(),
    original: "",
    arguments: [],
    exports: [],
    debugInfo: [],
    liveDebuggingEnabled: n instanceof ComponentNode && n.def.liveDebugging,
  };
  if (n.block.label) info.label = n.block.label;
  const created = createdModuleIDs(n);
  if (created.length > 0) info.createdModuleIDs = created;
  if (detail) {
    info.arguments = argumentsBody(n);
    info.exports = exportsBody(n);
    info.debugInfo = debugInfoBody(n);
  }
  return info;
}

function listedID(c: Controller, id: string): boolean {
  const n = c.graph.get(id);
  return n !== undefined && listed(n);
}

function createdModuleIDs(n: RuntimeNode): string[] {
  if (n instanceof CustomComponentNode && n.child) return [n.child.moduleID];
  if (n instanceof ForeachNode) return [...n.children.values()].map((c) => c.moduleID);
  return [];
}

/**
 * Alloy's data-flow edges: referencing a receiver-like export (a capsule) means data
 * flows from the referrer to the target; referencing anything else (targets, content)
 * means data flows from the target to the referrer. One entry per reference.
 */
function dataFlowEdges(c: Controller, n: RuntimeNode): string[] {
  if (n.kind !== "component") return [];
  const out: string[] = [];
  for (const [from, refs] of c.references) {
    for (const r of refs) {
      const target = c.graph.get(r.target);
      if (!(target instanceof ComponentNode) || r.field === undefined) continue;
      const ev = target.exportsValue;
      const fieldValue = ev !== null && typeof ev === "object" && !Array.isArray(ev) && Object.hasOwn(ev, r.field) ? (ev as ObjectValue)[r.field]! : null;
      const receiver = fieldValue instanceof Capsule;
      if (receiver && from === n.id) out.push(r.target);
      else if (!receiver && r.target === n.id && c.graph.get(from)?.kind === "component") out.push(from);
    }
  }
  return out;
}

function argumentsBody(n: RuntimeNode): JsonBody {
  if (n instanceof ComponentNode) return n.args === undefined ? [] : schema.bodyToAlloyJSON(n.def.args, n.args as never);
  if (n instanceof CustomComponentNode) {
    const obj = newObject();
    for (const [k, v] of n.args) obj[k] = v;
    return attributesToAlloyJSON(obj);
  }
  return [];
}

function exportsBody(n: RuntimeNode): JsonBody {
  if (n instanceof ComponentNode) {
    if (!n.def.exports || n.exports === undefined) return [];
    return schema.bodyToAlloyJSON(n.def.exports, n.exports as never);
  }
  if (n instanceof CustomComponentNode && n.exportsValue && typeof n.exportsValue === "object") {
    return attributesToAlloyJSON(n.exportsValue as ObjectValue);
  }
  return [];
}

function debugInfoBody(n: RuntimeNode): JsonBody {
  if (!(n instanceof ComponentNode) || !n.instance?.debugInfo) return [];
  const d = n.instance.debugInfo() as Value;
  if (d === null || d === undefined) return [];
  if (typeof d === "object" && !Array.isArray(d) && (Object.getPrototypeOf(d) === null || Object.getPrototypeOf(d) === Object.prototype)) {
    return attributesToAlloyJSON(d as ObjectValue);
  }
  return [{ name: "value", type: "attr", value: valueToAlloyJSON(d) }];
}
