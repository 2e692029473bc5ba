// Static checking of a block against its schema without evaluating anything,
// as `alloy validate` does (Alloy's syntax/typecheck): structure errors, plus
// type errors for literals (and unary/binary expressions of literals) with
// Go's plain error texts (`expected string, got bool`).

import type { BlockStmt, Expr, ObjectExpr } from "../ast.ts";
import type { Diagnostic } from "../diag.ts";
import { ValueError } from "../convert.ts";
import { OperatorError, binaryOp, unaryOp } from "../ops.ts";
import type { Value } from "../value.ts";
import { literalValue } from "../vm.ts";
import { AttrMapSchema, BlockSchema, alloyName, type Field } from "./fields.ts";
import { decodeWith, type Type } from "./types.ts";

type AnySchema = BlockSchema | AttrMapSchema<unknown, unknown>;
type AnyType = Type<unknown, unknown>;

class Checker {
  readonly diags: Diagnostic[] = [];
  constructor(private readonly file: string) {}

  private add(message: string, start: Expr["start"], end: Expr["end"]): void {
    this.diags.push({ severity: "error", message, file: this.file, start, end });
  }

  block(b: BlockStmt, schema: AnySchema): void {
    if (schema instanceof AttrMapSchema) {
      if (b.label !== undefined && b.label !== "") {
        this.add(`block ${JSON.stringify(b.name.join("."))} requires empty label`, b.namePos, b.lcurly);
      }
      return;
    }
    const byName = new Map<string, Field>();
    const enumMember = new Map<string, BlockSchema>();
    for (const [key, field] of Object.entries(schema.fields)) {
      byName.set(alloyName(key, field), field);
      if (field.kind === "enum") for (const [n, s] of Object.entries(field.members)) enumMember.set(n, s as BlockSchema);
    }
    const blockCount = new Map<string, number>();
    for (const stmt of b.body) {
      if (stmt.kind === "block") blockCount.set(stmt.name.join("."), (blockCount.get(stmt.name.join(".")) ?? 0) + 1);
    }
    const seenAttrs = new Set<string>();
    for (const stmt of b.body) {
      if (stmt.kind === "block") {
        const name = stmt.name.join(".");
        const member = enumMember.get(name);
        if (member) {
          this.block(stmt, member);
          continue;
        }
        const field = byName.get(name);
        if (!field || field.kind === "label" || field.kind === "enum") {
          this.add(`unrecognized block name ${JSON.stringify(name)}`, stmt.start, stmt.end);
        } else if (field.kind === "attr") {
          this.add(`${JSON.stringify(name)} must be an attribute, but is used as a block`, stmt.start, stmt.end);
        } else if (field.kind === "blocks") {
          const count = blockCount.get(name) ?? 0;
          if (field.exactly !== undefined && count !== field.exactly) {
            this.add(
              `block ${JSON.stringify(name)} must be specified exactly ${field.exactly} times, but was specified ${count} times`,
              stmt.start,
              stmt.end,
            );
          } else this.block(stmt, field.schema);
        } else if ((blockCount.get(name) ?? 0) > 1) {
          this.add(`block ${JSON.stringify(name)} may only be specified once`, stmt.start, stmt.end);
        } else this.block(stmt, field.schema);
        continue;
      }
      const name = stmt.name.name;
      const field = byName.get(name);
      if (!field || field.kind === "label" || field.kind === "enum") {
        this.add(`unrecognized attribute name ${JSON.stringify(name)}`, stmt.start, stmt.end);
        continue;
      }
      if (field.kind !== "attr") {
        this.add(`${JSON.stringify(name)} must be a block, but is used as an attribute`, stmt.start, stmt.end);
        continue;
      }
      if (seenAttrs.has(name)) {
        this.add(`attribute ${JSON.stringify(name)} may only be provided once`, stmt.start, stmt.end);
        continue;
      }
      seenAttrs.add(name);
      this.expr(stmt.value, field.type);
    }
    for (const [key, field] of Object.entries(schema.fields)) {
      const name = alloyName(key, field);
      if (field.kind === "attr" && field.mode === "required" && !seenAttrs.has(name)) {
        this.add(`missing required attribute ${JSON.stringify(name)}`, b.start, b.end);
      } else if (
        ((field.kind === "block" && field.mode === "required") || (field.kind === "blocks" && field.required)) &&
        !blockCount.has(name)
      ) {
        this.add(`missing required block ${JSON.stringify(name)}`, b.start, b.end);
      }
    }
  }

  private value(v: Value, type: AnyType, e: Expr): void {
    try {
      decodeWith(type, v);
    } catch (err) {
      if (err instanceof ValueError) this.add(err.plainMessage, e.start, e.end);
      else throw err;
    }
  }

  expr(e: Expr, type: AnyType): void {
    const shape = type.shape;
    switch (e.kind) {
      case "literal":
        this.value(literalValue(e.literal, e.raw), type, e);
        return;
      case "array":
        if (shape?.kind === "any") return;
        if (shape?.kind !== "list") {
          this.add(`expected ${type.alloyType ?? "string"}, got array`, e.start, e.end);
          return;
        }
        if (shape.elem.shape?.kind === "any") return;
        for (const el of e.elements) this.expr(el, shape.elem);
        return;
      case "object":
        this.object(e, type);
        return;
      case "unary":
        if (e.value.kind !== "literal") return;
        try {
          unaryOp(e.op, literalValue(e.value.literal, e.value.raw));
        } catch (err) {
          if (err instanceof ValueError) {
            this.add(err.plainMessage, e.value.start, e.value.end);
            return;
          }
          throw err;
        }
        this.expr(e.value, type);
        return;
      case "binary": {
        if (e.left.kind !== "literal" || e.right.kind !== "literal") return;
        let v: Value;
        try {
          v = binaryOp(literalValue(e.left.literal, e.left.raw), e.op, literalValue(e.right.literal, e.right.raw));
        } catch (err) {
          if (err instanceof OperatorError) {
            this.add(err.inner.plainMessage, e.left.start, e.right.end);
            return;
          }
          throw err;
        }
        this.value(v, type, e);
        return;
      }
      default:
        return;
    }
  }

  private object(e: ObjectExpr, type: AnyType): void {
    const shape = type.shape;
    if (shape?.kind === "any" || shape?.kind === "opaque") return;
    if (shape?.kind === "map") {
      if (shape.elem.shape?.kind === "any") return;
      for (const f of e.fields) this.expr(f.value, shape.elem);
      return;
    }
    if (shape?.kind === "object") {
      for (const f of e.fields) {
        const t = Object.hasOwn(shape.fields, f.name) ? shape.fields[f.name] : undefined;
        if (!t) {
          this.add(`unrecognized attribute name ${JSON.stringify(f.name)}`, f.namePos, f.value.end);
          continue;
        }
        this.expr(f.value, t);
      }
      return;
    }
    this.add(`expected ${type.alloyType ?? "string"}, got object`, e.start, e.end);
  }
}

/** Checks a block against a schema without evaluating it; returns every problem found. */
export function typecheckBlock(schema: AnySchema, block: BlockStmt, file: string): Diagnostic[] {
  const c = new Checker(file);
  c.block(block, schema);
  return c.diags;
}
