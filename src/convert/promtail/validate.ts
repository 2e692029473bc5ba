// Promtail settings Alloy cannot carry over, reported as Alloy's converter does.

import { Diagnostics, Severity } from "../diagnostics.ts";
import { list, map, str, type YamlMap } from "../common/yaml_values.ts";

export function validateTopLevel(cfg: YamlMap, diags: Diagnostics): void {
  if (map(cfg.wal).enabled === true) diags.add(Severity.Error, "Promtail's WAL is currently not supported in Alloy");
  const limits = map(cfg.limits_config);
  if (limits.readline_rate_enabled === true) {
    diags.add(
      Severity.Warning,
      "limits_config rate limiting settings (readline_rate, readline_burst, readline_rate_drop) have been converted to stage.limit stages in each loki.process component. Unlike Promtail's global rate limiter, these limits apply independently per pipeline rather than across all pipelines combined.",
    );
  }
  if (map(cfg.tracing).enabled !== false) {
    diags.add(
      Severity.Warning,
      "If you have a tracing set up for Promtail, it cannot be migrated to Alloy automatically. Refer to the documentation on how to configure tracing in Alloy.",
    );
  }
  if (map(cfg.target_config).stdin === true) diags.add(Severity.Error, "reading targets from stdin is not supported in Alloy configuration file");
  const server = map(cfg.server);
  if (server.profiling_enabled === true) {
    diags.add(Severity.Warning, "server.profiling_enabled is not supported - use Alloy's main HTTP server's profiling endpoints instead");
  }
  if (server.register_instrumentation !== false) {
    diags.add(
      Severity.Warning,
      "Alloy's metrics are different from the metrics emitted by Promtail. If you rely on Promtail's metrics, you must change your configuration, for example, your alerts and dashboards.",
    );
  }
  if (server.log_level !== undefined && str(server.log_level) !== "info") {
    diags.add(
      Severity.Warning,
      "The converter does not support converting the provided server.log_level config: The equivalent feature in Alloy is to use the logging config block to set the level argument.",
    );
  }
  if (str(server.http_path_prefix)) diags.add(Severity.Error, "server.http_path_prefix is not supported");
  if (server.health_check_target === false) diags.add(Severity.Warning, "server.health_check_target disabling is not supported in Alloy");
}

/** Prometheus' azure SD rejects unknown authentication methods while unmarshalling. */
export function azureAuthError(cfg: YamlMap): string | undefined {
  for (const sc of list(cfg.scrape_configs)) {
    for (const az of list(map(sc).azure_sd_configs)) {
      const method = str(map(az).authentication_method);
      if (method !== undefined && !["OAuth", "ManagedIdentity", "SDK", "WorkloadIdentity"].includes(method)) {
        return `unknown authentication_type ${JSON.stringify(method)}. Supported types are "OAuth", "ManagedIdentity", "SDK" or "WorkloadIdentity"`;
      }
    }
  }
  return undefined;
}
