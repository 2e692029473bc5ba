// Common and resource messages for the OTLP request writer (see request_writer.ts).
// Fields are written in field-number order and defaults skipped, as protobuf-es does,
// so the bytes are identical to toBinary's.

import type { AnyValue, InstrumentationScope, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { cannotWrite, isDefaultDouble, type WireWriter } from "./wire_writer.ts";

/** Messages carrying unknown fields (kept by the generic decoder) go to the generic encoder. */
export function checkKnown(m: { $unknown?: unknown[] }): void {
  if (m.$unknown !== undefined && m.$unknown.length > 0) cannotWrite();
}

export function writeAnyValue(w: WireWriter, m: AnyValue): void {
  checkKnown(m);
  const v = m.value;
  switch (v.case) {
    case undefined:
      return;
    case "stringValue":
      w.uint32(0x0a);
      w.string(v.value);
      return;
    case "boolValue":
      w.uint32(0x10);
      w.uint32(v.value ? 1 : 0);
      return;
    case "intValue":
      w.uint32(0x18);
      w.uint64(v.value);
      return;
    case "doubleValue":
      w.uint32(0x21);
      w.double(v.value);
      return;
    case "arrayValue": {
      checkKnown(v.value);
      w.uint32(0x2a);
      const start = w.begin();
      for (const x of v.value.values) {
        w.uint32(0x0a);
        const s = w.begin();
        writeAnyValue(w, x);
        w.endAt(s);
      }
      w.endAt(start);
      return;
    }
    case "kvlistValue": {
      checkKnown(v.value);
      w.uint32(0x32);
      const start = w.begin();
      for (const kv of v.value.values) writeKeyValueField(w, 0x0a, kv);
      w.endAt(start);
      return;
    }
    case "bytesValue":
      w.uint32(0x3a);
      w.bytes(v.value);
      return;
    case "stringValueStrindex":
      w.uint32(0x40);
      w.int32(v.value);
      return;
    default:
      cannotWrite();
  }
}

/** A KeyValue as field `tag` of its parent. */
export function writeKeyValueField(w: WireWriter, tag: number, kv: KeyValue): void {
  checkKnown(kv);
  w.uint32(tag);
  const start = w.begin();
  if (kv.key !== "") {
    w.uint32(0x0a);
    w.string(kv.key);
  }
  if (kv.value !== undefined) {
    w.uint32(0x12);
    const s = w.begin();
    writeAnyValue(w, kv.value);
    w.endAt(s);
  }
  if (kv.keyStrindex !== 0) {
    w.uint32(0x18);
    w.int32(kv.keyStrindex);
  }
  w.endAt(start);
}

export function writeAttributes(w: WireWriter, tag: number, attrs: readonly KeyValue[]): void {
  for (const kv of attrs) writeKeyValueField(w, tag, kv);
}

export function writeScopeField(w: WireWriter, tag: number, m: InstrumentationScope | undefined): void {
  if (m === undefined) return;
  checkKnown(m);
  w.uint32(tag);
  const start = w.begin();
  if (m.name !== "") {
    w.uint32(0x0a);
    w.string(m.name);
  }
  if (m.version !== "") {
    w.uint32(0x12);
    w.string(m.version);
  }
  writeAttributes(w, 0x1a, m.attributes);
  if (m.droppedAttributesCount !== 0) {
    w.uint32(0x20);
    w.uint32(m.droppedAttributesCount);
  }
  w.endAt(start);
}

export function writeResourceField(w: WireWriter, tag: number, m: Resource | undefined): void {
  if (m === undefined) return;
  checkKnown(m);
  // Entity references are rare and still in development: the generic encoder writes them.
  if (m.entityRefs.length > 0) cannotWrite();
  w.uint32(tag);
  const start = w.begin();
  writeAttributes(w, 0x0a, m.attributes);
  if (m.droppedAttributesCount !== 0) {
    w.uint32(0x10);
    w.uint32(m.droppedAttributesCount);
  }
  w.endAt(start);
}

export function writeDoubleField(w: WireWriter, tag: number, v: number): void {
  if (isDefaultDouble(v)) return;
  w.uint32(tag);
  w.double(v);
}
