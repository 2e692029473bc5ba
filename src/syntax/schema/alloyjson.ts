// A decoded block value as the UI's typed JSON body: fields in declaration
// order, optional fields equal to their default (or zero) left out, secrets
// shown as `(secret)`.

import { valuesEqual } from "../ops.ts";
import type { JsonBody, JsonStatement } from "../alloyjson.ts";
import { AttrMapSchema, BlockSchema, alloyName, type AttrField, type BlockField, type Infer } from "./fields.ts";
import { typedAlloyJSON } from "./types.ts";
import { absentBlockValue, encodeNested } from "./decode.ts";
import { attributesToAlloyJSON } from "../alloyjson.ts";
import { newObject, type Value } from "../value.ts";

function attrDefaultValue(field: AttrField<unknown, unknown>): Value {
  if (field.mode === "optional") return null;
  const d = field.default;
  const t = typeof d === "function" ? (d as () => unknown)() : field.type.fromDefault(d);
  return field.type.encode(t);
}

function isZeroValue(v: Value): boolean {
  if (v === null || v === false || v === "" || v === 0 || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

function blockBody(schema: BlockSchema, value: Record<string, unknown>): JsonBody {
  const body: JsonStatement[] = [];
  for (const [key, field] of Object.entries(schema.fields)) {
    const name = alloyName(key, field);
    const fv = value[key];
    switch (field.kind) {
      case "attr": {
        if (field.mode !== "required") {
          if (fv === undefined) break;
          const enc = field.type.encode(fv);
          const def = attrDefaultValue(field);
          if (valuesEqual(enc, def) || (isZeroValue(enc) && isZeroValue(def))) break;
        }
        body.push({ name, type: "attr", value: fv === undefined ? { type: "null", value: null } : typedAlloyJSON(field.type, fv) });
        break;
      }
      case "block": {
        if (fv === undefined) break;
        // Like Go, an optional block equal to its default is left out.
        if (field.mode !== "required") {
          const def = absentBlockValue(field);
          if (def !== undefined && valuesEqual(encodeNested(field.schema, fv), encodeNested(field.schema, def))) break;
        }
        body.push(blockStatement(name, field, fv as Record<string, unknown>));
        break;
      }
      case "blocks":
        for (const e of (fv as Record<string, unknown>[]) ?? []) body.push(blockStatement(name, field, e));
        break;
      case "enum":
        for (const e of (fv as { kind: string; value: Record<string, unknown> }[]) ?? []) {
          const s = field.members[e.kind] as BlockSchema | undefined;
          if (s) body.push(blockStatement(e.kind, { schema: s }, e.value));
        }
        break;
      case "label":
        break;
    }
  }
  return body;
}

function blockStatement(name: string, field: Pick<BlockField, "schema">, value: Record<string, unknown>): JsonStatement {
  if (field.schema instanceof AttrMapSchema) {
    return { name, type: "block", body: bodyToAlloyJSON(field.schema, value) };
  }
  const labelKey = field.schema.labelKey;
  const label = labelKey ? (value[labelKey] as string) : "";
  const stmt: JsonStatement = { name, type: "block", body: blockBody(field.schema, value) };
  if (label) stmt.label = label;
  return stmt;
}

/** Renders a decoded value of a schema (arguments, exports) as the UI's typed JSON body. */
export function bodyToAlloyJSON<S extends BlockSchema | AttrMapSchema<unknown, unknown>>(schema: S, value: Infer<S>): JsonBody {
  if (schema instanceof AttrMapSchema) {
    const obj = newObject();
    const m = value as Record<string, unknown>;
    for (const k of Object.keys(m)) obj[k] = schema.type.encode(m[k]);
    return attributesToAlloyJSON(obj);
  }
  return blockBody(schema as BlockSchema, value as Record<string, unknown>);
}
