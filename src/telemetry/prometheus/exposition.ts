// Writing samples in the Prometheus text exposition format 0.0.4 (what
// prometheus.echo prints and what exporters serve): samples are grouped into metric
// families in order of first appearance, each with its HELP and TYPE lines when the
// batch carries metadata for it. Values are formatted as Go does; staleness markers
// are not exposed.

import type { MetricsBatch } from "./batch.ts";
import type { Labels } from "./labels.ts";
import { METRIC_NAME } from "./labels.ts";
import type { Metadata } from "./metadata.ts";
import { formatGoFloat } from "./textparse/float.ts";

const SUFFIXES = ["_bucket", "_count", "_sum", "_total", "_created", "_info"];

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

const LEGACY_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `name{a="b"}`, quoting names that are not legacy-valid (`{"my.metric",a="b"}`). */
export function formatSeries(labels: Labels): string {
  const name = labels.metricName();
  const parts: string[] = [];
  const quotedName = name !== "" && !LEGACY_NAME.test(name);
  if (quotedName) parts.push(`"${escapeLabelValue(name)}"`);
  labels.forEach((n, v) => {
    if (n === METRIC_NAME) return;
    const ln = LEGACY_LABEL.test(n) ? n : `"${escapeLabelValue(n)}"`;
    parts.push(`${ln}="${escapeLabelValue(v)}"`);
  });
  if (quotedName) return `{${parts.join(",")}}`;
  return parts.length === 0 ? name : `${name}{${parts.join(",")}}`;
}

/** Value formatting of the text format: Go's shortest 'g', +Inf, -Inf, NaN. */
export function formatValue(v: number): string {
  return formatGoFloat(v);
}

/** The text exposition of a batch's float samples. */
export function formatTextExposition(batch: MetricsBatch, opts: { timestamps?: boolean } = {}): string {
  const meta = new Map<string, Metadata>();
  for (const m of batch.metadata) meta.set(m.series.metricName(), m.metadata);
  const familyOf = (name: string): string => {
    if (meta.has(name)) return name;
    for (const s of SUFFIXES) if (name.endsWith(s) && meta.has(name.slice(0, -s.length))) return name.slice(0, -s.length);
    return name;
  };
  const families = new Map<string, string[]>();
  batch.forEachSample((series, t, v, stale) => {
    if (stale) return;
    const fam = familyOf(series.metricName());
    let lines = families.get(fam);
    if (lines === undefined) families.set(fam, (lines = []));
    lines.push(`${formatSeries(series)} ${formatValue(v)}${opts.timestamps ? ` ${t}` : ""}`);
  });
  let out = "";
  for (const [fam, lines] of families) {
    const m = meta.get(fam);
    if (m !== undefined) {
      if (m.help !== "") out += `# HELP ${fam} ${escapeHelp(m.help)}\n`;
      const type = m.type === "unknown" || m.type === "info" || m.type === "stateset" || m.type === "gaugehistogram" ? "untyped" : m.type;
      out += `# TYPE ${fam} ${type}\n`;
    }
    out += `${lines.join("\n")}\n`;
  }
  return out;
}
