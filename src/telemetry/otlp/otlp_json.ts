// OTLP/JSON: the protobuf JSON mapping with OTLP's exceptions — trace and span ids are
// hex strings rather than base64, enums are integers, field names lowerCamelCase,
// int64 as strings (numbers are accepted too), unknown fields ignored.

import { fromJson, toJson, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { PayloadError } from "./payload_error.ts";

/** Where ids live, per top-level field of an export request (and of TracesData & co). */
type IdPath = readonly string[];
const ID_FIELDS = ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"] as const;
const ID_WIDTH: Record<(typeof ID_FIELDS)[number], number> = {
  traceId: 16,
  trace_id: 16,
  spanId: 8,
  span_id: 8,
  parentSpanId: 8,
  parent_span_id: 8,
};

type Convert = (value: string, field: (typeof ID_FIELDS)[number], where: string) => string;

const hexToBase64: Convert = (value, field, where) => {
  if (value === "") return "";
  const want = ID_WIDTH[field] * 2;
  if (value.length !== want || !/^[0-9a-fA-F]+$/.test(value)) {
    throw new PayloadError("invalid", `invalid ${field} "${truncate(value)}" at ${where}: want ${want} hex digits`);
  }
  return base64Encode(Uint8Array.from(value.match(/../g)!, (h) => parseInt(h, 16)));
};

const base64ToHex: Convert = (value) => {
  const bytes = base64Decode(value);
  let out = "";
  for (const b of bytes) out += (b < 16 ? "0" : "") + b.toString(16);
  return out;
};

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function arrayAt(obj: JsonObject, camel: string, snake: string): { key: string; items: JsonValue[] } | undefined {
  for (const key of camel === snake ? [camel] : [camel, snake]) {
    const v = obj[key];
    if (Array.isArray(v)) return { key, items: v };
  }
  return undefined;
}

function toSnake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function convertIds(obj: JsonObject, convert: Convert, where: string): void {
  for (const field of ID_FIELDS) {
    const v = obj[field];
    if (typeof v === "string") obj[field] = convert(v, field, where);
  }
}

/** Walks `path` (array fields, lowerCamel names; snake_case accepted) and converts ids in the leaves. */
function walk(node: JsonValue | undefined, path: IdPath, convert: Convert, where: string, idsAt: ReadonlySet<number>, depth = 0): void {
  if (!isObject(node)) return;
  if (idsAt.has(depth)) convertIds(node, convert, where);
  const camel = path[depth];
  if (camel === undefined) return;
  const found = arrayAt(node, camel, toSnake(camel));
  if (!found) return;
  found.items.forEach((item, i) => walk(item, path, convert, `${where}${where ? "." : ""}${found.key}[${i}]`, idsAt, depth + 1));
}

function convertRequestIds(json: JsonValue, convert: Convert): void {
  if (!isObject(json)) return;
  // Spans (and their links), log records, and exemplars of every metric type carry ids.
  walk(json, ["resourceSpans", "scopeSpans", "spans", "links"], convert, "", new Set([3, 4]));
  walk(json, ["resourceLogs", "scopeLogs", "logRecords"], convert, "", new Set([3]));
  for (const [i, rm] of arrayItems(json, "resourceMetrics")) {
    for (const [j, sm] of arrayItems(rm, "scopeMetrics")) {
      for (const [k, m] of arrayItems(sm, "metrics")) {
        for (const kind of ["gauge", "sum", "histogram", "exponentialHistogram"]) {
          const data = m[kind] ?? m[toSnake(kind)];
          if (!isObject(data)) continue;
          const where = `resourceMetrics[${i}].scopeMetrics[${j}].metrics[${k}].${kind}`;
          walk(data, ["dataPoints", "exemplars"], convert, where, new Set([2]));
        }
      }
    }
  }
}

function arrayItems(obj: JsonObject, camel: string): Array<[number, JsonObject]> {
  const found = arrayAt(obj, camel, toSnake(camel));
  if (!found) return [];
  const out: Array<[number, JsonObject]> = [];
  found.items.forEach((v, i) => {
    if (isObject(v)) out.push([i, v]);
  });
  return out;
}

/** Encodes an OTLP message (export request/response, TracesData & co) as OTLP/JSON bytes. */
export function encodeOtlpJson<Desc extends DescMessage>(schema: Desc, message: Parameters<typeof toJson<Desc>>[1]): Uint8Array<ArrayBuffer> {
  const json = toJson(schema, message, { enumAsInteger: true }) as JsonValue;
  convertRequestIds(json, base64ToHex);
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Parses OTLP/JSON bytes or text into a JSON object; throws PayloadError("invalid"). */
export function parseOtlpJson(schema: DescMessage, body: Uint8Array | string): JsonObject {
  let json: JsonValue;
  try {
    const text = typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true }).decode(body);
    json = JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new PayloadError("invalid", `invalid JSON in ${schema.name}: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new PayloadError("invalid", `invalid ${schema.name}: want a JSON object, got ${json === null ? "null" : Array.isArray(json) ? "an array" : typeof json}`);
  return json;
}

/** The message from a parsed OTLP/JSON object (changed in place); throws PayloadError("invalid"). */
export function decodeParsedOtlpJson<Desc extends DescMessage>(schema: Desc, json: JsonObject): ReturnType<typeof fromJson<Desc>> {
  convertRequestIds(json, hexToBase64);
  try {
    return fromJson(schema, json, { ignoreUnknownFields: true });
  } catch (err) {
    throw new PayloadError("invalid", `invalid ${schema.name} JSON: ${(err as Error).message}`);
  }
}

/** Decodes OTLP/JSON bytes or text; throws PayloadError("invalid") naming what was wrong. */
export function decodeOtlpJson<Desc extends DescMessage>(schema: Desc, body: Uint8Array | string): ReturnType<typeof fromJson<Desc>> {
  return decodeParsedOtlpJson(schema, parseOtlpJson(schema, body));
}
