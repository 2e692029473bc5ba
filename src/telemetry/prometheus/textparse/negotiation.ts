// Content negotiation of scrapes, as Prometheus does it: the Accept header built
// from the scrape_protocols list (weights in list order, escaping scheme on the
// formats that support it, `*/*` last), and the choice of parser from the response's
// Content-Type with scrape_fallback_protocol when it is missing or unknown.

import type { StringInterner } from "../labels.ts";
import { NhcbParser } from "./nhcb.ts";
import { OpenMetricsParser } from "./openmetrics.ts";
import type { ExpositionParser } from "./parser.ts";
import { PromTextParser } from "./promtext.ts";
import { ProtobufParser } from "./protobuf.ts";

export type ScrapeProtocol =
  | "PrometheusProto"
  | "PrometheusText0.0.4"
  | "PrometheusText1.0.0"
  | "OpenMetricsText0.0.1"
  | "OpenMetricsText1.0.0";

export const SCRAPE_PROTOCOL_HEADERS: Readonly<Record<ScrapeProtocol, string>> = {
  PrometheusProto: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
  "PrometheusText0.0.4": "text/plain;version=0.0.4",
  "PrometheusText1.0.0": "text/plain;version=1.0.0",
  "OpenMetricsText0.0.1": "application/openmetrics-text;version=0.0.1",
  "OpenMetricsText1.0.0": "application/openmetrics-text;version=1.0.0",
};

/** Alloy's default scrape_protocols. */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  "OpenMetricsText1.0.0",
  "OpenMetricsText0.0.1",
  "PrometheusText1.0.0",
  "PrometheusText0.0.4",
];

/** metric_name_escaping_scheme values, as sent in the `escaping` parameter. */
export type EscapingScheme = "allow-utf-8" | "underscores" | "dots" | "values";

export function isScrapeProtocol(s: string): s is ScrapeProtocol {
  return Object.hasOwn(SCRAPE_PROTOCOL_HEADERS, s);
}

/** Prometheus's validation message for an unknown protocol, or undefined when valid. */
export function validateScrapeProtocol(s: string): string | undefined {
  if (isScrapeProtocol(s)) return undefined;
  return `unknown scrape protocol ${s}, supported: [${Object.keys(SCRAPE_PROTOCOL_HEADERS).sort().join(" ")}]`;
}

/** The Accept header Prometheus sends for `protocols`. */
export function acceptHeader(protocols: readonly ScrapeProtocol[], escaping: EscapingScheme = "underscores"): string {
  const vals: string[] = [];
  let weight = Object.keys(SCRAPE_PROTOCOL_HEADERS).length + 1;
  for (const p of protocols) {
    let v = SCRAPE_PROTOCOL_HEADERS[p];
    if (p === "PrometheusText1.0.0" || p === "OpenMetricsText1.0.0") v += `;escaping=${escaping}`;
    vals.push(`${v};q=0.${weight}`);
    weight--;
  }
  vals.push(`*/*;q=0.${weight}`);
  return vals.join(",");
}

/** Accept-Encoding of scrapes (enable_compression). */
export function acceptEncodingHeader(enableCompression: boolean): string {
  return enableCompression ? "gzip" : "identity";
}

/** The media type of a protocol (`text/plain` for PrometheusText0.0.4). */
export function protocolMediaType(p: ScrapeProtocol): string {
  return SCRAPE_PROTOCOL_HEADERS[p].split(";")[0]!;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses a Content-Type as Go's mime.ParseMediaType (lower-cased type; parameters validated). */
export function parseMediaType(ct: string): { mediaType: string; params: Record<string, string> } | string {
  const parts = ct.split(";");
  const mt = parts[0]!.trim().toLowerCase();
  const slash = mt.indexOf("/");
  if (mt === "") return "mime: no media type";
  if (slash <= 0 || slash === mt.length - 1 || !TOKEN.test(mt.slice(0, slash)) || !TOKEN.test(mt.slice(slash + 1))) {
    return "mime: expected slash after first token";
  }
  const params: Record<string, string> = {};
  for (const raw of parts.slice(1)) {
    const p = raw.trim();
    if (p === "") continue;
    const eq = p.indexOf("=");
    if (eq <= 0) return "mime: invalid media parameter";
    const k = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    else if (!TOKEN.test(v)) return "mime: invalid media parameter";
    if (!TOKEN.test(k)) return "mime: invalid media parameter";
    params[k] = v;
  }
  return { mediaType: mt, params };
}

export type ExpositionFormat = "application/openmetrics-text" | "application/vnd.google.protobuf" | "text/plain";

/**
 * The format to parse a response with. `warning` is set when the fallback was used
 * (Prometheus logs it); `error` when the scrape must fail.
 */
export function chooseFormat(
  contentType: string | null,
  fallback: ScrapeProtocol | undefined,
): { format?: ExpositionFormat; warning?: string; error?: string } {
  const fb = fallback === undefined ? undefined : (protocolMediaType(fallback) as ExpositionFormat);
  if (contentType === null || contentType === "") {
    if (fb === undefined) return { error: "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target" };
    return { format: fb, warning: `non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol ${JSON.stringify(fb)}` };
  }
  const parsed = parseMediaType(contentType);
  if (typeof parsed === "string") {
    if (fb === undefined) return { error: `cannot parse Content-Type ${JSON.stringify(contentType)} and no fallback_scrape_protocol for target: ${parsed}` };
    return { format: fb, warning: `could not parse received Content-Type ${JSON.stringify(contentType)}, using fallback_scrape_protocol ${JSON.stringify(fb)}: ${parsed}` };
  }
  switch (parsed.mediaType) {
    case "application/openmetrics-text":
    case "application/vnd.google.protobuf":
    case "text/plain":
      return { format: parsed.mediaType };
  }
  if (fb === undefined) {
    return { error: `received unsupported Content-Type ${JSON.stringify(contentType)} and no fallback_scrape_protocol specified for target` };
  }
  return { format: fb, warning: `received unsupported Content-Type ${JSON.stringify(contentType)}, using fallback_scrape_protocol ${JSON.stringify(fb)}` };
}

export interface NewParserOptions {
  interner?: StringInterner;
  /** OpenMetrics: skip `_created` series (created timestamps come from createdTimestamp()). */
  skipCreatedSeries?: boolean;
  ignoreNativeHistograms?: boolean;
  keepClassicHistograms?: boolean;
  /** enable_type_and_unit_labels: `__type__`/`__unit__` labels from the metadata. */
  typeAndUnitLabels?: boolean;
  /** convert_classic_histograms_to_nhcb: wrap the parser in an NhcbParser. */
  convertClassicHistogramsToNhcb?: boolean;
}

const utf8 = new TextDecoder("utf-8");

/** A parser for a scrape response body in `format`. */
export function newParser(body: Uint8Array, format: ExpositionFormat, opts: NewParserOptions = {}): ExpositionParser {
  let p: ExpositionParser;
  switch (format) {
    case "application/vnd.google.protobuf":
      p = new ProtobufParser(body, opts);
      break;
    case "application/openmetrics-text":
      p = new OpenMetricsParser(utf8.decode(body), opts);
      break;
    case "text/plain":
      p = new PromTextParser(utf8.decode(body), opts);
      break;
  }
  if (!opts.convertClassicHistogramsToNhcb) return p;
  return new NhcbParser(p, { keepClassicHistograms: opts.keepClassicHistograms, parseCreatedTimestamps: opts.skipCreatedSeries });
}
