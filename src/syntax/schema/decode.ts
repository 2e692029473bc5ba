// Decoding a block body into the typed value its schema describes, collecting
// every problem as a diagnostic with Alloy's wording and position.

import type { AttributeStmt, BlockStmt, Body, Pos } from "../ast.ts";
import { DiagnosticsError, type Diagnostic } from "../diag.ts";
import { ValueError } from "../convert.ts";
import { newObject, type ObjectValue, type StabilityLevel, type Value } from "../value.ts";
import {
  EvalError,
  Scope,
  evaluate,
  stabilityAllowed,
  stabilityMessage,
  valueErrorDiagnostic,
  type EvalOptions,
} from "../vm.ts";
import { AttrMapSchema, BlockSchema, alloyName, type AttrField, type BlockField, type Field, type Infer } from "./fields.ts";
import { decodeWith, type Type } from "./types.ts";

export interface DecodeOptions extends EvalOptions {
  /** Where "missing required …" and validation errors point: usually the component's block. */
  range?: { start: Pos; end: Pos };
  /**
   * Called for each attribute decoded into a secret or optional-secret field,
   * so its source can be shown as "(secret)" (the printer's redactSecret hook).
   */
  onSecretAttribute?: (attr: AttributeStmt) => void;
}

type AnySchema = BlockSchema | AttrMapSchema<unknown, unknown>;

class BodyDecoder {
  readonly diags: Diagnostic[] = [];

  constructor(
    private readonly scope: Scope,
    private readonly opts: DecodeOptions,
  ) {}

  private error(message: string, start?: Pos, end?: Pos): void {
    this.diags.push({ severity: "error", message, file: this.opts.file, start, end });
  }

  /** Evaluates and decodes one attribute; undefined (with a diagnostic) when it fails. */
  attribute<T, D>(stmt: AttributeStmt, type: Type<T, D>): { ok: true; value: T } | { ok: false } {
    let v: Value;
    try {
      v = evaluate(stmt.value, this.scope, this.opts);
    } catch (e) {
      if (e instanceof DiagnosticsError) {
        this.diags.push(...e.diagnostics);
        return { ok: false };
      }
      throw e;
    }
    if (type.secret) this.opts.onSecretAttribute?.(stmt);
    try {
      return { ok: true, value: decodeWith(type, v) };
    } catch (e) {
      if (e instanceof ValueError) {
        this.diags.push(valueErrorDiagnostic(this.opts.file, stmt.value, e.message, e.path));
        return { ok: false };
      }
      throw e;
    }
  }

  private checkStability(what: string, level: StabilityLevel | undefined, start: Pos, end: Pos): boolean {
    if (level === undefined || stabilityAllowed(level, this.opts.stability)) return true;
    this.error(stabilityMessage(what, level, this.opts.stability), start, end);
    return false;
  }

