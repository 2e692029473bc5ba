// The shapes the UI API (`api/v0/web/…`) answers with, narrowed from untrusted JSON at the edge.
import type { ComponentInfo, Health, HealthState } from "../../src/runtime/runtime.ts";

export type { Health, HealthState };

/** A typed value (alloyjson): `{type, value}`. */
export type AlloyValue =
  | { type: "null" }
  | { type: "number"; value: number }
  | { type: "string"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "array"; value: AlloyValue[] }
  | { type: "object"; value: { key: string; value: AlloyValue }[] }
  | { type: "function"; value: string }
  | { type: "capsule"; value: string };

export type AlloyStatement =
  | { type: "attr"; name: string; value: AlloyValue }
  | { type: "block"; name: string; label?: string; body: AlloyStatement[] };

/** A component as the UI API describes it, with its value trees typed. */
export interface Component extends Omit<ComponentInfo, "arguments" | "exports" | "debugInfo"> {
  arguments: AlloyStatement[];
  exports: AlloyStatement[];
  debugInfo: AlloyStatement[];
}

export interface Peer {
  name: string;
  addr: string;
  isSelf: boolean;
  state: string;
}

/** One entry of a `graph` stream frame: data sent by a component during the window. */
export interface GraphRate {
  componentID: string;
  targetComponentIDs: string[];
  type: string;
  rate: number;
}

type JSONRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is JSONRecord => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

const healthStates: readonly string[] = ["healthy", "unhealthy", "unknown", "exited"];

export function parseHealth(v: unknown): Health {
  const h = isRecord(v) ? v : {};
  const state = str(h.state);
  return {
    state: (healthStates.includes(state) ? state : "unknown") as HealthState,
    message: str(h.message),
    updatedTime: str(h.updatedTime),
  };
}

export function parseValue(v: unknown): AlloyValue {
  if (!isRecord(v)) return { type: "null" };
  const value = v.value;
  switch (v.type) {
    case "number":
      return { type: "number", value: typeof value === "number" ? value : Number(value) };
    case "string":
      return { type: "string", value: str(value) };
    case "bool":
      return { type: "bool", value: value === true };
    case "array":
      return { type: "array", value: Array.isArray(value) ? value.map(parseValue) : [] };
    case "object":
      return {
        type: "object",
        value: Array.isArray(value)
          ? value.filter(isRecord).map((f) => ({ key: str(f.key), value: parseValue(f.value) }))
          : [],
      };
    case "function":
    case "capsule":
      return { type: v.type, value: str(value) };
    default:
      return { type: "null" };
  }
}

export function parseBody(v: unknown): AlloyStatement[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((s): AlloyStatement =>
    s.type === "block"
      ? { type: "block", name: str(s.name), ...(typeof s.label === "string" && s.label ? { label: s.label } : {}), body: parseBody(s.body) }
      : { type: "attr", name: str(s.name), value: parseValue(s.value) },
  );
}

export function parseComponent(v: unknown): Component {
  const c = isRecord(v) ? v : {};
  const info: Component = {
    name: str(c.name),
    type: "block",
    localID: str(c.localID),
    moduleID: str(c.moduleID),
    referencesTo: strings(c.referencesTo),
    referencedBy: strings(c.referencedBy),
    dataFlowEdgesTo: strings(c.dataFlowEdgesTo),
    health: parseHealth(c.health),
    original: str(c.original),
    arguments: parseBody(c.arguments),
    exports: parseBody(c.exports),
    debugInfo: parseBody(c.debugInfo),
    liveDebuggingEnabled: c.liveDebuggingEnabled === true,
  };
  if (typeof c.label === "string" && c.label) info.label = c.label;
  const modules = strings(c.createdModuleIDs);
  if (modules.length > 0) info.createdModuleIDs = modules;
  return info;
}

export function parsePeer(v: unknown): Peer {
  const p = isRecord(v) ? v : {};
  return { name: str(p.name), addr: str(p.addr), isSelf: p.isSelf === true, state: str(p.state) };
}

export function parseGraphFrame(v: unknown): GraphRate[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((r) => ({
    componentID: str(r.componentID),
    targetComponentIDs: strings(r.targetComponentIDs),
    type: str(r.type),
    rate: typeof r.rate === "number" ? r.rate : Number(r.rate) || 0,
  }));
}

/** The global ID pages link to: `<moduleID>/<localID>` inside modules. */
export const globalID = (c: Component): string => (c.moduleID ? `${c.moduleID}/${c.localID}` : c.localID);
