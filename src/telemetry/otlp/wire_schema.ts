// What the wire scanner needs to know of each OTLP message: for every field, its number,
// how it is laid out on the wire, the nested message it holds, and the oneof it belongs
// to. gen/wire_schema_data.ts holds this for the export requests, generated from the
// descriptors by scripts/gen-proto-otlp.ts, so scanning a request never loads them.

import { ScalarType, type DescMessage } from "@bufbuild/protobuf";

export type WireKind =
  | "varint"
  | "fixed64"
  | "fixed32"
  | "string"
  | "bytes"
  | "message"
  | "repeated message"
  | "repeated string"
  | "repeated bytes"
  | "packed varint"
  | "packed fixed64"
  | "packed fixed32";

export interface WireField {
  readonly number: number;
  readonly kind: WireKind;
  /** Full name of the nested message, for message kinds. */
  readonly message?: string;
  /** Name of the oneof the field belongs to. */
  readonly oneof?: string;
}

/** Fields of each message reachable from the roots, by full message name. */
export type WireSchema = Readonly<Record<string, readonly WireField[]>>;

/** The wire schema of the given messages and of every message they contain. */
export function wireSchemaOf(roots: readonly DescMessage[]): WireSchema {
  const schema: Record<string, WireField[]> = {};
  const visit = (desc: DescMessage): void => {
    if (desc.typeName in schema) return;
    const fields: WireField[] = [];
    schema[desc.typeName] = fields;
    for (const f of desc.fields) {
      let kind: WireKind | undefined;
      let message: DescMessage | undefined;
      switch (f.fieldKind) {
        case "scalar":
          kind = scalarKind(f.scalar);
          break;
        case "enum":
          kind = "varint";
          break;
        case "message":
          kind = "message";
          message = f.message;
          break;
        case "list":
          if (f.listKind === "message") {
            kind = "repeated message";
            message = f.message;
          } else if (f.listKind === "enum") kind = "packed varint";
          else {
            const k = scalarKind(f.scalar);
            kind = k === "string" || k === "bytes" ? `repeated ${k}` : `packed ${k}`;
          }
          break;
        case "map":
          // OTLP has no map fields; a scanner that meets one declines the request.
          break;
      }
      if (kind === undefined) continue;
      fields.push({ number: f.number, kind, ...(message ? { message: message.typeName } : {}), ...(f.oneof ? { oneof: f.oneof.name } : {}) });
      if (message) visit(message);
    }
  };
  for (const r of roots) visit(r);
  return schema;
}

function scalarKind(t: ScalarType): "varint" | "fixed64" | "fixed32" | "string" | "bytes" {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return "fixed64";
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return "fixed32";
    case ScalarType.STRING:
      return "string";
    case ScalarType.BYTES:
      return "bytes";
    default:
      return "varint";
  }
}
