// Prometheus remote_write → one `prometheus.remote_write` component with an endpoint per entry.

import { Block, objSorted, type AlloyValue } from "../builder.ts";
import { appendHttpClient } from "../common/http_client.ts";
import { goDuration, isMap, list, map, str, type YamlMap } from "../common/yaml_values.ts";
import { appendRules } from "./relabel.ts";

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

function appendQueue(e: Block, q: YamlMap): void {
  const b = e.child("queue_config");
  b.opt("capacity", num(q.capacity), 10000);
  b.opt("max_shards", num(q.max_shards), 50);
  b.opt("min_shards", num(q.min_shards), 1);
  b.opt("max_samples_per_send", num(q.max_samples_per_send), 2000);
  b.opt("batch_send_deadline", goDuration(q.batch_send_deadline), "5s");
  b.opt("min_backoff", goDuration(q.min_backoff), "30ms");
  b.opt("max_backoff", goDuration(q.max_backoff), "5s");
  b.opt("retry_on_http_429", typeof q.retry_on_http_429 === "boolean" ? q.retry_on_http_429 : undefined, true);
  b.opt("sample_age_limit", goDuration(q.sample_age_limit), "0s");
}

function appendMetadata(e: Block, m: YamlMap): void {
  const b = e.child("metadata_config");
  b.opt("send", typeof m.send === "boolean" ? m.send : undefined, true);
  b.opt("send_interval", goDuration(m.send_interval), "1m0s");
  b.opt("max_samples_per_send", num(m.max_samples_per_send), 2000);
}

function appendSigV4(e: Block, s: unknown): void {
  if (!isMap(s)) return;
  const b = e.child("sigv4");
  for (const k of ["region", "access_key", "secret_key", "profile", "role_arn", "external_id"]) b.opt(k, str(s[k]), "");
  b.opt("use_fips_sts_endpoint", s.use_fips_sts_endpoint === true ? true : undefined);
  b.opt("service_name", str(s.service_name), "");
}

function appendAzureAD(e: Block, a: unknown): void {
  if (!isMap(a)) return;
  const b = e.child("azuread");
  if (isMap(a.managed_identity)) b.child("managed_identity").attr("client_id", str(a.managed_identity.client_id) ?? "");
  if (isMap(a.workload_identity)) {
    const w = b.child("workload_identity");
    w.attr("client_id", str(a.workload_identity.client_id) ?? "");
    w.attr("tenant_id", str(a.workload_identity.tenant_id) ?? "");
    w.opt("token_file_path", str(a.workload_identity.token_file_path), "");
  }
  if (isMap(a.oauth)) {
    const o = b.child("oauth");
    o.attr("client_id", str(a.oauth.client_id) ?? "");
    o.attr("client_secret", str(a.oauth.client_secret) ?? "");
    o.attr("tenant_id", str(a.oauth.tenant_id) ?? "");
  }
  if (isMap(a.sdk)) b.child("sdk").attr("tenant_id", str(a.sdk.tenant_id) ?? "");
  b.opt("cloud", str(a.cloud), "AzurePublic");
  b.opt("scope", str(a.scope), "");
}

export function buildRemoteWrite(global: YamlMap, configs: unknown[], label: string): Block {
  const rw = new Block("prometheus.remote_write", label);
  const ext = map(global.external_labels);
  if (Object.keys(ext).length > 0) {
    const rec: Record<string, AlloyValue> = {};
    for (const [k, v] of Object.entries(ext)) rec[k] = String(v);
    rw.attr("external_labels", objSorted(rec));
  }
  for (const raw of configs) {
    const c = map(raw);
    const e = rw.child("endpoint");
    e.opt("name", str(c.name), "");
    e.attr("url", str(c.url) ?? "");
    e.opt("remote_timeout", goDuration(c.remote_timeout), "30s");
    if (isMap(c.headers)) {
      const rec: Record<string, AlloyValue> = {};
      for (const [k, v] of Object.entries(c.headers)) rec[k] = String(v);
      e.attr("headers", objSorted(rec));
    }
    e.opt("send_exemplars", c.send_exemplars === true ? true : undefined);
    e.opt("send_native_histograms", c.send_native_histograms === true ? true : undefined);
    e.opt("protobuf_message", str(c.protobuf_message), "prometheus.WriteRequest");
    appendHttpClient(e, c);
    appendQueue(e, map(c.queue_config));
    appendMetadata(e, map(c.metadata_config));
    appendRules(e, "write_relabel_config", c.write_relabel_configs);
    appendSigV4(e, c.sigv4);
    appendAzureAD(e, c.azuread);
    if (isMap(c.google_iam)) e.child("google_iam").opt("credentials_file", str(c.google_iam.credentials_file), "");
    e.opt("round_robin_dns", c.round_robin_dns === true ? true : undefined);
  }
  return rw;
}

export function remoteWriteList(cfg: YamlMap): unknown[] {
  return list(cfg.remote_write);
}
