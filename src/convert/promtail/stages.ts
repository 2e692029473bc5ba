// Promtail pipeline_stages → `stage.*` blocks of loki.process.

import { Block, objSorted, type AlloyValue } from "../builder.ts";
import { Diagnostics, Severity } from "../diagnostics.ts";
import { goDuration, isMap, list, map, str, strList, type YamlMap } from "../common/yaml_values.ts";
import { formatDurationNanos, parseDurationNanos } from "../../syntax/duration.ts";

const n = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/** A string map; absent values become `nullAs` (the labels stage keeps null, structured_metadata writes ""). */
function strMap(v: unknown, nullAs: string | null = ""): AlloyValue | undefined {
  if (!isMap(v)) return undefined;
  const rec: Record<string, AlloyValue> = {};
  for (const [k, x] of Object.entries(v)) rec[k] = x === null || x === undefined ? nullAs : String(x);
  return objSorted(rec);
}

/** Go time.ParseDuration semantics for stage durations. */
function goParseDuration(s: string): string | Error {
  try {
    return formatDurationNanos(parseDurationNanos(s));
  } catch {
    return new Error(`time: invalid duration ${JSON.stringify(s)}`);
  }
}

/** Loki flagext.ByteSize parsing: decimal and binary suffixes both mean powers of 1024. */
export function parseByteSize(s: string): number | Error {
  const up = s.toUpperCase();
  const m = /^([0-9]+(?:\.[0-9]+)?)([KMGTPE]?)(I?B)?$/.exec(up);
  if (m && !(m[2] === "" && m[3] === "IB")) {
    const pow = " KMGTPE".indexOf(m[2] || " ");
    return Math.floor(Number(m[1]) * 1024 ** Math.max(pow, 0));
  }
  return new Error(`strconv.UnmarshalText: parsing ${JSON.stringify(up)}: invalid syntax`);
}

