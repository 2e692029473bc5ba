// otelcol.exporter.loki: OTLP log records → Loki entries, as the Collector's Loki translator
// does it. Labels: exporter="OTLP", job (service.namespace/service.name), instance
// (service.instance.id), plus the attributes the `loki.resource.labels`,
// `loki.attribute.labels` and `loki.tenant` hints name; those attributes and the hints leave the
// line. The line is JSON by default, or logfmt / the raw body per the `loki.format` hint.

import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import { CONSUMER_CAPSULE_TYPE, type AnyValue, type InstrumentationScope, type KeyValue, type LogRecord, type LogsBatch, type OtelConsumer } from "../../../telemetry/otlp/index.ts";
import { newEntry, nowNs, type Entry, type LabelSet } from "../../../telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, sendToAll, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { anyValueString, anyValueToJS, findAttr } from "../processor/matching.ts";
import { normalizeLabel } from "./prometheus/normalize.ts";

const Arguments = schema.block({ forward_to: schema.attr(schema.list(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE))) });
const Exports = schema.block({ input: schema.attr(schema.capsule<OtelConsumer>(CONSUMER_CAPSULE_TYPE)) });
type Args = schema.Infer<typeof Arguments>;

const HINT_ATTRIBUTES = "loki.attribute.labels";
const HINT_RESOURCES = "loki.resource.labels";
const HINT_TENANT = "loki.tenant";
const HINT_FORMAT = "loki.format";
const HINTS = new Set([HINT_ATTRIBUTES, HINT_RESOURCES, HINT_TENANT, HINT_FORMAT]);

function attributeNames(v: AnyValue | undefined): string[] {
  if (v?.value.case === "stringValue") return v.value.value.split(",");
  if (v?.value.case === "arrayValue") return v.value.value.values.map((x) => anyValueString(x));
  return [anyValueString(v)];
}

function nested(attrs: readonly KeyValue[], name: string): AnyValue | undefined {
  const direct = findAttr(attrs, name);
  if (direct) return direct.value;
  const dot = name.indexOf(".");
  if (dot < 0) return undefined;
  const head = findAttr(attrs, name.slice(0, dot))?.value;
  return head?.value.case === "kvlistValue" ? nested(head.value.value.values, name.slice(dot + 1)) : undefined;
}

function selectLabels(out: Map<string, string>, attrs: readonly KeyValue[], hint: AnyValue | undefined): void {
  for (const raw of attributeNames(hint)) {
    const name = raw.trim();
    const v = nested(attrs, name);
    if (v !== undefined) out.set(name, anyValueString(v));
  }
}

/** Labels (attribute names not yet sanitized) the record and its resource ask for. */
export function mergedLabels(logAttrs: readonly KeyValue[], resAttrs: readonly KeyValue[]): Map<string, string> {
  const out = new Map<string, string>([["exporter", "OTLP"]]);
  const name = findAttr(resAttrs, "service.name");
  if (name) {
    const ns = findAttr(resAttrs, "service.namespace");
    out.set("job", ns ? `${anyValueString(ns.value)}/${anyValueString(name.value)}` : anyValueString(name.value));
  }
  const inst = findAttr(resAttrs, "service.instance.id");
  if (inst) out.set("instance", anyValueString(inst.value));
  const resHint = findAttr(resAttrs, HINT_RESOURCES);
  if (resHint) selectLabels(out, resAttrs, resHint.value);
  const logResHint = findAttr(logAttrs, HINT_RESOURCES);
  if (logResHint) selectLabels(out, resAttrs, logResHint.value);
  const attrHint = findAttr(logAttrs, HINT_ATTRIBUTES);
  if (attrHint) selectLabels(out, logAttrs, attrHint.value);
  const resTenant = findAttr(resAttrs, HINT_TENANT);
  if (resTenant) selectLabels(out, resAttrs, resTenant.value);
  else {
    const logTenant = findAttr(logAttrs, HINT_TENANT);
    if (logTenant) selectLabels(out, logAttrs, logTenant.value);
  }
  return out;
}

