// Metric and label names from OpenTelemetry names, as the OpenTelemetry "Prometheus and
// OpenMetrics Compatibility" specification and the Collector's translator build them.

/** Label name: invalid characters become `_`; a leading digit or single `_` gets a `key` prefix. */
export function normalizeLabel(name: string): string {
  if (name === "") return name;
  let s = name.replace(/[^a-zA-Z0-9_]/g, "_");
  if (/^[0-9]/.test(s)) s = "key_" + s;
  else if (s.startsWith("_") && !s.startsWith("__")) s = "key" + s;
  return s;
}

const UNITS: Record<string, string> = {
  d: "days", h: "hours", min: "minutes", s: "seconds", ms: "milliseconds", us: "microseconds", ns: "nanoseconds",
  By: "bytes", KiBy: "kibibytes", MiBy: "mebibytes", GiBy: "gibibytes", TiBy: "tibibytes",
  KBy: "kilobytes", MBy: "megabytes", GBy: "gigabytes", TBy: "terabytes",
  m: "meters", V: "volts", A: "amperes", J: "joules", W: "watts", g: "grams", Cel: "celsius", Hz: "hertz",
  "1": "", "%": "percent",
};
const PER_UNITS: Record<string, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week", mo: "month", y: "year" };

function cleanUnit(u: string): string {
  return u.replace(/[^a-zA-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** Main and per-unit suffix words of a UCUM unit; `{...}` annotations yield none. */
export function unitSuffixes(unit: string): [main: string, per: string] {
  if (unit === "" || /[{}]/.test(unit)) return ["", ""];
  const [mainRaw = "", perRaw] = unit.split("/", 2);
  const mainTrim = mainRaw.trim();
  const main = cleanUnit(UNITS[mainTrim] ?? mainTrim);
  const perTrim = perRaw?.trim() ?? "";
  const per = perRaw === undefined ? "" : cleanUnit(PER_UNITS[perTrim] ?? perTrim);
  return [main, per];
}

export type NameKind = "counter" | "gauge" | "other";

/**
 * The Prometheus metric name of an OTLP metric: name split into words on anything that is
 * not a letter or digit, the unit's words appended unless present, `_total` for monotonic sums
 * and `_ratio` for unit-1 gauges (only with suffixes), a leading digit prefixed with `_`.
 */
export function metricName(name: string, unit: string, kind: NameKind, addSuffixes: boolean): string {
  let tokens = name.split(/[^\p{L}\p{N}:]+/u).filter((t) => t !== "");
  if (addSuffixes) {
    const [main, per] = unitSuffixes(unit);
    if (main !== "" && !tokens.includes(main)) tokens.push(main);
    if (kind === "counter") {
      tokens = tokens.filter((t) => t !== "total");
      tokens.push("total");
    }
    if (unit === "1" && kind === "gauge") {
      tokens = tokens.filter((t) => t !== "ratio");
      tokens.push("ratio");
    }
    if (per !== "" && !tokens.includes(per)) tokens.push("per", per);
  }
  let out = tokens.join("_").replace(/[^a-zA-Z0-9_:]/g, "_");
  if (/^[0-9]/.test(out)) out = "_" + out;
  return out;
}
