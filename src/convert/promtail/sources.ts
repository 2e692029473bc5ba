// Promtail's log sources that are not files (journal, syslog, push API, Kafka, ...) → loki.source.* components,
// appended in the order Alloy's converter visits them.

import { Block, objSorted, raw, type AlloyValue } from "../builder.ts";
import { Diagnostics, Severity } from "../diagnostics.ts";
import { appendHttpClient, appendTLS } from "../common/http_client.ts";
import { labelWithIndex } from "../common/labels.ts";
import { goDuration, isMap, list, map, str, type YamlMap } from "../common/yaml_values.ts";
import { discoveries } from "../prometheus/discovery.ts";
import { appendServer, validateServer } from "./server.ts";
import { base2Bytes } from "./stages.ts";

/** What a source needs from its scrape config: shared components are created lazily, once. */
export interface SourceContext {
  sc: YamlMap;
  label: string;
  out: Block[];
  diags: Diagnostics;
  /** Receivers to forward to: the scrape's loki.process, or the writers. */
  processTo(): string[];
  /** The discovery.relabel rules expression, or `null` without relabel_configs. */
  relabelRules(): string;
  /** The forward_to expression through loki.relabel for sources without targets. */
  lokiRelabelTo(): string;
}

export function appendLogSources(ctx: SourceContext): void {
  if (isMap(ctx.sc.cloudflare)) {
    const cf = ctx.sc.cloudflare;
    const forward = ctx.lokiRelabelTo();
    const c = new Block("loki.source.cloudflare", ctx.label);
    c.opt("api_token", str(cf.api_token), "");
    c.opt("zone_id", str(cf.zone_id), "");
    c.attr("labels", stringMap(cf.labels));
    c.opt("workers", typeof cf.workers === "number" ? cf.workers : undefined, 3);
    c.opt("pull_range", goDuration(cf.pull_range), "1m0s");
    c.opt("fields_type", str(cf.fields_type), "default");
    c.attr("forward_to", raw(forward));
    ctx.out.push(c);
  }

  if (isMap(ctx.sc.journal)) {
    const jc = ctx.sc.journal;
    const forward = ctx.processTo();
    const j = new Block("loki.source.journal", ctx.label);
    j.opt("format_as_json", jc.json === true ? true : undefined);
    j.opt("max_age", goDuration(jc.max_age), "7h0m0s");
    j.opt("path", str(jc.path), "");
    j.opt("matches", str(jc.matches), "");
    j.attr("relabel_rules", raw(ctx.relabelRules()));
    j.attr("forward_to", forward.map(raw));
    j.attr("labels", stringMap(jc.labels));
    ctx.out.push(j);
  }

  if (isMap(ctx.sc.loki_push_api)) {
    const cfgApi = ctx.sc.loki_push_api;
    validateServer(cfgApi.server, ctx.diags);
    const forward = ctx.processTo();
    const a = new Block("loki.source.api", ctx.label);
    appendServer(a, cfgApi.server);
    a.attr("forward_to", forward.map(raw));
    a.attr("labels", stringMap(cfgApi.labels));
    a.attr("relabel_rules", raw(ctx.relabelRules()));
    a.opt("use_incoming_timestamp", cfgApi.use_incoming_timestamp === true ? true : undefined);
    a.attr("max_send_message_size", base2Bytes(typeof cfgApi.max_send_msg_size === "number" ? cfgApi.max_send_msg_size : 0));
    ctx.out.push(a);
  }

  if (isMap(ctx.sc.syslog)) {
    const yc = ctx.sc.syslog;
    const format = str(yc.syslog_format) ?? "";
    if (!["", "rfc5424", "rfc3164", "raw"].includes(format)) {
      ctx.diags.add(Severity.Critical, `unknown syslog format ${JSON.stringify(format)}`);
      return;
    }
    const forward = ctx.processTo();
    const y = new Block("loki.source.syslog", ctx.label);
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
    y.attr("relabel_rules", raw(ctx.relabelRules()));
    ctx.out.push(y);
  }

  if (isMap(ctx.sc.gcplog)) {
    const gc = ctx.sc.gcplog;
    const type = str(gc.subscription_type) ?? "";
    const g = new Block("loki.source.gcplog", ctx.label);
    if (type === "" || type === "pull") {
      const p = g.child("pull");
      p.opt("project_id", str(gc.project_id), "");
      p.opt("subscription", str(gc.subscription), "");
      p.attr("labels", stringMap(gc.labels));
      p.opt("use_incoming_timestamp", gc.use_incoming_timestamp === true ? true : undefined);
      p.opt("use_full_line", gc.use_full_line === true ? true : undefined);
    } else if (type === "push") {
      validateServer(gc.server, ctx.diags);
      const p = g.child("push");
      appendServer(p, gc.server);
      p.opt("push_timeout", goDuration(gc.push_timeout), "0s");
      p.attr("labels", stringMap(gc.labels));
      p.opt("use_incoming_timestamp", gc.use_incoming_timestamp === true ? true : undefined);
      p.opt("use_full_line", gc.use_full_line === true ? true : undefined);
    } else {
      ctx.diags.add(Severity.Error, "gcplog.subscription_type must be one of 'pull' or 'push'");
    }
    g.attr("forward_to", ctx.processTo().map(raw));
    g.attr("relabel_rules", raw(ctx.relabelRules()));
    ctx.out.push(g);
  }

  if (isMap(ctx.sc.windows_events)) {
    const wc = ctx.sc.windows_events;
    const forward = ctx.lokiRelabelTo();
    const w = new Block("loki.source.windowsevent", ctx.label);
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
    ctx.out.push(w);
  }

  if (isMap(ctx.sc.kafka)) {
    const kc = ctx.sc.kafka;
    const forward = ctx.processTo();
    const k = new Block("loki.source.kafka", ctx.label);
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
    k.attr("relabel_rules", raw(ctx.relabelRules()));
    ctx.out.push(k);
  }

  if (isMap(ctx.sc.azure_event_hubs)) {
    const ac = ctx.sc.azure_event_hubs;
    const forward = ctx.processTo();
    const a = new Block("loki.source.azure_event_hubs", ctx.label);
    a.opt("fully_qualified_namespace", str(ac.fully_qualified_namespace), "");
    a.opt("event_hubs", Array.isArray(ac.event_hubs) ? ac.event_hubs.map(String) : undefined);
    const auth = a.child("authentication");
    auth.attr("mechanism", "");
    auth.opt("connection_string", str(ac.connection_string), "");
    a.opt("group_id", str(ac.group_id), "loki.source.azure_event_hubs");
    a.opt("use_incoming_timestamp", ac.use_incoming_timestamp === true ? true : undefined);
    a.opt("disallow_custom_messages", ac.disallow_custom_messages === true ? true : undefined);
    a.attr("relabel_rules", raw(ctx.relabelRules()));
    a.attr("labels", stringMap(ac.labels));
    a.attr("assignor", "");
    a.attr("forward_to", forward.map(raw));
    ctx.out.push(a);
  }

  if (isMap(ctx.sc.gelf)) {
    const gc = ctx.sc.gelf;
    const forward = ctx.processTo();
    const rules = ctx.relabelRules();
    const g = new Block("loki.source.gelf", ctx.label);
    g.opt("listen_address", str(gc.listen_address), "0.0.0.0:12201");
    g.opt("use_incoming_timestamp", gc.use_incoming_timestamp === true ? true : undefined);
    g.attr("relabel_rules", raw(rules));
    g.attr("forward_to", forward.map(raw));
    ctx.out.push(g);
  }

  list(ctx.sc.docker_sd_configs).forEach((entry, i) => {
    const c = map(entry);
    const dockerLabel = labelWithIndex(i, ctx.label);
    const d = new Block("discovery.docker", dockerLabel);
    discoveries.docker_sd_configs![1](d, c);
    ctx.out.push(d);
    const forward = ctx.processTo();
    const src = new Block("loki.source.docker", dockerLabel);
    src.opt("host", str(c.host), "");
    src.attr("targets", raw(`discovery.docker.${dockerLabel}.targets`));
    src.attr("forward_to", forward.map(raw));
    src.attr("relabel_rules", raw(ctx.relabelRules()));
    const http = new Block("http_client_config");
    appendHttpClient(http, c);
    if (http.items.length > 0) src.block(http);
    src.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
    ctx.out.push(src);
  });

  if (isMap(ctx.sc.heroku_drain)) {
    const hc = ctx.sc.heroku_drain;
    const forward = ctx.processTo();
    const h = new Block("loki.source.heroku", ctx.label);
    appendServer(h, hc.server);
    h.attr("labels", stringMap(hc.labels));
    h.opt("use_incoming_timestamp", hc.use_incoming_timestamp === true ? true : undefined);
    h.attr("forward_to", forward.map(raw));
    h.attr("relabel_rules", raw(ctx.relabelRules()));
    ctx.out.push(h);
  }
}

export function stringMap(v: unknown) {
  const rec: Record<string, AlloyValue> = {};
  for (const [k, x] of Object.entries(map(v))) rec[k] = String(x);
  return objSorted(rec);
}