/** Go's encoding/json escapes <, > and & (and U+2028/2029) in strings; Loki lines keep that. */
export function goJSON(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

const byKey = (a: KeyValue, b: KeyValue): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A map as Go's encoding/json writes it: keys sorted by their bytes. */
function jsonMap(kvs: readonly KeyValue[]): string {
  return `{${[...kvs].sort(byKey).map((kv) => `${goJSON(kv.key)}:${jsonValue(kv.value)}`).join(",")}}`;
}

/** A value as Go writes Value.AsRaw(): integers exactly (int64), bytes as base64. */
function jsonValue(v: AnyValue | undefined): string {
  const x = v?.value;
  switch (x?.case) {
    case "stringValue":
      return goJSON(x.value);
    case "boolValue":
      return x.value ? "true" : "false";
    case "intValue":
      return x.value.toString();
    case "doubleValue":
      return Number.isFinite(x.value) ? JSON.stringify(x.value) : "null";
    case "bytesValue":
      return goJSON(Buffer.from(x.value).toString("base64"));
    case "arrayValue":
      return `[${x.value.values.map(jsonValue).join(",")}]`;
    case "kvlistValue":
      return jsonMap(x.value.values);
    default:
      return "null";
  }
}

function hex(b: Uint8Array): string {
  return b.every((x) => x === 0) ? "" : Buffer.from(b).toString("hex");
}

export function encodeJSON(lr: LogRecord, resAttrs: readonly KeyValue[], scope: InstrumentationScope | undefined): string {
  const fields: string[] = [];
  if (lr.body && lr.body.value.case !== undefined) fields.push(`"body":${jsonValue(lr.body)}`);
  const traceid = hex(lr.traceId);
  if (traceid) fields.push(`"traceid":"${traceid}"`);
  const spanid = hex(lr.spanId);
  if (spanid) fields.push(`"spanid":"${spanid}"`);
  if (lr.severityText) fields.push(`"severity":${goJSON(lr.severityText)}`);
  if (lr.flags) fields.push(`"flags":${lr.flags}`);
  if (lr.attributes.length > 0) fields.push(`"attributes":${jsonMap(lr.attributes)}`);
  if (resAttrs.length > 0) fields.push(`"resources":${jsonMap(resAttrs)}`);
  if (scope?.name) {
    const version = scope.version ? `,"version":${goJSON(scope.version)}` : "";
    fields.push(`"instrumentation_scope":{"name":${goJSON(scope.name)}${version}}`);
  }
  return `{${fields.join(",")}}`;
}

function logfmtValue(v: unknown): string {
  const s = typeof v === "string" ? v : v === null || v === undefined ? "null" : String(v);
  if (s === "") return '""';
  return /[\s="\\]|[^\x20-\x7e]/.test(s) ? JSON.stringify(s) : s;
}

function valueKeyvals(key: string, v: AnyValue | undefined, out: Array<[string, unknown]>): void {
  const x = v?.value;
  switch (x?.case) {
    case undefined:
      return;
    case "kvlistValue":
      for (const kv of x.value.values) valueKeyvals(key ? `${key}_${kv.key}` : kv.key, kv.value, out);
      return;
    case "arrayValue":
      x.value.values.forEach((e, i) => valueKeyvals(key ? `${key}_${i}` : String(i), e, out));
      return;
    case "intValue":
      out.push([key, x.value.toString()]);
      return;
    default:
      out.push([key, anyValueToJS(v)]);
  }
}

export function encodeLogfmt(lr: LogRecord, resAttrs: readonly KeyValue[], scope: InstrumentationScope | undefined): string {
  const kv: Array<[string, unknown]> = [];
  const body = lr.body;
  if (body?.value.case === "stringValue") {
    const pairs = parseLogfmtLoose(body.value.value);
    if (pairs) kv.push(...pairs);
    else kv.push(["msg", body.value.value]);
  } else if (body?.value.case === "kvlistValue") valueKeyvals("", body, kv);
  else if (body?.value.case === "arrayValue") valueKeyvals("body", body, kv);
  else if (body?.value.case !== undefined && body) kv.push(["msg", anyValueToJS(body)]);
  const put = (k: string, v: unknown): void => {
    const i = kv.findIndex(([key]) => key === k);
    if (i >= 0) kv[i] = [k, v];
    else kv.push([k, v]);
  };
  if (hex(lr.traceId)) put("traceID", hex(lr.traceId));
  if (hex(lr.spanId)) put("spanID", hex(lr.spanId));
  if (lr.severityText) put("severity", lr.severityText);
  if (lr.flags) put("flags", lr.flags);
  for (const a of lr.attributes) valueKeyvals(`attribute_${a.key}`, a.value, kv);
  for (const a of resAttrs) valueKeyvals(`resource_${a.key}`, a.value, kv);
  if (scope?.name) {
    kv.push(["instrumentation_scope_name", scope.name]);
    if (scope.version) kv.push(["instrumentation_scope_version", scope.version]);
  }
  return kv.map(([k, v]) => `${k}=${logfmtValue(v)}`).join(" ");
}

/** key=value pairs of a line, or undefined when it is not logfmt (then the body goes under msg). */
function parseLogfmtLoose(line: string): Array<[string, unknown]> | undefined {
  const out: Array<[string, unknown]> = [];
  const re = /\s*([^\s="]+)(?:=("(?:[^"\\]|\\.)*"|[^\s"]*))?/y;
  let pos = 0;
  while (pos < line.length) {
    if (/^\s*$/.test(line.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(line);
    if (!m) return undefined;
    const raw = m[2];
    out.push([m[1]!, raw === undefined ? "" : raw.startsWith('"') ? (JSON.parse(raw) as string) : raw]);
    pos = re.lastIndex;
  }
  return out;
}

/** One Loki entry per log record. */
export function logsToEntries(batch: LogsBatch): Entry[] {
  const entries: Entry[] = [];
  for (const rl of batch.request.resourceLogs) {
    const resAll = rl.resource?.attributes ?? [];
    for (const sl of rl.scopeLogs) {
      for (const lr of sl.logRecords) {
        const raw = mergedLabels(lr.attributes, resAll);
        const keep = (kv: KeyValue): boolean => !HINTS.has(kv.key) && !raw.has(kv.key);
        const format = anyValueString(findAttr(lr.attributes, HINT_FORMAT)?.value ?? findAttr(resAll, HINT_FORMAT)?.value) || "json";
        const record = { ...lr, attributes: lr.attributes.filter(keep) } as LogRecord;
        const res = resAll.filter(keep);
        let line: string;
        if (format === "json") line = encodeJSON(record, res, sl.scope);
        else if (format === "logfmt") line = encodeLogfmt(record, res, sl.scope);
        else if (format === "raw") line = anyValueString(lr.body);
        else continue; // the translator drops records with an unknown format
        const labels: LabelSet = Object.create(null) as LabelSet;
        for (const [k, v] of raw) labels[normalizeLabel(k)] = v;
        const ts = lr.timeUnixNano !== 0n ? lr.timeUnixNano : lr.observedTimeUnixNano !== 0n ? lr.observedTimeUnixNano : nowNs();
        entries.push(newEntry(labels, ts, line));
      }
    }
  }
  return entries;
}

class LokiExporter implements ComponentInstance<Args>, OtelConsumer {
  readonly capabilities = { mutatesData: false };
  private receivers: LogsReceiver[];

  constructor(ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.receivers = args.forward_to;
    ctx.publish({ input: this });
  }

  update(args: Args): void {
    this.receivers = args.forward_to;
  }

  async consumeLogs(batch: LogsBatch): Promise<void> {
    const entries = logsToEntries(batch);
    if (entries.length > 0) await sendToAll(this.receivers, entries);
  }
}

export default defineComponent({
  name: "otelcol.exporter.loki",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new LokiExporter(ctx, args),
});
