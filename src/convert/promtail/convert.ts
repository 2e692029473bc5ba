// `alloy convert --source-format=promtail`: Promtail scrape configs and clients → Loki components.

import { Block, objSorted, raw, renderFile, validateNodes, type AlloyValue } from "../builder.ts";
import { Diagnostics, Severity, goStringSlice } from "../diagnostics.ts";
import { appendHttpClient, appendTLS } from "../common/http_client.ts";
import { labelForParts, labelWithIndex } from "../common/labels.ts";
import { loadYaml } from "../common/yaml_parse.ts";
import { goDuration, isMap, list, map, str, type YamlMap } from "../common/yaml_values.ts";
import { discoveries, validateDiscovery } from "../prometheus/discovery.ts";
import { appendRules } from "../prometheus/relabel.ts";
import { sanitizeIdentifier } from "../../syntax/scanner.ts";
import { appendLogSources } from "./sources.ts";
import { azureAuthError, validateTopLevel } from "./validate.ts";
import { appendStage, base2Bytes, limitsStages } from "./stages.ts";

const topLevelKeys = [
  "server", "clients", "client", "positions", "scrape_configs", "target_config", "limits_config", "options",
  "tracing", "wal", "global",
];

/** Promtail's discovery keys, in the order its converter visits them (static configs sit before triton). */
const sdOrder = [
  "azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs", "dockerswarm_sd_configs", "dns_sd_configs",
  "ec2_sd_configs", "file_sd_configs", "gce_sd_configs", "kubernetes_sd_configs", "marathon_sd_configs",
  "nerve_sd_configs", "openstack_sd_configs", "serverset_sd_configs", "static_configs", "triton_sd_configs",
];

export function convertPromtail(input: string, extraArgs: readonly string[]): { output?: string; diags: Diagnostics } {
  const diags = new Diagnostics();
  if (extraArgs.length > 0) {
    diags.add(Severity.Critical, `extra arguments are not supported for the promtail converter: ${goStringSlice(extraArgs)}`);
    return { diags };
  }
  const loaded = loadYaml(input, topLevelKeys);
  if (!loaded.ok) {
    diags.add(Severity.Critical, `failed to parse Promtail config: ${loaded.error}`);
    return { diags };
  }
  const authError = azureAuthError(loaded.value);
  if (authError) {
    diags.add(Severity.Critical, `failed to parse Promtail config: ${authError}`);
    return { diags };
  }
  const blocks = appendPromtail(loaded.value, "", diags);
  validateNodes(blocks, diags);
  if (diags.has(Severity.Critical)) return { diags };
  const output = renderFile(blocks, diags);
  return output === undefined ? { diags } : { output, diags };
}

export function appendPromtail(cfg: YamlMap, labelPrefix: string, diags: Diagnostics): Block[] {
  validateTopLevel(cfg, diags);
  const clients = list(cfg.clients);
  if (isMap(cfg.client) && str(cfg.client.url)) clients.push(cfg.client);
  const writes = clients.map((c, i) => lokiWrite(map(c), i, labelPrefix, map(cfg.limits_config)));
  const receivers = writes.map((w) => `loki.write.${w.label}.receiver`);
  const out: Block[] = [];
  for (const sc of list(cfg.scrape_configs)) {
    appendScrape(out, map(sc), labelPrefix, receivers, cfg, diags);
  }
  out.push(...writes);
  return out;
}

