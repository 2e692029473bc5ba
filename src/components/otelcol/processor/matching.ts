// The Collector's include/exclude match properties (filterconfig.MatchProperties) shared by
// otelcol processors: which spans, log records and metrics an action applies to. Within one
// property any listed item may match; across properties all must match.

import { create } from "@bufbuild/protobuf";
import * as schema from "../../../syntax/schema/index.ts";
import { Capsule, type Value } from "../../../syntax/value.ts";
import { GoRegexp } from "../../../gocompat/regexp.ts";
import {
  AnyValueSchema,
  ArrayValueSchema,
  KeyValueListSchema,
  KeyValueSchema,
  SeverityNumber,
  Span_SpanKind,
  type AnyValue,
  type InstrumentationScope,
  type KeyValue,
  type LogRecord,
  type Resource,
  type Span,
} from "../../../telemetry/otlp/index.ts";

// ---- attribute values ------------------------------------------------------------------

/** pcommon.Value.AsString: strings as they are, numbers as ES6 prints them, maps and lists as JSON. */
export function anyValueString(v: AnyValue | undefined): string {
  const x = v?.value;
  switch (x?.case) {
    case "stringValue":
      return x.value;
    case "boolValue":
      return x.value ? "true" : "false";
    case "intValue":
      return x.value.toString();
    case "doubleValue":
      return Number.isFinite(x.value) ? String(x.value) : `json: unsupported value: ${goFloat(x.value)}`;
    case "bytesValue":
      return Buffer.from(x.value).toString("base64");
    case "arrayValue":
    case "kvlistValue":
      return JSON.stringify(anyValueToJS(v));
    default:
      return "";
  }
}

function goFloat(f: number): string {
  return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
}

/** A JSON-ready view of a value (the Collector's Value.AsRaw). */
export function anyValueToJS(v: AnyValue | undefined): unknown {
  const x = v?.value;
  switch (x?.case) {
    case "stringValue":
    case "boolValue":
    case "doubleValue":
      return x.value;
    case "intValue":
      return Number(x.value);
    case "bytesValue":
      return Buffer.from(x.value).toString("base64");
    case "arrayValue":
      return x.value.values.map(anyValueToJS);
    case "kvlistValue":
      return Object.fromEntries(x.value.values.map((kv) => [kv.key, anyValueToJS(kv.value)]));
    default:
      return null;
  }
}

export function stringValue(s: string): AnyValue {
  return create(AnyValueSchema, { value: { case: "stringValue", value: s } });
}

/** A config value (`value = ...` in an action or filter) as an attribute value. */
export function configToAnyValue(v: Value): AnyValue {
  if (typeof v === "string") return stringValue(v);
  if (typeof v === "boolean") return create(AnyValueSchema, { value: { case: "boolValue", value: v } });
  if (typeof v === "bigint") return create(AnyValueSchema, { value: { case: "intValue", value: v } });
  if (typeof v === "number") return create(AnyValueSchema, { value: { case: "doubleValue", value: v } });
  if (Array.isArray(v)) return create(AnyValueSchema, { value: { case: "arrayValue", value: create(ArrayValueSchema, { values: v.map(configToAnyValue) }) } });
  if (v === null || v instanceof Capsule || typeof v === "function") return create(AnyValueSchema, {});
  if (typeof v === "object" && !(v instanceof Capsule)) {
    const entries = Object.entries(v as Record<string, Value>);
    return create(AnyValueSchema, {
      value: { case: "kvlistValue", value: create(KeyValueListSchema, { values: entries.map(([key, x]) => create(KeyValueSchema, { key, value: configToAnyValue(x) })) }) },
    });
  }
  return create(AnyValueSchema, {});
}

/** Typed equality of two attribute values (pcommon.Value.Equal). */
export function anyValueEqual(a: AnyValue | undefined, b: AnyValue | undefined): boolean {
  const x = a?.value;
  const y = b?.value;
  if (x?.case !== y?.case) return false;
  if (x?.case === undefined) return true;
  if (x.case === "arrayValue" || x.case === "kvlistValue" || x.case === "bytesValue") return anyValueString(a) === anyValueString(b);
  return x.value === y!.value;
}

export function findAttr(attrs: readonly KeyValue[], key: string): KeyValue | undefined {
  for (const kv of attrs) if (kv.key === key) return kv;
  return undefined;
}

// ---- config ----------------------------------------------------------------------------

