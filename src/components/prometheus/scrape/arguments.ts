// prometheus.scrape arguments: every documented attribute with Alloy's defaults,
// the HTTP client fields squashed in, and Alloy's validation (with the
// scrape_protocols rewrites that enable_protobuf_negotiation and
// scrape_native_histograms imply).

import * as schema from "../../../syntax/schema/index.ts";
import { formatDuration } from "../../../syntax/duration.ts";
import { METRICS_RECEIVER_TYPE, type MetricsReceiver } from "../../../telemetry/prometheus/appendable.ts";
import {
  DEFAULT_SCRAPE_PROTOCOLS,
  validateScrapeProtocol,
  type EscapingScheme,
  type ScrapeProtocol,
} from "../../../telemetry/prometheus/textparse/negotiation.ts";
import { httpClientFields, validateHTTPClientConfig } from "../../common/http_client/config.ts";
import { byteSize } from "../../common/byte_size.ts";
import { pickSchema } from "./histogram_limits.ts";

const ClusteringBlock = schema.block({ enabled: schema.attr(schema.bool) });

/** Proto first, as Prometheus's DefaultProtoFirstScrapeProtocols. */
const PROTO_FIRST_PROTOCOLS: readonly ScrapeProtocol[] = [
  "PrometheusProto",
  "OpenMetricsText1.0.0",
  "OpenMetricsText0.0.1",
  "PrometheusText1.0.0",
  "PrometheusText0.0.4",
];

const argumentFields = {
    targets: schema.attr(schema.targets),
    forward_to: schema.attr(schema.list(schema.capsule<MetricsReceiver>(METRICS_RECEIVER_TYPE))),
    job_name: schema.attr(schema.string, { default: "" }),
    honor_labels: schema.attr(schema.bool, { default: false }),
    honor_timestamps: schema.attr(schema.bool, { default: true }),
    track_timestamps_staleness: schema.attr(schema.bool, { default: false }),
    params: schema.attr(schema.map(schema.list(schema.string)), { default: {} }),
    scrape_classic_histograms: schema.attr(schema.bool, { default: false }),
    scrape_native_histograms: schema.attr(schema.bool, { default: false }),
    scrape_failure_log_file: schema.attr(schema.string, { default: "" }),
    scrape_interval: schema.attr(schema.duration, { default: "1m" }),
    scrape_timeout: schema.attr(schema.duration, { default: "10s" }),
    scrape_protocols: schema.attr(schema.list(schema.string), { default: () => [...DEFAULT_SCRAPE_PROTOCOLS] }),
    scrape_fallback_protocol: schema.attr(schema.string, { default: "PrometheusText0.0.4" }),
    metrics_path: schema.attr(schema.string, { default: "/metrics" }),
    scheme: schema.attr(schema.string, { default: "http" }),
    body_size_limit: schema.attr(byteSize, { default: 0 }),
    sample_limit: schema.attr(schema.uint, { default: 0 }),
    target_limit: schema.attr(schema.uint, { default: 0 }),
    label_limit: schema.attr(schema.uint, { default: 0 }),
    label_name_length_limit: schema.attr(schema.uint, { default: 0 }),
    label_value_length_limit: schema.attr(schema.uint, { default: 0 }),
    extra_metrics: schema.attr(schema.bool, { default: false }),
    enable_protobuf_negotiation: schema.attr(schema.bool, { default: false }),
    metric_name_validation_scheme: schema.attr(schema.string, { default: "legacy" }),
    metric_name_escaping_scheme: schema.attr(schema.string, { default: "" }),
    convert_classic_histograms_to_nhcb: schema.attr(schema.bool, { default: false }),
    start_timestamp_zero_ingestion: schema.attr(schema.bool, { default: false }),
    enable_compression: schema.attr(schema.bool, { default: true }),
    enable_type_and_unit_labels: schema.attr(schema.bool, { default: false }),
    native_histogram_bucket_limit: schema.attr(schema.uint, { default: 0 }),
    native_histogram_min_bucket_factor: schema.attr(schema.number, { default: 0 }),
    honor_metadata: schema.attr(schema.bool, { default: false }),
    ...httpClientFields,
    clustering: schema.block(ClusteringBlock, { optional: true }),
};

