// Common messages for the OTLP/JSON request writer (see json_writer.ts): plain objects that
// JSON.stringify turns into exactly what toJson would give (defaults left out, int64 as
// strings, integer enums, hex ids, base64 bytes values).

import { base64Encode } from "@bufbuild/protobuf/wire";
import type { AnyValue, InstrumentationScope, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { cannotWrite } from "./wire_writer.ts";

export type JsonOut = { [key: string]: unknown };

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function hex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** A double as the protobuf JSON mapping writes it (NaN and infinities as strings). */
export function jsonDouble(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

export function checkKnown(m: { $unknown?: unknown[] }): void {
  // toJson drops unknown fields; the generic path keeps the behaviour in one place.
  if (m.$unknown !== undefined && m.$unknown.length > 0) cannotWrite();
}

export function anyValueJson(m: AnyValue): JsonOut {
  checkKnown(m);
  const v = m.value;
  switch (v.case) {
    case undefined:
      return {};
    case "stringValue":
      return { stringValue: v.value };
    case "boolValue":
      return { boolValue: v.value };
    case "intValue":
      return { intValue: v.value.toString() };
    case "doubleValue":
      return { doubleValue: jsonDouble(v.value) };
    case "arrayValue": {
      checkKnown(v.value);
      const out: JsonOut = {};
      if (v.value.values.length > 0) out.values = v.value.values.map(anyValueJson);
      return { arrayValue: out };
    }
    case "kvlistValue": {
      checkKnown(v.value);
      const out: JsonOut = {};
      if (v.value.values.length > 0) out.values = v.value.values.map(keyValueJson);
      return { kvlistValue: out };
    }
    case "bytesValue":
      return { bytesValue: base64Encode(v.value) };
    case "stringValueStrindex":
      return { stringValueStrindex: v.value };
    default:
      return cannotWrite();
  }
}

export function keyValueJson(m: KeyValue): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  if (m.key !== "") out.key = m.key;
  if (m.value !== undefined) out.value = anyValueJson(m.value);
  if (m.keyStrindex !== 0) out.keyStrindex = m.keyStrindex;
  return out;
}

/** Sets `out[name]` to the attributes when there are any. */
export function putAttributes(out: JsonOut, name: string, attrs: readonly KeyValue[]): void {
  if (attrs.length > 0) out[name] = attrs.map(keyValueJson);
}

export function scopeJson(m: InstrumentationScope): JsonOut {
  checkKnown(m);
  const out: JsonOut = {};
  if (m.name !== "") out.name = m.name;
  if (m.version !== "") out.version = m.version;
  putAttributes(out, "attributes", m.attributes);
  if (m.droppedAttributesCount !== 0) out.droppedAttributesCount = m.droppedAttributesCount;
  return out;
}

export function resourceJson(m: Resource): JsonOut {
  checkKnown(m);
  if (m.entityRefs.length > 0) cannotWrite();
  const out: JsonOut = {};
  putAttributes(out, "attributes", m.attributes);
  if (m.droppedAttributesCount !== 0) out.droppedAttributesCount = m.droppedAttributesCount;
  return out;
}

export function putNonZero(out: JsonOut, name: string, v: number): void {
  if (v !== 0) out[name] = v;
}

export function putInt64(out: JsonOut, name: string, v: bigint): void {
  if (v !== 0n) out[name] = v.toString();
}

export function putString(out: JsonOut, name: string, v: string): void {
  if (v !== "") out[name] = v;
}

export function putId(out: JsonOut, name: string, v: Uint8Array): void {
  if (v.length > 0) out[name] = hex(v);
}

/** Implicit-presence doubles: only +0 is left out, as protobuf-es does. */
export function putDouble(out: JsonOut, name: string, v: number): void {
  if (!Object.is(v, 0)) out[name] = jsonDouble(v);
}
