// Decoding the runtime's own blocks (argument, export, logging, tracing, import.*,
// foreach). Their shapes are tiny and fixed, so they are described here as
// attribute specs rather than component schemas; the checks and messages match
// Alloy's decoder (unrecognized attribute, missing required attribute, type errors).

import type { Attr } from "./config_specs.ts";
import type { AttributeStmt, BlockStmt } from "../syntax/ast.ts";
import { DiagnosticsError, type Diagnostic } from "../syntax/diag.ts";
import { typeOf, type ObjectValue, type Value, newObject } from "../syntax/value.ts";
import { evaluate, Scope, EvalError } from "../syntax/vm.ts";
import { parseDuration } from "../syntax/duration.ts";
import type { StabilityLevel } from "../syntax/value.ts";

export interface BlockSpec {
  attrs: Record<string, Attr>;
  /** Nested blocks accepted (and ignored by the decoder; the caller reads them from the AST). */
  blocks?: Record<string, { required?: boolean }>;
}

export function attrDiag(file: string, stmt: AttributeStmt | BlockStmt, message: string): Diagnostic {
  return { severity: "error", message, file, start: stmt.start, end: stmt.end };
}

/** Static shape checks shared by evaluation and `validate`: unknown names and missing required ones. */
export function checkShape(block: BlockStmt, file: string, spec: BlockSpec): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const seen = new Set<string>();
  const blockCount = new Set<string>();
  for (const stmt of block.body) {
    if (stmt.kind === "attribute") {
      const name = stmt.name.name;
      if (!Object.hasOwn(spec.attrs, name)) {
        if (spec.blocks && Object.hasOwn(spec.blocks, name)) diags.push(attrDiag(file, stmt, `"${name}" must be a block, but is used as an attribute`));
        else diags.push(attrDiag(file, stmt, `unrecognized attribute name "${name}"`));
        continue;
      }
      if (seen.has(name)) {
        diags.push(attrDiag(file, stmt, `attribute "${name}" may only be provided once`));
        continue;
      }
      seen.add(name);
    } else {
      const name = stmt.name.join(".");
      if (!spec.blocks || !Object.hasOwn(spec.blocks, name)) {
        if (Object.hasOwn(spec.attrs, name)) diags.push(attrDiag(file, stmt, `"${name}" must be an attribute, but is used as a block`));
        else diags.push(attrDiag(file, stmt, `unrecognized block name "${name}"`));
        continue;
      }
      blockCount.add(name);
    }
  }
  for (const [name, a] of Object.entries(spec.attrs)) {
    if (a.required && !seen.has(name)) diags.push(attrDiag(file, block, `missing required attribute "${name}"`));
  }
  for (const [name, b] of Object.entries(spec.blocks ?? {})) {
    if (b.required && !blockCount.has(name)) diags.push(attrDiag(file, block, `missing required block "${name}"`));
  }
  return diags;
}

/** Evaluates the attributes of `block` against `spec`; defaults filled in. Throws DiagnosticsError. */
export function decodeConfigBlock(
  block: BlockStmt,
  file: string,
  spec: BlockSpec,
  scope: Scope,
  stability: StabilityLevel,
): ObjectValue {
  const diags = checkShape(block, file, spec);
  const out = newObject();
  for (const [name, a] of Object.entries(spec.attrs)) if (a.default !== undefined) out[name] = a.default;
  for (const stmt of block.body) {
    if (stmt.kind !== "attribute" || !Object.hasOwn(spec.attrs, stmt.name.name)) continue;
    const a = spec.attrs[stmt.name.name]!;
    try {
      const v = evaluate(stmt.value, scope, { file, stability });
      out[stmt.name.name] = convert(v, a, stmt, file);
    } catch (err) {
      if (err instanceof DiagnosticsError) diags.push(...err.diagnostics);
      else throw err;
    }
  }
  if (diags.length > 0) throw new DiagnosticsError(diags);
  return out;
}

function convert(v: Value, a: Attr, stmt: AttributeStmt, file: string): Value {
  const t = typeOf(v);
  const fail = (msg: string): never => {
    throw new EvalError({ severity: "error", message: msg, file, start: stmt.value.start, end: stmt.value.end });
  };
  switch (a.type) {
    case "any":
      return v;
    case "string":
      if (t !== "string") fail(`expected string, got ${t}`);
      return v;
    case "bool":
      if (t !== "bool") fail(`expected bool, got ${t}`);
      return v;
    case "number":
      if (t !== "number") fail(`expected number, got ${t}`);
      return v;
    case "array":
      if (t !== "array") fail(`expected array, got ${t}`);
      return v;
    case "object":
      if (t !== "object") fail(`expected object, got ${t}`);
      return v;
    case "duration":
      if (t !== "string") fail(`expected string, got ${t}`);
      try {
        parseDuration(v as string);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      }
      return v;
  }
}