export type Arguments = schema.InferFields<typeof argumentFields>;
export const Arguments = schema.block(argumentFields, { validate: (a) => validateArguments(a) });

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Alloy's Arguments.Validate: messages as Alloy's. */
export function validateArguments(a: Arguments): string | undefined {
  if (a.scrape_timeout > a.scrape_interval) {
    return `scrape_timeout (${formatDuration(a.scrape_timeout)}) greater than scrape_interval (${formatDuration(a.scrape_interval)}) for scrape config with job name ${JSON.stringify(a.job_name)}`;
  }
  let protocols: readonly string[] = a.scrape_protocols;
  let native = a.scrape_native_histograms;
  if (a.enable_protobuf_negotiation) {
    if (!sameList(protocols, DEFAULT_SCRAPE_PROTOCOLS)) {
      return "both enable_protobuf_negotiation and scrape_protocols are set, only one can be set at a time";
    }
    protocols = PROTO_FIRST_PROTOCOLS;
    native = true;
  }
  if (native) {
    if (sameList(protocols, DEFAULT_SCRAPE_PROTOCOLS)) protocols = PROTO_FIRST_PROTOCOLS;
    if (!protocols.includes("PrometheusProto")) return "scrape_native_histograms is set to true, but PrometheusProto is not in scrape_protocols";
  }
  const seen = new Set<string>();
  for (const p of protocols) {
    if (seen.has(p)) return `duplicate scrape protocol ${JSON.stringify(p)}: make sure the scrape protocols provided are unique`;
    const err = validateScrapeProtocol(p);
    if (err) return `invalid scrape protocol ${JSON.stringify(p)}: ${err}`;
    seen.add(p);
  }
  if (a.scrape_fallback_protocol !== "") {
    const err = validateScrapeProtocol(a.scrape_fallback_protocol);
    if (err) return `invalid scrape_fallback_protocol ${JSON.stringify(a.scrape_fallback_protocol)}: ${err}`;
  }
  const validation = a.metric_name_validation_scheme;
  if (validation !== "utf8" && validation !== "legacy") {
    return `invalid metric_name_validation_scheme ${JSON.stringify(validation)}: must be either "utf8" or "legacy"`;
  }
  const escaping = a.metric_name_escaping_scheme;
  if (escaping !== "" && !["allow-utf-8", "underscores", "dots", "values"].includes(escaping)) {
    return `invalid metric_name_escaping_scheme: ${JSON.stringify(escaping)}, supported values: [allow-utf-8 underscores dots values]`;
  }
  if (escaping === "allow-utf-8" && validation !== "utf8") {
    return "metric_name_escaping_scheme cannot be set to 'allow-utf-8' while metric_name_validation_scheme is not set to 'utf8'";
  }
  if (a.body_size_limit < 0) return "body_size_limit must not be negative";
  return validateHTTPClientConfig(a);
}

/** The settings a scrape loop runs with, after Alloy's defaulting rules. */
export interface ScrapeConfig {
  jobName: string;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  params: Record<string, string[]>;
  intervalMs: number;
  timeoutMs: number;
  protocols: ScrapeProtocol[];
  fallbackProtocol: ScrapeProtocol | undefined;
  metricsPath: string;
  scheme: string;
  bodySizeLimit: number;
  sampleLimit: number;
  targetLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  extraMetrics: boolean;
  nativeHistograms: boolean;
  classicHistograms: boolean;
  enableCompression: boolean;
  honorMetadata: boolean;
  validation: "legacy" | "utf8";
  escaping: EscapingScheme;
  failureLogFile: string;
  /** start_timestamp_zero_ingestion: a 0 sample at each series' created timestamp. */
  ctZeroIngestion: boolean;
  typeAndUnitLabels: boolean;
  nativeHistogramBucketLimit: number;
  /** The finest schema native histograms keep (from native_histogram_min_bucket_factor). */
  nativeHistogramMaxSchema: number;
  convertClassicToNHCB: boolean;
}

export function scrapeConfig(componentID: string, a: Arguments): ScrapeConfig {
  let protocols = a.scrape_protocols as ScrapeProtocol[];
  let native = a.scrape_native_histograms;
  if (a.enable_protobuf_negotiation) {
    protocols = [...PROTO_FIRST_PROTOCOLS];
    native = true;
  }
  if (native && sameList(protocols, DEFAULT_SCRAPE_PROTOCOLS)) protocols = [...PROTO_FIRST_PROTOCOLS];
  const validation = a.metric_name_validation_scheme === "utf8" ? "utf8" : "legacy";
  const escaping = (a.metric_name_escaping_scheme || (validation === "legacy" ? "underscores" : "allow-utf-8")) as EscapingScheme;
  return {
    jobName: a.job_name !== "" ? a.job_name : componentID,
    honorLabels: a.honor_labels,
    honorTimestamps: a.honor_timestamps,
    trackTimestampsStaleness: a.track_timestamps_staleness,
    params: a.params,
    intervalMs: a.scrape_interval,
    timeoutMs: a.scrape_timeout,
    protocols,
    fallbackProtocol: a.scrape_fallback_protocol === "" ? undefined : (a.scrape_fallback_protocol as ScrapeProtocol),
    metricsPath: a.metrics_path,
    scheme: a.scheme,
    bodySizeLimit: a.body_size_limit,
    sampleLimit: a.sample_limit,
    targetLimit: a.target_limit,
    labelLimit: a.label_limit,
    labelNameLengthLimit: a.label_name_length_limit,
    labelValueLengthLimit: a.label_value_length_limit,
    extraMetrics: a.extra_metrics,
    nativeHistograms: native,
    classicHistograms: a.scrape_classic_histograms,
    enableCompression: a.enable_compression,
    honorMetadata: a.honor_metadata,
    validation,
    escaping,
    failureLogFile: a.scrape_failure_log_file,
    ctZeroIngestion: a.start_timestamp_zero_ingestion,
    typeAndUnitLabels: a.enable_type_and_unit_labels,
    nativeHistogramBucketLimit: a.native_histogram_bucket_limit,
    nativeHistogramMaxSchema: pickSchema(a.native_histogram_min_bucket_factor),
    convertClassicToNHCB: a.convert_classic_histograms_to_nhcb,
  };
}
