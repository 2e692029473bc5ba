// Static type checking of a block against a schema, as `alloy validate` does it:
// names and counts of attributes and blocks, required ones present, and literal
// values (the parts of an expression that need no evaluation) decodable.

import type { BlockStmt, Expr } from "../../syntax/ast.ts";
import { ValueError } from "../../syntax/convert.ts";
import type { Diagnostic } from "../../syntax/diag.ts";
import * as schema from "../../syntax/schema/index.ts";
import { newObject, type Value } from "../../syntax/value.ts";
import { evaluate, Scope } from "../../syntax/vm.ts";

type Field = schema.Field;

function diag(file: string, start: Diagnostic["start"], end: Diagnostic["end"], message: string): Diagnostic {
  return { severity: "error", message, file, start, end };
}

/** Checks `block`'s body against `s`, in statement order, then reports missing required fields. */
export function typecheckBlock(block: BlockStmt, s: schema.BlockSchema, file: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const byName = new Map<string, Field>();
  const enumMembers = new Map<string, schema.BlockSchema>();
  for (const [key, f] of Object.entries(s.fields)) {
    if (f.kind === "enum") for (const [m, ms] of Object.entries(f.members as schema.EnumMembers)) enumMembers.set(m, ms);
    else if (f.kind !== "label") byName.set(schema.alloyName(key, f), f);
  }
  const blockCount = new Map<string, number>();
  for (const st of block.body) if (st.kind === "block") blockCount.set(st.name.join("."), (blockCount.get(st.name.join(".")) ?? 0) + 1);
  const seenAttrs = new Set<string>();

  for (const st of block.body) {
    if (st.kind === "block") {
      const name = st.name.join(".");
      const member = enumMembers.get(name);
      if (member) {
        diags.push(...typecheckBlock(st, member, file));
        continue;
      }
      const f = byName.get(name);
      if (!f) diags.push(diag(file, st.start, st.end, `unrecognized block name "${name}"`));
      else if (f.kind === "attr") diags.push(diag(file, st.start, st.end, `"${name}" must be an attribute, but is used as a block`));
      else if (f.kind === "blocks") {
        const n = blockCount.get(name) ?? 0;
        if (f.exactly !== undefined && n !== f.exactly) {
          diags.push(diag(file, st.start, st.end, `block "${name}" must be specified exactly ${f.exactly} times, but was specified ${n} times`));
        } else diags.push(...typecheckBlock(st, f.schema, file));
      } else if (f.kind === "block") {
        if ((blockCount.get(name) ?? 0) > 1) diags.push(diag(file, st.start, st.end, `block "${name}" may only be specified once`));
        else diags.push(...typecheckBlock(st, f.schema, file));
      }
      continue;
    }
    const name = st.name.name;
    const f = byName.get(name);
    if (!f) {
      diags.push(diag(file, st.start, st.end, `unrecognized attribute name "${name}"`));
      continue;
    }
    if (f.kind !== "attr") {
      diags.push(diag(file, st.start, st.end, `"${name}" must be a block, but is used as an attribute`));
      continue;
    }
    if (seenAttrs.has(name)) {
      diags.push(diag(file, st.start, st.end, `attribute "${name}" may only be provided once`));
      continue;
    }
    seenAttrs.add(name);
    diags.push(...typecheckExpr(st.value, f.type as schema.Type<unknown, unknown>, file));
  }

  for (const [name, f] of byName) {
    if (f.kind === "attr" && f.mode === "required" && !seenAttrs.has(name)) {
      diags.push(diag(file, block.start, block.end, `missing required attribute "${name}"`));
    } else if (((f.kind === "block" && f.mode === "required") || (f.kind === "blocks" && f.required)) && !blockCount.has(name)) {
      diags.push(diag(file, block.start, block.end, `missing required block "${name}"`));
    }
  }
  return diags;
}

/** Whether an expression's value is known without evaluation (no identifiers or calls). */
function isConstant(e: Expr): boolean {
  switch (e.kind) {
    case "literal":
      return true;
    case "array":
      return e.elements.every(isConstant);
    case "object":
      return e.fields.every((f) => isConstant(f.value));
    case "unary":
      return isConstant(e.value);
    case "binary":
      return isConstant(e.left) && isConstant(e.right);
    case "paren":
      return isConstant(e.inner);
    default:
      return false;
  }
}

const emptyScope = new Scope(newObject());

/** `should be X, got Y` (the evaluator's wording) becomes `expected X, got Y` (the type checker's). */
function typecheckMessage(msg: string): string {
  const m = /^should be (.+), got (.+)$/.exec(msg);
  return m ? `expected ${m[1]}, got ${m[2]}` : msg;
}

/** The literal sub-expression a decode error path points at (as far as literals go). */
function descend(e: Expr, path: readonly (string | number)[]): Expr {
  let node = e;
  for (const seg of path) {
    while (node.kind === "paren") node = node.inner;
    if (typeof seg === "number" && node.kind === "array" && node.elements[seg]) node = node.elements[seg]!;
    else if (typeof seg === "string" && node.kind === "object") {
      const f = [...node.fields].reverse().find((x) => x.name === seg);
      if (!f) break;
      node = f.value;
    } else break;
  }
  return node;
}

function tryDecode(type: schema.Type<unknown, unknown>, v: Value): ValueError | undefined {
  try {
    schema.decodeValue(type, v);
    return undefined;
  } catch (err) {
    if (err instanceof ValueError) return err;
    return new ValueError(err instanceof Error ? err.message : String(err), v);
  }
}

export function typecheckExpr(e: Expr, type: schema.Type<unknown, unknown>, file: string): Diagnostic[] {
  if (type.name === "any") return [];
  if (isConstant(e)) {
    let v: Value;
    try {
      v = evaluate(e, emptyScope, { file, stability: "experimental" });
    } catch {
      return [];
    }
    const err = tryDecode(type, v);
    if (!err) return [];
    const at = descend(e, err.path);
    return [diag(file, at.start, at.end, typecheckMessage(err.message))];
  }
  // Partly dynamic arrays and objects: check the shape and the constant parts.
  if (e.kind === "array" || e.kind === "object") {
    const empty: Value = e.kind === "array" ? [] : newObject();
    const shapeErr = tryDecode(type, empty);
    if (shapeErr) return [diag(file, e.start, e.end, typecheckMessage(shapeErr.message))];
    const out: Diagnostic[] = [];
    if (e.kind === "array") {
      for (const el of e.elements) {
        if (!isConstant(el)) continue;
        const probe = { ...e, elements: [el] };
        out.push(...typecheckExpr(probe, type, file));
      }
    } else {
      for (const f of e.fields) {
        if (!isConstant(f.value)) continue;
        out.push(...typecheckExpr({ ...e, fields: [f] }, type, file));
      }
    }
    return out;
  }
  return [];
}
