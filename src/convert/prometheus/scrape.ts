// A Prometheus scrape_config → `prometheus.scrape`.

import { Block, objSorted, raw, type AlloyValue } from "../builder.ts";
import { Diagnostics, unsupported } from "../diagnostics.ts";
import { appendHttpClient, validateHttpClient } from "../common/http_client.ts";
import { goDuration, isMap, str, strList, type YamlMap } from "../common/yaml_values.ts";
import { targetsExpr, type Target } from "./targets.ts";

const n = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

export function buildScrape(c: YamlMap, global: YamlMap, label: string, targets: Target[], forwardTo: string): Block {
  const b = new Block("prometheus.scrape", label);
  b.attr("targets", targetsExpr(targets));
  b.attr("forward_to", [raw(forwardTo)]);
  b.opt("job_name", str(c.job_name), "");
  b.opt("honor_labels", bool(c.honor_labels), false);
  b.opt("honor_timestamps", bool(c.honor_timestamps), true);
  b.opt("track_timestamps_staleness", bool(c.track_timestamps_staleness), false);
  if (isMap(c.params)) {
    const rec: Record<string, AlloyValue> = {};
    for (const [k, v] of Object.entries(c.params)) rec[k] = strList(v) ?? [];
    b.attr("params", objSorted(rec));
  }
  b.opt("scrape_classic_histograms", bool(c.always_scrape_classic_histograms), false);
  b.opt("scrape_failure_log_file", str(c.scrape_failure_log_file), "");
  b.opt("scrape_interval", goDuration(c.scrape_interval ?? global.scrape_interval), "1m0s");
  b.opt("scrape_timeout", goDuration(c.scrape_timeout ?? global.scrape_timeout), "10s");
  b.opt("scrape_protocols", strList(c.scrape_protocols ?? global.scrape_protocols));
  b.opt("metrics_path", str(c.metrics_path), "/metrics");
  b.opt("scheme", str(c.scheme), "http");
  b.opt("body_size_limit", str(c.body_size_limit), "");
  b.opt("sample_limit", n(c.sample_limit), 0);
  b.opt("target_limit", n(c.target_limit), 0);
  b.opt("label_limit", n(c.label_limit), 0);
  b.opt("label_name_length_limit", n(c.label_name_length_limit), 0);
  b.opt("label_value_length_limit", n(c.label_value_length_limit), 0);
  appendHttpClient(b, c);
  b.opt("convert_classic_histograms_to_nhcb", bool(c.convert_classic_histograms_to_nhcb), false);
  b.opt("enable_compression", bool(c.enable_compression), true);
  b.opt("native_histogram_bucket_limit", n(c.native_histogram_bucket_limit), 0);
  b.opt("native_histogram_min_bucket_factor", n(c.native_histogram_min_bucket_factor), 0);
  return b;
}

export function validateScrape(c: YamlMap, diags: Diagnostics): void {
  if (c.track_timestamps_staleness === true) unsupported(diags, "scrape_configs track_timestamps_staleness");
  if (n(c.native_histogram_bucket_limit)) unsupported(diags, "scrape_configs native_histogram_bucket_limit");
  if (n(c.keep_dropped_targets)) unsupported(diags, "scrape_configs keep_dropped_targets");
  validateHttpClient(c, diags);
}