/** units.Base2Bytes String: the largest binary unit that divides evenly. */
export function base2Bytes(bytes: number): string {
  const units: [string, number][] = [["TiB", 2 ** 40], ["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 1024]];
  let out = "";
  let rest = bytes;
  for (const [u, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${u}`;
      rest %= size;
    }
  }
  if (rest > 0 || out === "") out += `${rest}B`;
  return out;
}

function goValue(v: unknown): string {
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(" ")}]`;
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  return String(v);
}

function drop(b: Block, c: YamlMap, diags: Diagnostics): boolean {
  let source = "";
  if (c.source !== undefined && c.source !== null) {
    if (Array.isArray(c.source)) {
      const parts: string[] = [];
      for (const [i, v] of c.source.entries()) {
        if (typeof v !== "string") {
          diags.add(Severity.Error, `invalid pipeline_stages.drop.source[${i}] field type '${goType(v)}': ${goValue(v)}`);
          return false;
        }
        parts.push(v);
      }
      source = parts.join(",");
    } else if (typeof c.source === "string") source = c.source;
    else {
      diags.add(Severity.Error, `invalid pipeline_stages.drop.source field type '${goType(c.source)}': ${goValue(c.source)}`);
      return false;
    }
  }
  let olderThan: string | undefined;
  if (c.older_than !== undefined) {
    const d = goParseDuration(String(c.older_than));
    if (d instanceof Error) {
      diags.add(Severity.Error, `invalid pipeline_stages.drop.older_than field: ${d.message}`);
      return false;
    }
    olderThan = d;
  }
  let longerThan: string | undefined;
  if (c.longer_than !== undefined) {
    const bytes = parseByteSize(String(c.longer_than));
    if (bytes instanceof Error) {
      diags.add(Severity.Error, `invalid pipeline_stages.drop.longer_than field: ${bytes.message}`);
      return false;
    }
    longerThan = base2Bytes(bytes);
  }
  const s = b.child("stage.drop");
  s.opt("drop_counter_reason", str(c.drop_counter_reason), "drop_stage");
  s.opt("source", source, "");
  s.opt("value", str(c.value), "");
  s.opt("separator", str(c.separator), "");
  s.opt("expression", str(c.expression), "");
  s.opt("older_than", olderThan, "0s");
  s.opt("longer_than", longerThan, "0B");
  return true;
}

function goType(v: unknown): string {
  if (isMap(v)) return "map[interface {}]interface {}";
  if (Array.isArray(v)) return "[]interface {}";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  if (typeof v === "boolean") return "bool";
  return "string";
}

function metrics(b: Block, c: YamlMap): void {
  const s = b.child("stage.metrics");
  for (const name of Object.keys(c)) {
    const m = map(c[name]);
    const cfg = map(m.config);
    const type = str(m.type)?.toLowerCase() ?? "counter";
    const mb = s.child(`metric.${type}`);
    mb.attr("name", name);
    mb.opt("description", str(m.description), "");
    mb.opt("source", str(m.source), "");
    mb.opt("prefix", str(m.prefix), "");
    mb.attr("max_idle_duration", goDuration(m.max_idle_duration) ?? "0s");
    mb.opt("value", str(cfg.value), "");
    if (type === "histogram") mb.opt("buckets", Array.isArray(cfg.buckets) ? cfg.buckets.map(Number) : undefined);
    else mb.opt("action", str(cfg.action), "");
    mb.opt("match_all", bool(cfg.match_all), false);
    mb.opt("count_entry_bytes", bool(cfg.count_entry_bytes), false);
  }
}

function match(b: Block, c: YamlMap, diags: Diagnostics): void {
  const s = b.child("stage.match");
  s.opt("selector", str(c.selector), "");
  for (const st of list(c.stages)) appendStage(s, st, diags);
  s.opt("action", str(c.action), "keep");
  s.opt("pipeline_name", str(c.pipeline_name), "");
  s.opt("drop_counter_reason", str(c.drop_counter_reason), "match_stage");
}

/** Appends one stage; returns false (with a diagnostic) when it cannot be converted. */
export function appendStage(b: Block, st: unknown, diags: Diagnostics): boolean {
  if (!isMap(st)) {
    diags.add(Severity.Critical, `invalid input YAML config, make sure each stage of your pipeline is a YAML object (must end with a \`:\`), check stage \`- ${String(st)}\``);
    return false;
  }
  const keys = Object.keys(st);
  if (keys.length !== 1) {
    diags.add(Severity.Critical, `each pipeline stage must contain exactly one key, got: map[${keys.join(" ")}]`);
    return false;
  }
  const name = keys[0]!;
  const raw = st[name];
  const c = map(raw);
  switch (name) {
    case "json": {
      const s = b.child("stage.json");
      s.opt("expressions", strMap(c.expressions));
      s.opt("source", str(c.source), "");
      s.opt("drop_malformed", bool(c.drop_malformed), false);
      return true;
    }
    case "logfmt":
      b.child("stage.logfmt").opt("mapping", strMap(c.mapping)).opt("source", str(c.source), "");
      return true;
    case "regex":
      b.child("stage.regex").opt("expression", str(c.expression), "").opt("source", str(c.source), "");
      return true;
    case "replace":
      b.child("stage.replace").opt("expression", str(c.expression), "").opt("source", str(c.source), "").opt("replace", str(c.replace), "");
      return true;
    case "metrics":
      metrics(b, c);
      return true;
    case "labels":
      b.child("stage.labels").opt("values", strMap(raw, null));
      return true;
    case "structured_metadata":
      b.child("stage.structured_metadata").opt("values", strMap(raw));
      return true;
    case "static_labels":
      b.child("stage.static_labels").opt("values", strMap(raw));
      return true;
    case "labeldrop":
      b.child("stage.label_drop").opt("values", strList(raw));
      return true;
    case "labelallow":
      b.child("stage.label_keep").opt("values", strList(raw));
      return true;
    case "timestamp": {
      const s = b.child("stage.timestamp");
      s.opt("source", str(c.source), "");
      s.opt("format", str(c.format), "");
      s.opt("fallback_formats", strList(c.fallback_formats));
      s.opt("location", str(c.location), "");
      s.opt("action_on_failure", str(c.action_on_failure), "");
      return true;
    }
    case "output":
      b.child("stage.output").opt("source", str(c.source), "");
      return true;
    case "docker":
      b.child("stage.docker");
      return true;
    case "cri": {
      const s = b.child("stage.cri");
      s.opt("max_partial_lines", n(c.max_partial_lines), 100);
      s.opt("max_partial_line_size", n(c.max_partial_line_size), 0);
      s.opt("max_partial_line_size_truncate", bool(c.max_partial_line_size_truncate), false);
      return true;
    }
    case "match":
      match(b, c, diags);
      return true;
    case "template":
      b.child("stage.template").opt("source", str(c.source), "").opt("template", str(c.template), "");
      return true;
    case "tenant":
      b.child("stage.tenant").opt("label", str(c.label), "").opt("source", str(c.source), "").opt("value", str(c.value), "");
      return true;
    case "drop":
      return drop(b, c, diags);
    case "sampling": {
      const s = b.child("stage.sampling");
      s.opt("drop_counter_reason", str(c.drop_counter_reason), "sampling_stage");
      s.attr("rate", n(c.rate) ?? 0);
      return true;
    }
    case "limit": {
      const s = b.child("stage.limit");
      s.opt("rate", n(c.rate), 0);
      s.opt("burst", n(c.burst), 0);
      s.opt("drop", bool(c.drop), false);
      s.opt("by_label_name", str(c.by_label_name), "");
      s.opt("max_distinct_labels", n(c.max_distinct_labels), 0);
      return true;
    }
    case "multiline": {
      let wait: string | undefined;
      if (c.max_wait_time !== undefined) {
        const d = goParseDuration(String(c.max_wait_time));
        if (d instanceof Error) diags.add(Severity.Error, `invalid pipeline_stages.multiline.max_wait_time: ${String(c.max_wait_time)}`);
        else wait = d;
      }
      const s = b.child("stage.multiline");
      s.opt("firstline", str(c.firstline), "");
      s.opt("max_lines", n(c.max_lines), 128);
      s.opt("max_wait_time", wait, "3s");
      return true;
    }
    case "pack": {
      const s = b.child("stage.pack");
      s.opt("labels", strList(c.labels));
      s.opt("ingest_timestamp", c.ingest_timestamp === false ? false : undefined);
      return true;
    }
    case "decolorize":
      b.child("stage.decolorize");
      return true;
    case "geoip": {
      const s = b.child("stage.geoip");
      s.opt("db", str(c.db), "");
      s.opt("source", str(c.source), "");
      s.opt("db_type", str(c.db_type), "");
      return true;
    }
    case "eventlogmessage": {
      const s = b.child("stage.eventlogmessage");
      s.opt("source", str(c.source), "message");
      s.opt("drop_invalid_labels", bool(c.drop_invalid_labels), false);
      s.opt("overwrite_existing", bool(c.overwrite_existing), false);
      return true;
    }
  }
  diags.add(Severity.Error, `The converter does not support converting the provided pipeline stage: ${goValue(st)}`);
  return false;
}

/** Promtail's global limits_config as stages prepended to every pipeline. */
export function limitsStages(limits: YamlMap): ((b: Block) => void)[] {
  const out: ((b: Block) => void)[] = [];
  if (limits.readline_rate_enabled === true) {
    out.push((b) => {
      const s = b.child("stage.limit");
      s.opt("rate", n(limits.readline_rate) ?? 10000, 0);
      s.opt("burst", n(limits.readline_burst) ?? 10000, 0);
      s.opt("drop", bool(limits.readline_rate_drop) ?? true, false);
    });
  }
  const size = limits.max_line_size === undefined ? 0 : parseByteSize(String(limits.max_line_size));
  if (typeof size === "number" && size > 0) {
    const limit = base2Bytes(size);
    if (limits.max_line_size_truncate === true) out.push((b) => void b.child("stage.truncate").child("rule").attr("limit", limit));
    else out.push((b) => void b.child("stage.drop").attr("longer_than", limit));
  }
  return out;
}