  /** Decodes a body with a block schema. `owner` is the nested block being decoded, if any. */
  body(schema: AnySchema, stmts: Body, owner: BlockStmt | undefined): unknown {
    if (schema instanceof AttrMapSchema) return this.attrMap(schema, stmts);

    const ownerRange = owner ? { start: owner.start, end: owner.end } : this.opts.range;
    const out: Record<string, unknown> = {};
    const byName = new Map<string, { key: string; field: Field }>();
    const enumMember = new Map<string, { key: string; schema: BlockSchema }>();

    // Defaults first, as Go's SetToDefault runs before decoding.
    for (const [key, field] of Object.entries(schema.fields)) {
      byName.set(alloyName(key, field), { key, field });
      switch (field.kind) {
        case "attr":
          if (field.mode === "default") out[key] = attrDefault(field);
          break;
        case "block":
          if (field.mode === "default") out[key] = this.blockDefault(field);
          break;
        case "blocks":
          out[key] = [];
          break;
        case "enum":
          out[key] = [];
          for (const [name, s] of Object.entries(field.members)) enumMember.set(name, { key, schema: s as BlockSchema });
          break;
        case "label":
          out[key] = owner?.label ?? "";
          break;
      }
    }

    const blockCount = new Map<string, number>();
    for (const stmt of stmts) {
      if (stmt.kind === "block") {
        const name = stmt.name.join(".");
        blockCount.set(name, (blockCount.get(name) ?? 0) + 1);
      }
    }

    const seenAttrs = new Set<string>();
    const seenBlocks = new Set<string>();
    for (const stmt of stmts) {
      if (stmt.kind === "attribute") {
        const name = stmt.name.name;
        if (seenAttrs.has(name)) {
          this.error(`attribute ${JSON.stringify(name)} may only be provided once`, stmt.start, stmt.end);
          continue;
        }
        seenAttrs.add(name);
        const entry = byName.get(name);
        if (!entry || entry.field.kind === "label" || entry.field.kind === "enum") {
          this.error(`unrecognized attribute name ${JSON.stringify(name)}`, stmt.start, stmt.end);
          continue;
        }
        if (entry.field.kind !== "attr") {
          this.error(`${JSON.stringify(name)} must be a block, but is used as an attribute`, stmt.start, stmt.end);
          continue;
        }
        if (!this.checkStability(`attribute ${JSON.stringify(name)}`, entry.field.stability, stmt.start, stmt.end)) continue;
        const r = this.attribute(stmt, entry.field.type);
        if (r.ok) out[entry.key] = r.value;
        continue;
      }

      const name = stmt.name.join(".");
      const member = enumMember.get(name);
      if (member) {
        const value = this.nestedBlock(member.schema, stmt);
        if (value !== undefined) (out[member.key] as unknown[]).push({ kind: name, value });
        continue;
      }
      const entry = byName.get(name);
      if (!entry || entry.field.kind === "label" || entry.field.kind === "enum") {
        this.error(`unrecognized block name ${JSON.stringify(name)}`, stmt.start, stmt.end);
        continue;
      }
      const field = entry.field;
      if (field.kind === "attr") {
        this.error(`${JSON.stringify(name)} must be an attribute, but is used as a block`, stmt.start, stmt.end);
        continue;
      }
      if (!this.checkStability(`block ${JSON.stringify(name)}`, field.stability, stmt.start, stmt.end)) continue;
      const count = blockCount.get(name) ?? 0;
      const first = !seenBlocks.has(name);
      seenBlocks.add(name);
      if (field.kind === "block") {
        if (count > 1) {
          if (first) this.error(`block ${JSON.stringify(name)} may only be specified once`, stmt.start, stmt.end);
          continue;
        }
        const value = this.nestedBlock(field.schema, stmt);
        if (value !== undefined) out[entry.key] = value;
        continue;
      }
      if (field.exactly !== undefined && count !== field.exactly) {
        if (first) {
          this.error(
            `block ${JSON.stringify(name)} must be specified exactly ${field.exactly} times, but was specified ${count} times`,
            stmt.start,
            stmt.end,
          );
        }
        continue;
      }
      const value = this.nestedBlock(field.schema, stmt);
      if (value !== undefined) (out[entry.key] as unknown[]).push(value);
    }

    for (const [key, field] of Object.entries(schema.fields)) {
      const name = alloyName(key, field);
      if (field.kind === "attr" && field.mode === "required" && !seenAttrs.has(name)) {
        this.error(`missing required attribute ${JSON.stringify(name)}`, ownerRange?.start, ownerRange?.end);
      } else if (
        ((field.kind === "block" && field.mode === "required") || (field.kind === "blocks" && field.required)) &&
        !seenBlocks.has(name)
      ) {
        this.error(`missing required block ${JSON.stringify(name)}`, ownerRange?.start, ownerRange?.end);
      }
    }

    if (this.diags.length === 0 && schema.options.validate) {
      let message: string | undefined | void;
      try {
        message = (schema.options.validate as (v: unknown) => string | undefined | void)(out);
      } catch (e) {
        if (e instanceof DiagnosticsError) {
          this.diags.push(...e.diagnostics);
          return out;
        }
        message = e instanceof Error ? e.message : String(e);
      }
      if (message) this.error(message, ownerRange?.start, ownerRange?.end);
    }
    return out;
  }