const KeyValueBlock = schema.block({ key: schema.attr(schema.string), value: schema.attr(schema.any, { optional: true }) });

export const MatchProperties = schema.block({
  match_type: schema.attr(schema.enumOf("strict", "regexp")),
  regexp: schema.block(
    schema.block({ cache_enabled: schema.attr(schema.bool, { default: false }), cache_max_num_entries: schema.attr(schema.int, { default: 0 }) }),
    { optional: true },
  ),
  services: schema.attr(schema.list(schema.string), { default: [] }),
  span_names: schema.attr(schema.list(schema.string), { default: [] }),
  span_kinds: schema.attr(schema.list(schema.string), { default: [] }),
  log_bodies: schema.attr(schema.list(schema.string), { default: [] }),
  log_severity_texts: schema.attr(schema.list(schema.string), { default: [] }),
  log_severity: schema.block(schema.block({ min: schema.attr(schema.string), match_undefined: schema.attr(schema.bool) }), { optional: true }),
  metric_names: schema.attr(schema.list(schema.string), { default: [] }),
  attribute: schema.blocks(KeyValueBlock),
  resource: schema.blocks(KeyValueBlock),
  library: schema.blocks(schema.block({ name: schema.attr(schema.string), version: schema.attr(schema.string, { optional: true }) })),
});
export type MatchPropertiesArgs = schema.Infer<typeof MatchProperties>;

// ---- compiled matcher ------------------------------------------------------------------

type StringMatcher = (s: string) => boolean;

function stringMatcher(kind: "strict" | "regexp", items: readonly string[], what: string): StringMatcher | undefined {
  if (items.length === 0) return undefined;
  if (kind === "strict") {
    const set = new Set(items);
    return (s) => set.has(s);
  }
  const res = items.map((p) => {
    try {
      return GoRegexp.compile(p);
    } catch (err) {
      throw new Error(`error creating ${what} filters: error parsing regexp: ${(err as Error).message}`);
    }
  });
  return (s) => res.some((r) => r.matchString(s));
}

interface AttrMatcher {
  key: string;
  /** Absent: the key only has to exist. */
  test?: (v: AnyValue | undefined) => boolean;
}

function attrMatchers(kind: "strict" | "regexp", items: readonly { key: string; value?: Value | undefined }[], what: string): AttrMatcher[] {
  return items.map(({ key, value }) => {
    if (key === "") throw new Error(`can't have empty key in the list of ${what}`);
    if (value === undefined || value === null) return { key };
    if (kind === "strict") {
      const want = configToAnyValue(value);
      return { key, test: (v) => anyValueEqual(v, want) };
    }
    if (typeof value !== "string") throw new Error(`${what} "${key}": regexp match_type requires a string value`);
    let re: GoRegexp;
    try {
      re = GoRegexp.compile(value);
    } catch (err) {
      throw new Error(`error creating ${what} filters: error parsing regexp: ${(err as Error).message}`);
    }
    return { key, test: (v) => v?.value.case === "stringValue" && re.matchString(v.value.value) };
  });
}

function attrsMatch(matchers: readonly AttrMatcher[], attrs: readonly KeyValue[]): boolean {
  for (const m of matchers) {
    const kv = findAttr(attrs, m.key);
    if (!kv) return false;
    if (m.test && !m.test(kv.value)) return false;
  }
  return true;
}

const SPAN_KINDS: Record<string, Span_SpanKind> = {
  SPAN_KIND_UNSPECIFIED: Span_SpanKind.UNSPECIFIED,
  SPAN_KIND_INTERNAL: Span_SpanKind.INTERNAL,
  SPAN_KIND_SERVER: Span_SpanKind.SERVER,
  SPAN_KIND_CLIENT: Span_SpanKind.CLIENT,
  SPAN_KIND_PRODUCER: Span_SpanKind.PRODUCER,
  SPAN_KIND_CONSUMER: Span_SpanKind.CONSUMER,
};
const SPAN_KIND_NAMES = new Map(Object.entries(SPAN_KINDS).map(([k, v]) => [v, k]));

/** Severity text as the log_severity block's `min` accepts it (plog.SeverityNumber names). */
export function parseSeverity(text: string): SeverityNumber | undefined {
  const m = /^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)([234])?$/i.exec(text.trim());
  if (!m) return undefined;
  const base: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };
  return (base[m[1]!.toUpperCase()]! + (m[2] ? Number(m[2]) - 1 : 0)) as SeverityNumber;
}

