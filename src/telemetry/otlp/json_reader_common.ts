// JSON value helpers for the OTLP/JSON request reader (see json_reader.ts). Anything outside
// the plain forms OTLP exporters send throws Unexpected, and the generic decoder takes over.

import { base64Decode } from "@bufbuild/protobuf/wire";
import type { AnyValue, InstrumentationScope, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { EMPTY_BYTES, unexpected } from "./wire_reader.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObj = { [key: string]: Json };

export function obj(v: Json | undefined): JsonObj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) unexpected();
  return v;
}

export function arr(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) unexpected();
  return v;
}

export function str(v: Json | undefined): string {
  if (typeof v !== "string") unexpected();
  return v;
}

export function bool(v: Json | undefined): boolean {
  if (typeof v !== "boolean") unexpected();
  return v;
}

const INT_RE = /^-?(0|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function int64(v: Json | undefined): bigint {
  const b = toBigInt(v);
  if (b < INT64_MIN || b > INT64_MAX) unexpected();
  return b;
}

export function uint64(v: Json | undefined): bigint {
  const b = toBigInt(v);
  if (b < 0n || b > UINT64_MAX) unexpected();
  return b;
}

function toBigInt(v: Json | undefined): bigint {
  if (typeof v === "string") {
    if (!INT_RE.test(v)) unexpected();
    return BigInt(v);
  }
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  return unexpected();
}

/** int32 / enum given as a number (enum names are left to the generic decoder). */
export function int32(v: Json | undefined): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) unexpected();
  return v;
}

export function uint32(v: Json | undefined): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 2 ** 32 - 1) unexpected();
  return v;
}

export function double(v: Json | undefined): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return unexpected();
}

const HEX_RE = /^[0-9a-fA-F]*$/;

/** A trace or span id: hex of exactly `size` bytes, or empty. */
export function hexId(v: Json | undefined, size: number): Uint8Array {
  const s = str(v);
  if (s === "") return EMPTY_BYTES;
  if (s.length !== size * 2 || !HEX_RE.test(s)) unexpected();
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

export function base64(v: Json | undefined): Uint8Array {
  return base64Decode(str(v));
}

export function readAnyValue(v: Json | undefined): AnyValue {
  const o = obj(v);
  const m = { $typeName: "opentelemetry.proto.common.v1.AnyValue", value: { case: undefined } } as AnyValue;
  let set = 0;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "stringValue":
      case "string_value":
        m.value = { case: "stringValue", value: str(x) };
        break;
      case "boolValue":
      case "bool_value":
        m.value = { case: "boolValue", value: bool(x) };
        break;
      case "intValue":
      case "int_value":
        m.value = { case: "intValue", value: int64(x) };
        break;
      case "doubleValue":
      case "double_value":
        m.value = { case: "doubleValue", value: double(x) };
        break;
      case "arrayValue":
      case "array_value": {
        const values = arr(obj(x).values ?? []).map(readAnyValue);
        m.value = { case: "arrayValue", value: { $typeName: "opentelemetry.proto.common.v1.ArrayValue", values } as never };
        break;
      }
      case "kvlistValue":
      case "kvlist_value": {
        const values = arr(obj(x).values ?? []).map(readKeyValue);
        m.value = { case: "kvlistValue", value: { $typeName: "opentelemetry.proto.common.v1.KeyValueList", values } as never };
        break;
      }
      case "bytesValue":
      case "bytes_value":
        m.value = { case: "bytesValue", value: base64(x) };
        break;
      case "stringValueStrindex":
      case "string_value_strindex":
        m.value = { case: "stringValueStrindex", value: int32(x) };
        break;
      default:
        continue;
    }
    if (x === null || ++set > 1) unexpected();
  }
  return m;
}

export function readKeyValue(v: Json | undefined): KeyValue {
  const o = obj(v);
  const m = { $typeName: "opentelemetry.proto.common.v1.KeyValue", key: "", keyStrindex: 0 } as KeyValue;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "key":
        m.key = str(x);
        break;
      case "value":
        m.value = readAnyValue(x);
        break;
      case "keyStrindex":
      case "key_strindex":
        m.keyStrindex = int32(x);
        break;
    }
  }
  return m;
}

export function readAttributes(v: Json | undefined): KeyValue[] {
  return arr(v).map(readKeyValue);
}

export function readScope(v: Json | undefined): InstrumentationScope {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.common.v1.InstrumentationScope",
    name: "",
    version: "",
    attributes: [],
    droppedAttributesCount: 0,
  } as unknown as InstrumentationScope;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "name":
        m.name = str(x);
        break;
      case "version":
        m.version = str(x);
        break;
      case "attributes":
        m.attributes = readAttributes(x);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        m.droppedAttributesCount = uint32(x);
        break;
    }
  }
  return m;
}

export function readResource(v: Json | undefined): Resource {
  const o = obj(v);
  const m = {
    $typeName: "opentelemetry.proto.resource.v1.Resource",
    attributes: [],
    droppedAttributesCount: 0,
    entityRefs: [],
  } as unknown as Resource;
  for (const key in o) {
    const x = o[key];
    switch (key) {
      case "attributes":
        m.attributes = readAttributes(x);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        m.droppedAttributesCount = uint32(x);
        break;
      case "entityRefs":
      case "entity_refs":
        unexpected();
    }
  }
  return m;
}

/** `schemaUrl` / `schema_url`. */
export function isSchemaUrl(key: string): boolean {
  return key === "schemaUrl" || key === "schema_url";
}