function lokiWrite(c: YamlMap, index: number, labelPrefix: string, limits: YamlMap): Block {
  const w = new Block("loki.write", labelWithIndex(index, labelPrefix !== "" ? labelPrefix : "default"));
  const e = w.child("endpoint");
  e.opt("name", str(c.name), "");
  e.attr("url", str(c.url) ?? "");
  e.opt("batch_wait", goDuration(c.batchwait), "1s");
  e.opt("batch_size", typeof c.batchsize === "number" ? base2Bytes(c.batchsize) : undefined, "1MiB");
  e.opt("remote_timeout", goDuration(c.timeout), "10s");
  if (isMap(c.headers)) {
    const rec: Record<string, AlloyValue> = {};
    for (const [k, v] of Object.entries(c.headers)) rec[k] = String(v);
    e.attr("headers", objSorted(rec));
  }
  const backoff = map(c.backoff_config);
  e.opt("min_backoff_period", goDuration(backoff.min_period), "500ms");
  e.opt("max_backoff_period", goDuration(backoff.max_period), "5m0s");
  e.opt("max_backoff_retries", typeof backoff.max_retries === "number" ? backoff.max_retries : undefined, 10);
  e.opt("tenant_id", str(c.tenant_id), "");
  e.opt("retry_on_http_429", c.drop_rate_limited_batches === true ? false : undefined);
  appendHttpClient(e, c);
  const ext: Record<string, AlloyValue> = {};
  for (const [k, v] of Object.entries(map(c.external_labels))) ext[k] = String(v);
  w.attr("external_labels", objSorted(ext));
  w.opt("max_streams", typeof limits.max_streams === "number" ? limits.max_streams : undefined, 0);
  return w;
}

function joinTargets(exprs: string[]): string {
  if (exprs.length === 0) return "[]";
  if (exprs.length === 1) return exprs[0]!;
  return `array.concat(\n${exprs.map((e) => `${e},`).join("\n")}\n)`;
}

function staticLiteral(staticConfigs: unknown[]): string | undefined {
  const targets: Record<string, string>[] = [];
  for (const sc of staticConfigs) {
    const m = map(sc);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(map(m.labels))) labels[k] = String(v);
    const ts = list(m.targets);
    for (const t of ts.length > 0 ? ts : ["localhost"]) targets.push({ ...labels, __address__: String(t) });
  }
  if (targets.length === 0) return undefined;
  const objs = targets.map((t) => {
    const keys = Object.keys(t).sort();
    return `{\n${keys.map((k) => `${k} = ${JSON.stringify(t[k])},\n`).join("")}}`;
  });
  return `[${objs.join(", ")}]`;
}

