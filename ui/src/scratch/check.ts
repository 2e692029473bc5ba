// Checks a pasted config in the browser with the syntax package: the diagnostics `alloy
// validate` reports before it looks at components (syntax errors, and attributes at the top
// level), the text `alloy fmt` prints, and the component graph the references describe.
// Component-level checks (unknown components or arguments, types, missing references,
// cycles) need the component registry, which stays on the server.
import type { BlockStmt, Body, Expr } from "../../../src/syntax/ast.ts";
import type { Diagnostic } from "../../../src/syntax/diag.ts";
import { renderDiagnostics } from "../../../src/syntax/diag_render.ts";
import { parseFile } from "../../../src/syntax/parser.ts";
import { printFile } from "../../../src/syntax/printer/index.ts";
import type { Component } from "../alloy-json.ts";

export interface ScratchResult {
  diagnostics: Diagnostic[];
  /** The diagnostics as `alloy validate` prints them to stderr ("" when there are none). */
  report: string;
  /** What `alloy fmt` prints (with its final newline); undefined when the text does not parse. */
  formatted: string | undefined;
  /** The components the text declares, with references resolved, for the graph preview. */
  components: Component[];
}

/** Blocks at the top level that are not components (Alloy's config blocks and services). */
const CONFIG_BLOCKS = new Set([
  "logging", "tracing", "argument", "export", "declare", "foreach", "import.file", "import.string", "import.http", "import.git",
  "http", "livedebugging", "remotecfg", "otel", "labelstore", "cluster", "ui",
]);

const idOf = (b: BlockStmt): string => (b.label !== undefined && b.label !== "" ? `${b.name.join(".")}.${b.label}` : b.name.join("."));

/** `a.b.c` for an identifier or an access chain on one; undefined for anything else. */
function dotted(e: Expr): string | undefined {
  if (e.kind === "identifier") return e.name;
  if (e.kind === "access") {
    const left = dotted(e.value);
    return left === undefined ? undefined : `${left}.${e.name.name}`;
  }
  return undefined;
}

/** Every reference in a body, with the attribute it appears under. */
function references(body: Body, out: { attr: string; path: string }[] = [], attr = ""): { attr: string; path: string }[] {
  const visit = (node: unknown, under: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, under));
    if (node === null || typeof node !== "object") return;
    const kind = (node as { kind?: unknown }).kind;
    if (kind === "identifier" || kind === "access") {
      const path = dotted(node as Expr);
      if (path !== undefined) {
        out.push({ attr: under, path });
        return;
      }
    }
    for (const v of Object.values(node)) if (typeof v === "object") visit(v, under);
  };
  for (const s of body) {
    if (s.kind === "attribute") visit(s.value, attr || s.name.name);
    else references(s.body, out, attr);
  }
  return out;
}

function componentsOf(body: Body): Component[] {
  const blocks = body.filter((s): s is BlockStmt => s.kind === "block" && !CONFIG_BLOCKS.has(s.name.join(".")) && s.name.length > 1);
  const ids = blocks.map(idOf);
  // The longest component ID a reference starts with: `loki.echo.out.receiver` → `loki.echo.out`.
  const target = (path: string): string | undefined =>
    ids.filter((id) => path === id || path.startsWith(`${id}.`)).sort((a, b) => b.length - a.length)[0];
  const list = blocks.map((b): Component => {
    const refs = references(b.body);
    const referencesTo = [...new Set(refs.map((r) => target(r.path)).filter((t): t is string => t !== undefined && t !== idOf(b)))];
    // Data goes to what a component forwards to (receivers, inputs); it comes from anything else it reads.
    const dataFlowEdgesTo = [
      ...new Set(
        refs
          .filter((r) => r.attr === "forward_to" || /\.(receiver|input)$/.test(r.path) || /^(metrics|logs|traces|profiles)$/.test(r.attr))
          .map((r) => target(r.path))
          .filter((t): t is string => t !== undefined && t !== idOf(b)),
      ),
    ];
    return {
      name: b.name.join("."),
      type: "block",
      localID: idOf(b),
      moduleID: "",
      ...(b.label ? { label: b.label } : {}),
      referencesTo,
      referencedBy: [],
      dataFlowEdgesTo,
      health: { state: "unknown", message: "", updatedTime: "" },
      original: "",
      arguments: [],
      exports: [],
      debugInfo: [],
      liveDebuggingEnabled: false,
    };
  });
  const byID = new Map(list.map((c) => [c.localID, c]));
  for (const c of list) for (const r of c.referencesTo) byID.get(r)?.referencedBy.push(c.localID);
  return list;
}

/** Checks `text` as the file `name` (the name diagnostics and the report carry). */
export function checkScratch(name: string, text: string): ScratchResult {
  const { file, diagnostics } = parseFile(name, text);
  const diags: Diagnostic[] = [...diagnostics];
  if (diags.length === 0) {
    // As `alloy validate`: the first attribute at the top level is an error.
    const attr = file.body.find((s) => s.kind === "attribute");
    if (attr) diags.push({ severity: "error", message: `unrecognized attribute ${attr.name.name}`, file: name, start: attr.name.start, end: attr.name.end });
  }
  const report = diags.length > 0 ? renderDiagnostics(diags, new Map([[name, text]])) : "";
  const parsed = diagnostics.length === 0;
  return {
    diagnostics: diags,
    report,
    formatted: parsed ? printFile(file) + "\n" : undefined,
    components: parsed ? componentsOf(file.body) : [],
  };
}
