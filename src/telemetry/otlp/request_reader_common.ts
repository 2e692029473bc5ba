// Common and resource messages for the OTLP request reader (see request_reader.ts).

import type { AnyValue, InstrumentationScope, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { unexpected, type WireReader } from "./wire_reader.ts";

export function readAnyValue(r: WireReader, end: number): AnyValue {
  const m = { $typeName: "opentelemetry.proto.common.v1.AnyValue", value: { case: undefined } } as AnyValue;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        m.value = { case: "stringValue", value: r.string() };
        break;
      case 0x10:
        m.value = { case: "boolValue", value: r.bool() };
        break;
      case 0x18:
        m.value = { case: "intValue", value: r.int64() };
        break;
      case 0x21:
        m.value = { case: "doubleValue", value: r.double() };
        break;
      case 0x2a: {
        if (m.value.case === "arrayValue") unexpected(); // a repeat would merge; leave it to fromBinary
        const e = r.end();
        const values: AnyValue[] = [];
        while (r.pos < e) {
          if (r.uint32() !== 0x0a) unexpected();
          values.push(readAnyValue(r, r.end()));
        }
        r.done(e);
        m.value = { case: "arrayValue", value: { $typeName: "opentelemetry.proto.common.v1.ArrayValue", values } as never };
        break;
      }
      case 0x32: {
        if (m.value.case === "kvlistValue") unexpected();
        const e = r.end();
        const values: KeyValue[] = [];
        while (r.pos < e) {
          if (r.uint32() !== 0x0a) unexpected();
          values.push(readKeyValue(r, r.end()));
        }
        r.done(e);
        m.value = { case: "kvlistValue", value: { $typeName: "opentelemetry.proto.common.v1.KeyValueList", values } as never };
        break;
      }
      case 0x3a:
        m.value = { case: "bytesValue", value: r.bytes() };
        break;
      case 0x40:
        m.value = { case: "stringValueStrindex", value: r.int32() };
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

export function readKeyValue(r: WireReader, end: number): KeyValue {
  const m = { $typeName: "opentelemetry.proto.common.v1.KeyValue", key: "", keyStrindex: 0 } as KeyValue;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        m.key = r.string();
        break;
      case 0x12:
        if (m.value !== undefined) unexpected();
        m.value = readAnyValue(r, r.end());
        break;
      case 0x18:
        m.keyStrindex = r.int32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

export function readAttributes(r: WireReader, out: KeyValue[]): void {
  out.push(readKeyValue(r, r.end()));
}

export function readScope(r: WireReader, end: number): InstrumentationScope {
  const m = {
    $typeName: "opentelemetry.proto.common.v1.InstrumentationScope",
    name: "",
    version: "",
    attributes: [],
    droppedAttributesCount: 0,
  } as unknown as InstrumentationScope;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        m.name = r.string();
        break;
      case 0x12:
        m.version = r.string();
        break;
      case 0x1a:
        readAttributes(r, m.attributes);
        break;
      case 0x20:
        m.droppedAttributesCount = r.uint32();
        break;
      default:
        unexpected();
    }
  }
  r.done(end);
  return m;
}

export function readResource(r: WireReader, end: number): Resource {
  const m = {
    $typeName: "opentelemetry.proto.resource.v1.Resource",
    attributes: [],
    droppedAttributesCount: 0,
    entityRefs: [],
  } as unknown as Resource;
  while (r.pos < end) {
    switch (r.uint32()) {
      case 0x0a:
        readAttributes(r, m.attributes);
        break;
      case 0x10:
        m.droppedAttributesCount = r.uint32();
        break;
      default:
        // entity_refs are rare and still in development: the generic decoder reads them.
        unexpected();
    }
  }
  r.done(end);
  return m;
}
