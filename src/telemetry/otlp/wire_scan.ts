// A validating walk over a protobuf export request that allocates nothing: it checks every
// field against the schema and counts the items (spans, data points, log records), so a
// receiver can accept a request and forward its bytes without building the decoded object
// graph. It is stricter than the decoders: unknown fields, unexpected wire types, a singular
// message or oneof set twice, odd packed lengths or deep nesting make it give up (undefined),
// and the caller decodes the request instead. Whatever it accepts, fromBinary decodes, to a
// request with the same number of items.

import { isUtf8 } from "node:buffer";
import { WIRE_SCHEMA } from "./gen/wire_schema_data.ts";
import { SIGNAL_FACTS, type Signal } from "./signal.ts";
import type { WireKind } from "./wire_schema.ts";

const enum Kind {
  Varint,
  Fixed64,
  Fixed32,
  Bytes,
  String,
  Message,
  MessageList,
  PackedVarint,
  PackedFixed64,
  PackedFixed32,
}

const KINDS: Record<WireKind, Kind> = {
  varint: Kind.Varint,
  fixed64: Kind.Fixed64,
  fixed32: Kind.Fixed32,
  string: Kind.String,
  bytes: Kind.Bytes,
  message: Kind.Message,
  "repeated message": Kind.MessageList,
  // Each entry of a repeated string or bytes field is its own length-delimited field.
  "repeated string": Kind.String,
  "repeated bytes": Kind.Bytes,
  "packed varint": Kind.PackedVarint,
  "packed fixed64": Kind.PackedFixed64,
  "packed fixed32": Kind.PackedFixed32,
};

interface Rule {
  kind: Kind;
  /** Nested message, for Message and MessageList. */
  table: Table | undefined;
  /** Bit marking a singular message field or oneof already seen in this message. */
  once: number;
}

interface Table {
  /** By field number. */
  readonly rules: Array<Rule | undefined>;
  /** Each entry of a repeated field of this type counts as one item. */
  readonly item: boolean;
}

const ITEM_TYPES = new Set([
  "opentelemetry.proto.trace.v1.Span",
  "opentelemetry.proto.logs.v1.LogRecord",
  "opentelemetry.proto.metrics.v1.NumberDataPoint",
  "opentelemetry.proto.metrics.v1.HistogramDataPoint",
  "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint",
  "opentelemetry.proto.metrics.v1.SummaryDataPoint",
]);

const tables = new Map<string, Table>();

function tableFor(typeName: string): Table {
  const known = tables.get(typeName);
  if (known) return known;
  const fields = WIRE_SCHEMA[typeName];
  if (fields === undefined) throw new Error(`no wire schema for ${typeName}`);
  const table: Table = { rules: [], item: ITEM_TYPES.has(typeName) };
  // Registered first: AnyValue refers to itself through ArrayValue and KeyValueList.
  tables.set(typeName, table);
  const onceBits = new Map<string, number>();
  const bitFor = (key: string): number => {
    let bit = onceBits.get(key);
    if (bit === undefined) {
      // More singular messages than bits: the rule cannot be checked, so the field is unknown.
      if (onceBits.size >= 31) return -1;
      bit = 1 << onceBits.size;
      onceBits.set(key, bit);
    }
    return bit;
  };
  // Dense: field numbers of OTLP messages are small.
  const top = Math.max(0, ...fields.map((f) => f.number));
  for (let i = 0; i <= top; i++) table.rules.push(undefined);
  for (const f of fields) {
    const kind = KINDS[f.kind];
    const once = f.oneof !== undefined ? bitFor(`oneof:${f.oneof}`) : kind === Kind.Message ? bitFor(`field:${f.number}`) : 0;
    if (once === -1) continue;
    table.rules[f.number] = { kind, table: f.message !== undefined ? tableFor(f.message) : undefined, once };
  }
  return table;
}

class GiveUp extends Error {}
const GIVE_UP = new GiveUp("not a request the scanner vouches for");
const MAX_DEPTH = 64;

/**
 * The number of items in an export request's protobuf bytes, or undefined when the request
 * must be decoded to be checked (it may still be valid).
 */
export function scanExportRequest(signal: Signal, bytes: Uint8Array): number | undefined {
  try {
    return scanMessage(bytes, 0, bytes.length, tableFor(SIGNAL_FACTS[signal].requestType), 0);
  } catch (err) {
    if (err === GIVE_UP || err instanceof RangeError) return undefined;
    throw err;
  }
}

