// `alloy convert --source-format=prometheus`: a Prometheus config → Alloy components.

import { Block, raw, renderFile, validateNodes } from "../builder.ts";
import { Diagnostics, Severity, goStringSlice, unsupported } from "../diagnostics.ts";
import { labelWithIndex, sanitizeLabel } from "../common/labels.ts";
import { loadYaml } from "../common/yaml_parse.ts";
import { isMap, list, map, str, type YamlMap } from "../common/yaml_values.ts";
import { discoveries, discoveryKeys, validateDiscovery } from "./discovery.ts";
import { appendRules } from "./relabel.ts";
import { buildRemoteWrite } from "./remote_write.ts";
import { buildScrape, validateScrape } from "./scrape.ts";
import { targetsExpr, type Target } from "./targets.ts";

const topLevelKeys = [
  "global", "runtime", "alerting", "rule_files", "scrape_config_files", "scrape_configs", "storage", "tracing",
  "remote_write", "remote_read", "otlp",
];

/** Components generated from a Prometheus config, grouped in the order Alloy writes them. */
export interface PrometheusBlocks {
  discovery: Block[];
  discoveryRelabel: Block[];
  scrape: Block[];
  relabel: Block[];
  remoteWrite: Block[];
}

export function convertPrometheus(input: string, extraArgs: readonly string[]): { output?: string; diags: Diagnostics } {
  const diags = new Diagnostics();
  if (extraArgs.length > 0) {
    diags.add(Severity.Critical, `extra arguments are not supported for the prometheus converter: ${goStringSlice(extraArgs)}`);
    return { diags };
  }
  const loaded = loadYaml(input, topLevelKeys);
  if (!loaded.ok) {
    diags.add(Severity.Critical, `failed to parse Prometheus config: ${loaded.error}`);
    return { diags };
  }
  const blocks = appendPrometheus(loaded.value, diags);
  const all = [...blocks.discovery, ...blocks.discoveryRelabel, ...blocks.scrape, ...blocks.relabel, ...blocks.remoteWrite];
  validateNodes(all, diags);
  if (diags.has(Severity.Critical)) return { diags };
  const output = renderFile(all, diags);
  return output === undefined ? { diags } : { output, diags };
}

export interface NestedOptions {
  /** Maps a job name to a component label (static mode prefixes it). */
  jobLabel?: (job: string) => string;
  /** Receiver expression to forward to; when set no remote_write component is generated. */
  remoteWriteReceiver?: string;
}

export function appendPrometheus(cfg: YamlMap, diags: Diagnostics, opts: NestedOptions = {}): PrometheusBlocks {
  const pb: PrometheusBlocks = { discovery: [], discoveryRelabel: [], scrape: [], relabel: [], remoteWrite: [] };
  const global = map(cfg.global);
  let receiver = opts.remoteWriteReceiver;
  if (receiver === undefined) {
    const prefix = opts.jobLabel ? opts.jobLabel("") : "";
    const rwLabel = prefix !== "" ? sanitizeLabel(prefix) : "default";
    const rws = list(cfg.remote_write);
    if (rws.length > 0) pb.remoteWrite.push(buildRemoteWrite(global, rws, rwLabel));
    receiver = `prometheus.remote_write.${rwLabel}.receiver`;
  }

  for (const rawScrape of list(cfg.scrape_configs)) {
    const sc = map(rawScrape);
    const job = str(sc.job_name) ?? "";
    const label = sanitizeLabel(opts.jobLabel ? opts.jobLabel(job) : job);
    let forward = receiver;
    if (list(sc.metric_relabel_configs).length > 0) {
      const rl = new Block("prometheus.relabel", label).attr("forward_to", [raw(receiver)]);
      appendRules(rl, "rule", sc.metric_relabel_configs);
      pb.relabel.push(rl);
      forward = `prometheus.relabel.${label}.receiver`;
    }

    let targets: Target[] = [];
    const counts = new Map<string, number>();
    for (const key of discoveryKeys(sc)) {
      const entry = discoveries[key];
      if (!entry) continue;
      const [kind, build] = entry;
      for (const c of list(sc[key])) {
        const i = counts.get(kind) ?? 0;
        counts.set(kind, i + 1);
        const sdLabel = labelWithIndex(i, label);
        const b = new Block(`discovery.${kind}`, sdLabel);
        build(b, map(c));
        pb.discovery.push(b);
        targets.push({ expr: `discovery.${kind}.${sdLabel}.targets` });
      }
    }
    targets.push(...staticTargets(sc.static_configs));

    if (list(sc.relabel_configs).length > 0) {
      const dr = new Block("discovery.relabel", label);
      dr.attr("targets", targetsExpr(targets));
      appendRules(dr, "rule", sc.relabel_configs);
      pb.discoveryRelabel.push(dr);
      targets = [{ expr: `discovery.relabel.${label}.output` }];
    }
    pb.scrape.push(buildScrape(sc, global, label, targets, forward));
  }

  validate(cfg, diags);
  scrapeInfo(pb, list(cfg.remote_write), diags);
  return pb;
}