  private nestedBlock(schema: AnySchema, stmt: BlockStmt): unknown {
    const name = stmt.name.join(".");
    const hasLabel = stmt.label !== undefined && stmt.label !== "";
    if (schema instanceof AttrMapSchema) {
      if (hasLabel) {
        this.error(`block ${JSON.stringify(name)} requires empty label`, stmt.namePos, stmt.lcurly);
        return undefined;
      }
      const before = this.diags.length;
      const value = this.body(schema, stmt.body, stmt);
      return this.diags.length === before ? value : undefined;
    }
    const wantsLabel = schema.labelKey !== undefined;
    if (wantsLabel && !hasLabel) {
      this.error(`block ${JSON.stringify(name)} requires non-empty label`, stmt.namePos, stmt.lcurly);
      return undefined;
    }
    if (!wantsLabel && hasLabel) {
      this.error(`block ${JSON.stringify(name)} does not support specifying labels`, stmt.namePos, stmt.lcurly);
      return undefined;
    }
    const before = this.diags.length;
    const value = this.body(schema, stmt.body, stmt);
    return this.diags.length === before ? value : undefined;
  }

  private blockDefault(field: BlockField): unknown {
    if (typeof field.default === "function") return field.default();
    // A separate decoder: a schema default must not add diagnostics to the user's body.
    return new BodyDecoder(this.scope, this.opts).body(field.schema, [], undefined);
  }

  private attrMap(schema: AttrMapSchema<unknown, unknown>, stmts: Body): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const stmt of stmts) {
      if (stmt.kind === "block") {
        this.error("nested blocks not supported here", stmt.start, stmt.end);
        continue;
      }
      const r = this.attribute(stmt, schema.type);
      if (r.ok) out[stmt.name.name] = r.value;
    }
    return out;
  }
}

function attrDefault(field: AttrField<unknown, unknown>): unknown {
  const d = field.default;
  if (typeof d === "function") return (d as () => unknown)();
  return field.type.fromDefault(d);
}

/**
 * Decodes a body (a component's block body, or a nested block) into the
 * schema's TypeScript value. Throws DiagnosticsError listing every problem.
 */
export function decodeBody<S extends AnySchema>(schema: S, body: Body, scope: Scope, opts: DecodeOptions): Infer<S> {
  const d = new BodyDecoder(scope, opts);
  const out = d.body(schema, body, undefined);
  if (d.diags.length > 0) throw new DiagnosticsError(d.diags);
  return out as Infer<S>;
}

/** The schema's value for an empty body: every default applied (for blocks that are absent). */
export function defaultsOf<S extends BlockSchema>(schema: S, opts: DecodeOptions): Infer<S> {
  return decodeBody(schema, [], new Scope(newObject()), opts);
}

/** Decodes a value with a type (null gives the zero value). Throws ValueError. */
export function decodeValue<T, D>(type: Type<T, D>, v: Value): T {
  return decodeWith(type, v);
}

/** Encodes a typed value back into an Alloy value. */
export function encodeValue<T, D>(type: Type<T, D>, t: T): Value {
  return type.encode(t);
}

/** Encodes a decoded block value (a component's exports) into an object value keyed by config names. */
export function encodeBody<S extends BlockSchema>(schema: S, value: Infer<S>): ObjectValue {
  const obj = newObject();
  const v = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(schema.fields)) {
    const name = alloyName(key, field);
    const fv = v[key];
    switch (field.kind) {
      case "attr":
        obj[name] = fv === undefined ? null : field.type.encode(fv);
        break;
      case "block":
        obj[name] = fv === undefined ? null : encodeNested(field.schema, fv);
        break;
      case "blocks":
        obj[name] = ((fv as unknown[]) ?? []).map((e) => encodeNested(field.schema, e));
        break;
      case "enum":
      case "label":
        break;
    }
  }
  return obj;
}

/** The value an absent non-required block field takes (undefined when it has no default). */
export function absentBlockValue(field: BlockField): unknown {
  if (field.mode !== "default") return undefined;
  if (typeof field.default === "function") return field.default();
  return new BodyDecoder(new Scope(newObject()), { file: "", stability: "experimental" }).body(field.schema, [], undefined);
}

/** Encodes a nested block's decoded value (block schema or attribute map) as an Alloy value. */
export function encodeNested(s: AnySchema, v: unknown): Value {
  if (s instanceof AttrMapSchema) {
    const obj = newObject();
    const m = v as Record<string, unknown>;
    for (const k of Object.keys(m)) obj[k] = s.type.encode(m[k]);
    return obj;
  }
  return encodeBody(s, v as never);
}

export { EvalError };
