// `alloy convert --source-format=static`: Grafana Agent static mode. Only the metrics section
// and logs sections are converted (through the prometheus and promtail converters); integrations, traces
// and server settings are not.

import { Block, renderFile, validateNodes } from "../builder.ts";
import { Diagnostics, Severity } from "../diagnostics.ts";
import { loadYaml } from "../common/yaml_parse.ts";
import { isMap, list, map, str, type YamlMap } from "../common/yaml_values.ts";
import { appendPrometheus } from "../prometheus/convert.ts";
import { appendPromtail } from "../promtail/convert.ts";
import { sanitizeIdentifier } from "../../syntax/scanner.ts";

/** `${VAR}`, `${VAR:=default}` and `$VAR` expansion as the Agent's -config.expand-env does. */
export function expandEnv(text: string, env: Record<string, string | undefined> = process.env): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name, dflt, bare) => {
    const key = (name ?? bare) as string;
    const value = env[key];
    if (value !== undefined && value !== "") return value;
    return (dflt as string | undefined) ?? "";
  });
}

export function convertStatic(input: string, extraArgs: readonly string[]): { output?: string; diags: Diagnostics } {
  const diags = new Diagnostics();
  const text = extraArgs.includes("-config.expand-env") ? expandEnv(input) : input;
  const loaded = loadYaml(text);
  if (!loaded.ok) {
    diags.add(Severity.Critical, `failed to parse Static config: ${loaded.error}`);
    return { diags };
  }
  const cfg = loaded.value;
  const metrics = map(cfg.metrics);
  const configs = list(metrics.configs);
  for (const [i, c] of configs.entries()) {
    if (!str(map(c).name)) {
      diags.add(Severity.Critical, `failed to parse Static config: error in config file: error validating instance at index ${i}: missing instance name`);
      return { diags };
    }
  }
  const blocks: Block[] = [];
  for (const raw of configs) {
    const instance = map(raw);
    const name = str(instance.name) ?? "";
    const prom: YamlMap = {
      global: map(metrics.global),
      scrape_configs: instance.scrape_configs,
      remote_write: isMap(instance) && Array.isArray(instance.remote_write) ? instance.remote_write : list(map(metrics.global).remote_write),
    };
    const pb = appendPrometheus(prom, diags, {
      jobLabel: (job) => sanitizeIdentifier(job !== "" ? `metrics_${name}_${job}` : `metrics_${name}`),
    });
    blocks.push(...pb.discovery, ...pb.discoveryRelabel, ...pb.scrape, ...pb.relabel, ...pb.remoteWrite);
  }
  const logs = map(cfg.logs);
  for (const raw of list(logs.configs)) {
    const lc = map(raw);
    const name = str(lc.name) ?? "";
    // The Agent builds a Promtail config per logs instance, with its own server and tracing switched off.
    const promtail: YamlMap = {
      clients: lc.clients,
      positions: isMap(lc.positions) ? lc.positions : { filename: `${str(logs.positions_directory) ?? ""}/${name}.yml` },
      scrape_configs: lc.scrape_configs,
      target_config: lc.target_config,
      limits_config: lc.limits_config,
      global: logs.global,
      tracing: { enabled: false },
      server: { register_instrumentation: false },
    };
    blocks.push(...appendPromtail(promtail, `logs_${name}`, diags));
  }
  diags.add(Severity.Warning, "Please review your agent command line flags and ensure they are set in your Alloy config file where necessary.");
  validateNodes(blocks, diags);
  if (diags.has(Severity.Critical)) return { diags };
  const output = renderFile(blocks, diags);
  return output === undefined ? { diags } : { output, diags };
}