/** What an item exposes to matching; absent fields never match a property that needs them. */
export interface MatchSubject {
  resource: Resource | undefined;
  scope: InstrumentationScope | undefined;
  attributes: readonly KeyValue[];
  span?: Span;
  log?: LogRecord;
  metricName?: string;
}

export type Matcher = (s: MatchSubject) => boolean;

/** Compiles a match-properties block for one signal; throws with Alloy's message on bad config. */
export function compileMatchProperties(p: MatchPropertiesArgs, signal: "traces" | "metrics" | "logs", where: string): Matcher {
  const invalid = (names: string[]): void => {
    const given = names.filter((n) => {
      const v = (p as Record<string, unknown>)[n];
      return Array.isArray(v) ? v.length > 0 : v !== undefined;
    });
    if (given.length > 0) throw new Error(`${where}: ${given.join(", ")} cannot be used to match ${signal === "traces" ? "spans" : signal}`);
  };
  if (signal === "traces") invalid(["log_bodies", "log_severity_texts", "log_severity", "metric_names"]);
  if (signal === "logs") invalid(["span_names", "span_kinds", "metric_names", "services"]);
  if (signal === "metrics") invalid(["span_names", "span_kinds", "log_bodies", "log_severity_texts", "log_severity", "services", "attribute", "resource", "library"]);

  const kind = p.match_type;
  const services = stringMatcher(kind, p.services, "service");
  const spanNames = stringMatcher(kind, p.span_names, "span name");
  const spanKinds = stringMatcher(kind, p.span_kinds, "span kind");
  const logBodies = stringMatcher(kind, p.log_bodies, "log body");
  const severityTexts = stringMatcher(kind, p.log_severity_texts, "log severity text");
  const metricNames = stringMatcher(kind, p.metric_names, "metric name");
  const attrs = attrMatchers(kind, p.attribute, "attributes");
  const resources = attrMatchers(kind, p.resource, "resources");
  const libraries = p.library.map((l) => ({ name: stringMatcher(kind, [l.name], "library name")!, version: l.version === undefined ? undefined : stringMatcher(kind, [l.version], "library version")! }));
  let minSeverity: SeverityNumber | undefined;
  if (p.log_severity) {
    minSeverity = parseSeverity(p.log_severity.min);
    if (minSeverity === undefined) throw new Error(`${where}: log_severity: "${p.log_severity.min}" is not a valid severity`);
  }
  const matchUndefined = p.log_severity?.match_undefined ?? false;
  const anything =
    services || spanNames || spanKinds || logBodies || severityTexts || metricNames || attrs.length || resources.length || libraries.length || p.log_severity;
  if (!anything) throw new Error(`${where}: at least one property must be specified to match ${signal === "traces" ? "spans" : signal}`);

  return (s) => {
    if (services) {
      const name = findAttr(s.resource?.attributes ?? [], "service.name");
      if (!services(name ? anyValueString(name.value) : "")) return false;
    }
    if (spanNames && !(s.span && spanNames(s.span.name))) return false;
    if (spanKinds && !(s.span && spanKinds(SPAN_KIND_NAMES.get(s.span.kind) ?? ""))) return false;
    if (logBodies) {
      const b = s.log?.body;
      if (!(b && b.value.case === "stringValue" && logBodies(b.value.value))) return false;
    }
    if (severityTexts && !(s.log && severityTexts(s.log.severityText))) return false;
    if (minSeverity !== undefined) {
      const n = s.log?.severityNumber ?? SeverityNumber.UNSPECIFIED;
      if (n === SeverityNumber.UNSPECIFIED ? !matchUndefined : n < minSeverity) return false;
    }
    if (metricNames && !(s.metricName !== undefined && metricNames(s.metricName))) return false;
    if (libraries.length > 0 && !libraries.some((l) => l.name(s.scope?.name ?? "") && (!l.version || l.version(s.scope?.version ?? "")))) return false;
    if (resources.length > 0 && !attrsMatch(resources, s.resource?.attributes ?? [])) return false;
    if (attrs.length > 0 && !attrsMatch(attrs, s.attributes)) return false;
    return true;
  };
}

/** include then exclude, as the Collector's skip logic: true means the item is left alone. */
export function skipper(include: Matcher | undefined, exclude: Matcher | undefined): (s: MatchSubject) => boolean {
  return (s) => (include !== undefined && !include(s)) || (exclude !== undefined && exclude(s));
}