function appendScrape(out: Block[], sc: YamlMap, prefix: string, writes: string[], cfg: YamlMap, diags: Diagnostics): void {
  let job: string;
  try {
    job = sanitizeIdentifier(str(sc.job_name) ?? "");
  } catch (err) {
    diags.add(Severity.Critical, `failed to sanitize job name: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const label = labelForParts(prefix, job);
  const targets: string[] = [];
  const counts = new Map<string, number>();
  const sdBlocks: Block[] = [];
  for (const key of sdOrder) {
    if (key === "static_configs") {
      const lit = staticLiteral(list(sc.static_configs));
      if (lit) targets.push(lit);
      continue;
    }
    const entry = discoveries[key];
    if (!entry) continue;
    const [kind, build] = entry;
    for (const c of list(sc[key])) {
      const i = counts.get(kind) ?? 0;
      counts.set(kind, i + 1);
      const sdLabel = labelWithIndex(i, label);
      const b = new Block(`discovery.${kind}`, sdLabel);
      const m = map(c);
      build(b, m);
      if (kind === "kubernetes" && str(m.role) === "pod") {
        // Promtail only tails pods on its own node.
        b.child("selectors").attr("role", "pod").attr("field", raw(`"spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)`));
      }
      sdBlocks.push(b);
      targets.push(`discovery.${kind}.${sdLabel}.targets`);
    }
  }
  // Static targets are collected as one literal after the discoveries' exports.
  const lit = targets.find((t) => t.startsWith("["));
  const ordered = lit ? [...targets.filter((t) => t !== lit), lit] : targets;
  out.push(...sdBlocks);
  list(sc.consulagent_sd_configs).forEach((entry, i) => {
    const c = map(entry);
    const agentLabel = labelWithIndex(i, label);
    const b = new Block("discovery.consulagent", agentLabel);
    if (isMap(c.node_meta) && Object.keys(c.node_meta).length > 0) {
      diags.add(Severity.Warning, "node_meta is not used by discovery.consulagent and will be ignored");
    }
    b.opt("server", str(c.server), "localhost:8500");
    b.opt("token", str(c.token), "");
    b.opt("datacenter", str(c.datacenter), "");
    b.opt("tag_separator", str(c.tag_separator), ",");
    b.opt("scheme", str(c.scheme), "http");
    b.opt("username", str(c.username), "");
    b.opt("password", str(c.password), "");
    b.opt("refresh_interval", goDuration(c.refresh_interval), "30s");
    b.opt("services", Array.isArray(c.services) ? c.services.map(String) : undefined);
    b.opt("tags", Array.isArray(c.tags) ? c.tags.map(String) : undefined);
    appendTLS(b, c.tls_config);
    out.push(b);
    ordered.push(`discovery.consulagent.${agentLabel}.targets`);
  });
  for (const key of sdOrder) if (key !== "static_configs") for (const c of list(sc[key])) validateDiscovery(key, map(c), diags);

  let processReceivers: string[] | undefined;
  const processTo = (): string[] => {
    if (processReceivers) return processReceivers;
    const stages = list(sc.pipeline_stages);
    const limits = limitsStages(map(cfg.limits_config));
    if (stages.length === 0 && limits.length === 0) return (processReceivers = writes);
    const p = new Block("loki.process", label).attr("forward_to", writes.map(raw));
    for (const add of limits) add(p);
    for (const st of stages) appendStage(p, st, diags);
    out.push(p);
    return (processReceivers = [`loki.process.${label}.receiver`]);
  };

  // discovery.relabel is made once, on first use, by whichever source needs it.
  let relabeled: { targets: string; rules: string } | undefined;
  const relabel = (): { targets: string; rules: string } => {
    if (relabeled) return relabeled;
    const joined = joinTargets(ordered);
    if (list(sc.relabel_configs).length === 0) return (relabeled = { targets: joined, rules: "null" });
    const dr = new Block("discovery.relabel", label).attr("targets", raw(joined));
    appendRules(dr, "rule", sc.relabel_configs);
    out.push(dr);
    return (relabeled = { targets: `discovery.relabel.${label}.output`, rules: `discovery.relabel.${label}.rules` });
  };

  if (ordered.length > 0) {
    const forward = processTo();
    const targetsExpr = relabel().targets;
    const f = new Block("loki.source.file", label);
    f.attr("targets", raw(targetsExpr));
    f.attr("forward_to", forward.map(raw));
    f.opt("encoding", str(sc.encoding), "");
    if (isMap(sc.decompression)) {
      const d = f.child("decompression");
      d.opt("enabled", sc.decompression.enabled === true ? true : undefined);
      d.opt("initial_delay", goDuration(sc.decompression.initial_delay), "0s");
      d.opt("format", str(sc.decompression.format), "");
    }
    const watch = map(map(cfg.global).file_watch_config);
    if (watch.min_poll_frequency !== undefined || watch.max_poll_frequency !== undefined) {
      const w = f.child("file_watch");
      w.opt("min_poll_frequency", goDuration(watch.min_poll_frequency), "250ms");
      w.opt("max_poll_frequency", goDuration(watch.max_poll_frequency), "250ms");
    }
    const fm = f.child("file_match").attr("enabled", true);
    fm.opt("sync_period", goDuration(map(cfg.target_config).sync_period), "10s");
    f.attr("legacy_positions_file", str(map(cfg.positions).filename) ?? "/var/log/positions.yaml");
    out.push(f);
  }

  // Sources without targets relabel their entries with loki.relabel, made once on first use.
  let lokiRelabel: string | undefined;
  const lokiRelabelTo = (): string => {
    if (lokiRelabel) return lokiRelabel;
    if (list(sc.relabel_configs).length === 0) return (lokiRelabel = `[${processTo().join(", ")}]`);
    const lr = new Block("loki.relabel", label).attr("forward_to", processTo().map(raw));
    appendRules(lr, "rule", sc.relabel_configs);
    out.push(lr);
    return (lokiRelabel = `[loki.relabel.${label}.receiver]`);
  };

  appendLogSources({ sc, label, out, diags, processTo, relabelRules: () => relabel().rules, lokiRelabelTo });
}
