// YAML loading for the converters, with Go yaml.v2-style error texts where we can match them.

import { isMap as isYamlMap, LineCounter, parseDocument, isScalar } from "yaml";
import type { YamlMap } from "./yaml_values.ts";

export type YamlLoad = { ok: true; value: YamlMap } | { ok: false; error: string };

/** Parses `text`; with `knownTopLevel`, unknown top-level keys fail like Go's strict unmarshal. */
export function loadYaml(text: string, knownTopLevel?: readonly string[], goType = "config.plain"): YamlLoad {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    // yaml.v2 reports parser errors with the 0-based line of the offending token.
    const line = (e.linePos?.[0].line ?? 1) - 1;
    return { ok: false, error: `yaml: line ${line}: ${goYamlMessage(e.code)}` };
  }
  if (knownTopLevel && isYamlMap(doc.contents)) {
    const unknown: string[] = [];
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!knownTopLevel.includes(key)) {
        const off = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        unknown.push(`  line ${lc.linePos(off).line}: field ${key} not found in type ${goType}`);
      }
    }
    if (unknown.length > 0) return { ok: false, error: `yaml: unmarshal errors:\n${unknown.join("\n")}` };
  }
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  return { ok: true, value: typeof value === "object" && value !== null && !Array.isArray(value) ? (value as YamlMap) : {} };
}

function goYamlMessage(code: string): string {
  switch (code) {
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "UNEXPECTED_TOKEN":
    case "MULTILINE_IMPLICIT_KEY":
      return "did not find expected key";
    default:
      return code.toLowerCase().replace(/_/g, " ");
  }
}
