// Metric metadata (type, help, unit) as the exposition formats declare it and remote
// write carries it. Type names are the exposition-format spellings.

export type MetricType =
  | "counter"
  | "gauge"
  | "histogram"
  | "gaugehistogram"
  | "summary"
  | "info"
  | "stateset"
  | "unknown";

export const METRIC_TYPES: readonly MetricType[] = [
  "counter",
  "gauge",
  "histogram",
  "gaugehistogram",
  "summary",
  "info",
  "stateset",
  "unknown",
];

export interface Metadata {
  type: MetricType;
  help: string;
  unit: string;
}

export function isMetricType(s: string): s is MetricType {
  return (METRIC_TYPES as readonly string[]).includes(s);
}