/** One Info per scrape naming the components made for it, then one for remote_write. */
function scrapeInfo(pb: PrometheusBlocks, remoteWrites: unknown[], diags: Diagnostics): void {
  for (const s of pb.scrape) {
    const label = s.label ?? "";
    const job = s.items.find((i) => i.kind === "attr" && i.name === "job_name");
    const jobName = job && job.kind === "attr" && typeof job.value === "string" ? job.value : "";
    const lines = [`\tA ${s.name}.${label} component`];
    for (const b of [...pb.discovery, ...pb.discoveryRelabel, ...pb.relabel]) {
      if ((b.label ?? "").startsWith(label)) lines.push(`\tA ${b.name}.${b.label} component`);
    }
    diags.add(Severity.Info, `Converted scrape_configs job_name ${JSON.stringify(jobName)} into...`, lines.join("\n"));
  }
  for (const rw of pb.remoteWrite) {
    const names = remoteWrites.map((r) => str(map(r).name) ?? "").join(",");
    diags.add(Severity.Info, `Converted ${remoteWrites.length} remote_write[s] ${JSON.stringify(names)} into...`, `\tA prometheus.remote_write.${rw.label} component`);
  }
}


export function staticTargets(staticConfigs: unknown): Target[] {
  const out: Target[] = [];
  for (const sc of list(staticConfigs)) {
    if (!isMap(sc)) continue;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(map(sc.labels))) labels[k] = String(v);
    for (const t of list(sc.targets)) out.push({ labels: { ...labels, __address__: String(t) } });
  }
  return out;
}

function validate(cfg: YamlMap, diags: Diagnostics): void {
  const global = map(cfg.global);
  if (global.evaluation_interval !== undefined && str(global.evaluation_interval) !== "1m") unsupported(diags, "global evaluation_interval");
  if (str(global.query_log_file)) unsupported(diags, "global query_log_file");
  const alerting = map(cfg.alerting);
  if (list(alerting.alertmanagers).length > 0 || list(alerting.alert_relabel_configs).length > 0) unsupported(diags, "alerting");
  if (list(cfg.rule_files).length > 0) unsupported(diags, "rule_files");
  for (const raw of list(cfg.scrape_configs)) {
    const sc = map(raw);
    validateScrape(sc, diags);
    for (const key of discoveryKeys(sc)) for (const c of list(sc[key])) validateDiscovery(key, map(c), diags);
  }
  if (isMap(cfg.storage) && Object.keys(cfg.storage).length > 0) unsupported(diags, "storage");
  if (isMap(cfg.tracing) && Object.keys(cfg.tracing).length > 0) unsupported(diags, "tracing");
  for (const rw of list(cfg.remote_write)) {
    const tls = map(map(rw).tls_config);
    if (str(tls.max_version)) unsupported(diags, "HTTP Client max_version");
  }
  if (list(cfg.remote_read).length > 0) unsupported(diags, "remote_read");
}
