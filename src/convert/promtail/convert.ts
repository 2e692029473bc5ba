// `alloy convert --source-format=promtail`: Promtail scrape configs and clients → Loki components.

import { Block, objSorted, raw, renderFile, type AlloyValue } from "../builder.ts";
import { Diagnostics, Severity, goStringSlice } from "../diagnostics.ts";
import { appendHttpClient, appendTLS } from "../common/http_client.ts";
import { labelForParts, labelWithIndex } from "../common/labels.ts";
import { loadYaml } from "../common/yaml_parse.ts";
import { goDuration, isMap, list, map, str, type YamlMap } from "../common/yaml_values.ts";
import { discoveries, validateDiscovery } from "../prometheus/discovery.ts";
import { appendRules } from "../prometheus/relabel.ts";
import { sanitizeIdentifier } from "../../syntax/scanner.ts";
import { appendServer, validateServer } from "./server.ts";
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

  if (isMap(sc.cloudflare)) {
    const cf = sc.cloudflare;
    const forward = lokiRelabelTo();
    const c = new Block("loki.source.cloudflare", label);
    c.opt("api_token", str(cf.api_token), "");
    c.opt("zone_id", str(cf.zone_id), "");
    c.attr("labels", stringMap(cf.labels));
    c.opt("workers", typeof cf.workers === "number" ? cf.workers : undefined, 3);
    c.opt("pull_range", goDuration(cf.pull_range), "1m0s");
    c.opt("fields_type", str(cf.fields_type), "default");
    c.attr("forward_to", raw(forward));
    out.push(c);
  }

  if (isMap(sc.journal)) {
    const jc = sc.journal;
    const forward = processTo();
    const j = new Block("loki.source.journal", label);
    j.opt("format_as_json", jc.json === true ? true : undefined);
    j.opt("max_age", goDuration(jc.max_age), "7h0m0s");
    j.opt("path", str(jc.path), "");
    j.opt("matches", str(jc.matches), "");
    j.attr("relabel_rules", raw(relabel().rules));
    j.attr("forward_to", forward.map(raw));
    j.attr("labels", stringMap(jc.labels));
    out.push(j);
  }

  if (isMap(sc.loki_push_api)) {
    const cfgApi = sc.loki_push_api;
    validateServer(cfgApi.server, diags);
    const forward = processTo();
    const a = new Block("loki.source.api", label);
    appendServer(a, cfgApi.server);
    a.attr("forward_to", forward.map(raw));
    a.attr("labels", stringMap(cfgApi.labels));
    a.attr("relabel_rules", raw(relabel().rules));
    a.opt("use_incoming_timestamp", cfgApi.use_incoming_timestamp === true ? true : undefined);
    a.attr("max_send_message_size", base2Bytes(typeof cfgApi.max_send_msg_size === "number" ? cfgApi.max_send_msg_size : 0));
    out.push(a);
  }

  if (isMap(sc.syslog)) {
    const yc = sc.syslog;
    const format = str(yc.syslog_format) ?? "";
    if (!["", "rfc5424", "rfc3164", "raw"].includes(format)) {
      diags.add(Severity.Critical, `unknown syslog format ${JSON.stringify(format)}`);
      return;
    }
    const forward = processTo();
    const y = new Block("loki.source.syslog", label);
    const l = y.child("listener");
    l.opt("address", str(yc.listen_address), "");
    l.opt("protocol", str(yc.listen_protocol), "tcp");
    l.opt("idle_timeout", goDuration(yc.idle_timeout), "2m0s");
    l.opt("label_structured_data", yc.label_structured_data === true ? true : undefined);
    l.attr("labels", stringMap(yc.labels));
    l.opt("use_incoming_timestamp", yc.use_incoming_timestamp === true ? true : undefined);
    l.opt("use_rfc5424_message", yc.use_rfc5424_message === true ? true : undefined);
    l.attr("max_message_length", typeof yc.max_message_length === "number" ? yc.max_message_length : 0);
    appendTLS(l, yc.tls_config);
    l.opt("syslog_format", format === "" ? undefined : format, "rfc5424");
    if (isMap(yc.raw_format_options)) {
      l.child("raw_format_options").opt("use_null_terminator_delimiter", yc.raw_format_options.use_null_terminator_delimiter === true ? true : undefined);
    }
    l.attr("udp_queue_size", 0);
    l.attr("udp_host_cache_size", 0);
    y.attr("forward_to", forward.map(raw));
    y.attr("relabel_rules", raw(relabel().rules));
    out.push(y);
  }

  if (isMap(sc.gcplog)) {
    const gc = sc.gcplog;
    const type = str(gc.subscription_type) ?? "";
    const g = new Block("loki.source.gcplog", label);
    if (type === "" || type === "pull") {
      const p = g.child("pull");
      p.opt("project_id", str(gc.project_id), "");
      p.opt("subscription", str(gc.subscription), "");
      p.attr("labels", stringMap(gc.labels));
      p.opt("use_incoming_timestamp", gc.use_incoming_timestamp === true ? true : undefined);
      p.opt("use_full_line", gc.use_full_line === true ? true : undefined);
    } else if (type === "push") {
      validateServer(gc.server, diags);
      const p = g.child("push");
      appendServer(p, gc.server);
      p.opt("push_timeout", goDuration(gc.push_timeout), "0s");
      p.attr("labels", stringMap(gc.labels));
      p.opt("use_incoming_timestamp", gc.use_incoming_timestamp === true ? true : undefined);
      p.opt("use_full_line", gc.use_full_line === true ? true : undefined);
    } else {
      diags.add(Severity.Error, "gcplog.subscription_type must be one of 'pull' or 'push'");
    }
    g.attr("forward_to", processTo().map(raw));
    g.attr("relabel_rules", raw(relabel().rules));
    out.push(g);
  }

  if (isMap(sc.windows_events)) {
    const wc = sc.windows_events;
    const forward = lokiRelabelTo();
    const w = new Block("loki.source.windowsevent", label);
    w.opt("locale", typeof wc.locale === "number" ? wc.locale : undefined, 0);
    w.opt("eventlog_name", str(wc.eventlog_name), "");
    w.opt("xpath_query", str(wc.xpath_query), "*");
    w.opt("poll_interval", goDuration(wc.poll_interval), "3s");
    w.opt("exclude_event_data", wc.exclude_event_data === true ? true : undefined);
    w.opt("exclude_user_data", wc.exclude_user_data === true ? true : undefined);
    w.opt("exclude_event_message", wc.exclude_event_message === true ? true : undefined);
    w.opt("use_incoming_timestamp", wc.use_incoming_timestamp === true ? true : undefined);
    w.attr("forward_to", raw(forward));
    w.attr("labels", stringMap(wc.labels));
    w.opt("legacy_bookmark_path", str(wc.bookmark_path), "");
    out.push(w);
  }

  if (isMap(sc.kafka)) {
    const kc = sc.kafka;
    const forward = processTo();
    const k = new Block("loki.source.kafka", label);
    k.opt("brokers", Array.isArray(kc.brokers) ? kc.brokers.map(String) : undefined);
    k.opt("topics", Array.isArray(kc.topics) ? kc.topics.map(String) : undefined);
    k.opt("group_id", str(kc.group_id), "loki.source.kafka");
    k.opt("assignor", str(kc.assignor), "range");
    k.opt("version", str(kc.version), "2.2.1");
    const auth = map(kc.authentication);
    if (Object.keys(auth).length > 0) {
      const a = k.child("authentication");
      a.opt("type", str(auth.type), "none");
      appendTLS(a, auth.tls_config);
      const sasl = map(auth.sasl_config);
      if (Object.keys(sasl).length > 0) {
        const sb = a.child("sasl_config");
        sb.opt("mechanism", str(sasl.mechanism), "");
        sb.opt("user", str(sasl.user), "");
        sb.opt("password", str(sasl.password), "");
        sb.opt("use_tls", sasl.use_tls === true ? true : undefined);
        // Promtail's SASL TLS fields sit inline; its `key` is the key file path, written as key_pem as Alloy does.
        appendTLS(sb, { ca_file: sasl.ca_file, cert_file: sasl.cert_file, key: sasl.key, key_file: sasl.key_file,
          server_name: sasl.server_name, insecure_skip_verify: sasl.insecure_skip_verify });
      }
    }
    k.opt("use_incoming_timestamp", kc.use_incoming_timestamp === true ? true : undefined);
    k.attr("labels", stringMap(kc.labels));
    k.attr("forward_to", forward.map(raw));
    k.attr("relabel_rules", raw(relabel().rules));
    out.push(k);
  }

  if (isMap(sc.azure_event_hubs)) {
    const ac = sc.azure_event_hubs;
    const forward = processTo();
    const a = new Block("loki.source.azure_event_hubs", label);
    a.opt("fully_qualified_namespace", str(ac.fully_qualified_namespace), "");
    a.opt("event_hubs", Array.isArray(ac.event_hubs) ? ac.event_hubs.map(String) : undefined);
    const auth = a.child("authentication");
    auth.attr("mechanism", "");
    auth.opt("connection_string", str(ac.connection_string), "");
    a.opt("group_id", str(ac.group_id), "loki.source.azure_event_hubs");
    a.opt("use_incoming_timestamp", ac.use_incoming_timestamp === true ? true : undefined);
    a.opt("disallow_custom_messages", ac.disallow_custom_messages === true ? true : undefined);
    a.attr("relabel_rules", raw(relabel().rules));
    a.attr("labels", stringMap(ac.labels));
    a.attr("assignor", "");
    a.attr("forward_to", forward.map(raw));
    out.push(a);
  }

  if (isMap(sc.gelf)) {
    const forward = processTo();
    const rules = relabel().rules;
    const g = new Block("loki.source.gelf", label);
    g.opt("listen_address", str(sc.gelf.listen_address), "0.0.0.0:12201");
    g.opt("use_incoming_timestamp", sc.gelf.use_incoming_timestamp === true ? true : undefined);
    g.attr("relabel_rules", raw(rules));
    g.attr("forward_to", forward.map(raw));
    out.push(g);
  }

  list(sc.docker_sd_configs).forEach((entry, i) => {
    const c = map(entry);
    const dockerLabel = labelWithIndex(i, label);
    const d = new Block("discovery.docker", dockerLabel);
    discoveries.docker_sd_configs![1](d, c);
    out.push(d);
    const forward = processTo();
    const src = new Block("loki.source.docker", dockerLabel);
    src.opt("host", str(c.host), "");
    src.attr("targets", raw(`discovery.docker.${dockerLabel}.targets`));
    src.attr("forward_to", forward.map(raw));
    src.attr("relabel_rules", raw(relabel().rules));
    const http = new Block("http_client_config");
    appendHttpClient(http, c);
    if (http.items.length > 0) src.block(http);
    src.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
    out.push(src);
  });

  if (isMap(sc.heroku_drain)) {
    const hc = sc.heroku_drain;
    const forward = processTo();
    const h = new Block("loki.source.heroku", label);
    appendServer(h, hc.server);
    h.attr("labels", stringMap(hc.labels));
    h.opt("use_incoming_timestamp", hc.use_incoming_timestamp === true ? true : undefined);
    h.attr("forward_to", forward.map(raw));
    h.attr("relabel_rules", raw(relabel().rules));
    out.push(h);
  }
}

function stringMap(v: unknown) {
  const rec: Record<string, AlloyValue> = {};
  for (const [k, x] of Object.entries(map(v))) rec[k] = String(x);
  return objSorted(rec);
}

function validateTopLevel(cfg: YamlMap, diags: Diagnostics): void {
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
function azureAuthError(cfg: YamlMap): string | undefined {
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