function scanMessage(buf: Uint8Array, pos: number, end: number, table: Table, depth: number): number {
  if (depth > MAX_DEPTH) throw GIVE_UP;
  const rules = table.rules;
  let items = 0;
  let seen = 0;
  while (pos < end) {
    // Tag: field numbers of OTLP messages fit in two bytes.
    let tag = buf[pos++]!;
    if (tag >= 0x80) {
      const b = buf[pos++]!;
      if (b >= 0x80) throw GIVE_UP;
      tag = (tag & 0x7f) | (b << 7);
    }
    const wire = tag & 7;
    const rule = rules[tag >>> 3];
    if (rule === undefined) throw GIVE_UP;
    if (rule.once !== 0) {
      if ((seen & rule.once) !== 0) throw GIVE_UP;
      seen |= rule.once;
    }
    switch (rule.kind) {
      case Kind.Varint:
        if (wire !== 0) throw GIVE_UP;
        pos = skipVarint(buf, pos);
        break;
      case Kind.Fixed64:
        if (wire !== 1) throw GIVE_UP;
        pos += 8;
        break;
      case Kind.Fixed32:
        if (wire !== 5) throw GIVE_UP;
        pos += 4;
        break;
      case Kind.Bytes:
        if (wire !== 2) throw GIVE_UP;
        pos = fieldEnd(buf, pos, end);
        break;
      case Kind.String: {
        if (wire !== 2) throw GIVE_UP;
        pos = fieldEnd(buf, pos, end);
        // The decoders refuse strings that are not UTF-8.
        let i = dataStart;
        while (i < pos && buf[i]! < 0x80) i++;
        if (i < pos && !isUtf8(buf.subarray(i, pos))) throw GIVE_UP;
        break;
      }
      case Kind.Message:
      case Kind.MessageList: {
        if (wire !== 2) throw GIVE_UP;
        const stop = fieldEnd(buf, pos, end);
        const nested = rule.table!;
        items += scanMessage(buf, dataStart, stop, nested, depth + 1);
        if (nested.item && rule.kind === Kind.MessageList) items++;
        pos = stop;
        break;
      }
      case Kind.PackedVarint:
        if (wire === 0) pos = skipVarint(buf, pos);
        else if (wire === 2) {
          const stop = fieldEnd(buf, pos, end);
          pos = dataStart;
          while (pos < stop) pos = skipVarint(buf, pos);
          if (pos !== stop) throw GIVE_UP;
        } else throw GIVE_UP;
        break;
      case Kind.PackedFixed64:
      case Kind.PackedFixed32: {
        const size = rule.kind === Kind.PackedFixed64 ? 8 : 4;
        if (wire === (size === 8 ? 1 : 5)) pos += size;
        else if (wire === 2) {
          pos = fieldEnd(buf, pos, end);
          if ((pos - dataStart) % size !== 0) throw GIVE_UP;
        } else throw GIVE_UP;
        break;
      }
    }
    if (pos > end) throw GIVE_UP;
  }
  if (pos !== end) throw GIVE_UP;
  return items;
}

/** Position after a varint of at most 10 bytes. */
function skipVarint(buf: Uint8Array, pos: number): number {
  const limit = pos + 10;
  while (pos < limit) {
    const b = buf[pos++];
    if (b === undefined) throw GIVE_UP;
    if (b < 0x80) return pos;
  }
  throw GIVE_UP;
}

/** Where the data of the last length-delimited field read by fieldEnd starts. */
let dataStart = 0;

/** End of the length-delimited field whose length prefix is at `pos`; must not pass `end`. */
function fieldEnd(buf: Uint8Array, pos: number, end: number): number {
  let b = buf[pos++]!;
  let len = b & 0x7f;
  if (b >= 0x80) {
    b = buf[pos++]!;
    len |= (b & 0x7f) << 7;
    if (b >= 0x80) {
      b = buf[pos++]!;
      len |= (b & 0x7f) << 14;
      if (b >= 0x80) {
        b = buf[pos++]!;
        len |= (b & 0x7f) << 21;
        // Four bytes hold 256 MiB, more than any acceptable request.
        if (b >= 0x80) throw GIVE_UP;
      }
    }
  }
  // Reading past the buffer gives undefined, which makes len NaN or leaves pos past end.
  if (pos > end) throw GIVE_UP;
  const stop = pos + len;
  if (stop > end) throw GIVE_UP;
  dataStart = pos;
  return stop;
}
