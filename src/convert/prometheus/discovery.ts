// Prometheus *_sd_configs → `discovery.*` components. Each builder lists the component's
// arguments in Alloy's order and leaves out values equal to the component's defaults.

import { Block, objSorted } from "../builder.ts";
import { Diagnostics, Severity, unsupported } from "../diagnostics.ts";
import { appendHttpClient, appendProxy, appendTLS, validateHttpClient } from "../common/http_client.ts";
import { goDuration, isMap, list, str, strList, type YamlMap } from "../common/yaml_values.ts";

type SDBuilder = (b: Block, c: YamlMap) => void;

const n = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

function aws(b: Block, c: YamlMap): void {
  b.opt("endpoint", str(c.endpoint), "");
  b.opt("region", str(c.region), "");
  b.opt("access_key", str(c.access_key), "");
  b.opt("secret_key", str(c.secret_key), "");
  b.opt("profile", str(c.profile), "");
  b.opt("role_arn", str(c.role_arn), "");
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  for (const f of list(c.filters)) {
    if (!isMap(f)) continue;
    b.child("filter").attr("name", str(f.name) ?? "").attr("values", strList(f.values) ?? []);
  }
  appendHttpClient(b, c);
}

function azure(b: Block, c: YamlMap): void {
  b.opt("environment", str(c.environment), "AzurePublicCloud");
  b.opt("port", n(c.port), 80);
  b.opt("subscription_id", str(c.subscription_id), "");
  const method = str(c.authentication_method) ?? "OAuth";
  if (method === "OAuth") {
    const o = b.child("oauth");
    o.attr("client_id", str(c.client_id) ?? "").attr("tenant_id", str(c.tenant_id) ?? "").attr("client_secret", str(c.client_secret) ?? "");
  } else if (method === "ManagedIdentity") {
    b.child("managed_identity").attr("client_id", str(c.client_id) ?? "");
  } else if (method === "SDK") {
    b.child("sdk_auth").opt("tenant_id", str(c.tenant_id), "");
  } else if (method === "WorkloadIdentity") {
    b.child("workload_identity");
  }
  b.opt("refresh_interval", goDuration(c.refresh_interval), "5m0s");
  b.opt("resource_group", str(c.resource_group), "");
  appendProxy(b, c);
  b.opt("follow_redirects", bool(c.follow_redirects), true);
  b.opt("enable_http2", bool(c.enable_http2), true);
  appendTLS(b, c.tls_config);
}

function consul(b: Block, c: YamlMap): void {
  b.opt("server", str(c.server), "localhost:8500");
  b.opt("token", str(c.token), "");
  b.opt("datacenter", str(c.datacenter), "");
  b.opt("namespace", str(c.namespace), "");
  b.opt("partition", str(c.partition), "");
  b.opt("tag_separator", str(c.tag_separator), ",");
  b.opt("scheme", str(c.scheme), "http");
  b.opt("username", str(c.username), "");
  b.opt("password", str(c.password), "");
  b.opt("allow_stale", bool(c.allow_stale), true);
  b.opt("services", strList(c.services));
  b.opt("tags", strList(c.tags));
  if (isMap(c.node_meta)) {
    const rec: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.node_meta)) rec[k] = String(v);
    b.attr("node_meta", objSorted(rec));
  }
  b.opt("refresh_interval", goDuration(c.refresh_interval), "30s");
  // Prometheus folds consul's username/password into the HTTP client's basic auth.
  const withAuth = !isMap(c.basic_auth) && (str(c.username) || str(c.password))
    ? { ...c, basic_auth: { username: c.username, password: c.password } }
    : c;
  appendHttpClient(b, withAuth);
}

function digitalocean(b: Block, c: YamlMap): void {
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  b.opt("bearer_token", str(c.bearer_token), "");
  b.opt("bearer_token_file", str(c.bearer_token_file), "");
  appendProxy(b, c);
  b.opt("follow_redirects", bool(c.follow_redirects), true);
  b.opt("enable_http2", bool(c.enable_http2), true);
  appendTLS(b, c.tls_config);
}

function dns(b: Block, c: YamlMap): void {
  b.opt("names", strList(c.names));
  b.opt("refresh_interval", goDuration(c.refresh_interval), "30s");
  b.opt("type", str(c.type), "SRV");
  b.opt("port", n(c.port), 0);
}

function docker(b: Block, c: YamlMap): void {
  b.opt("host", str(c.host), "");
  b.opt("port", n(c.port), 80);
  b.opt("host_networking_host", str(c.host_networking_host), "localhost");
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  for (const f of list(c.filters)) {
    if (!isMap(f)) continue;
    b.child("filter").attr("name", str(f.name) ?? "").attr("values", strList(f.values) ?? []);
  }
  appendHttpClient(b, c);
}

function dockerswarm(b: Block, c: YamlMap): void {
  b.opt("host", str(c.host), "");
  b.opt("role", str(c.role), "");
  b.opt("port", n(c.port), 80);
  for (const f of list(c.filters)) {
    if (!isMap(f)) continue;
    b.child("filter").attr("name", str(f.name) ?? "").attr("values", strList(f.values) ?? []);
  }
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  appendHttpClient(b, c);
}

function file(b: Block, c: YamlMap): void {
  b.opt("files", strList(c.files));
  b.opt("refresh_interval", goDuration(c.refresh_interval), "5m0s");
}

function gce(b: Block, c: YamlMap): void {
  b.opt("project", str(c.project), "");
  b.opt("zone", str(c.zone), "");
  b.opt("filter", str(c.filter), "");
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  b.opt("tag_separator", str(c.tag_separator), ",");
}

function http(b: Block, c: YamlMap): void {
  appendHttpClient(b, c, { alwaysFlags: true });
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("url", str(c.url), "");
}

function ionos(b: Block, c: YamlMap): void {
  b.opt("datacenter_id", str(c.datacenter_id), "");
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  appendHttpClient(b, c);
}

function kubernetes(b: Block, c: YamlMap): void {
  b.opt("api_server", str(c.api_server), "");
  b.opt("role", str(c.role), "");
  b.opt("kubeconfig_file", str(c.kubeconfig_file), "");
  appendHttpClient(b, c);
  if (isMap(c.namespaces)) {
    const ns = b.child("namespaces");
    ns.opt("own_namespace", bool(c.namespaces.own_namespace), false);
    ns.opt("names", strList(c.namespaces.names));
  }
  for (const s of list(c.selectors)) {
    if (!isMap(s)) continue;
    const sel = b.child("selectors");
    sel.opt("role", str(s.role), "");
    sel.opt("label", str(s.label), "");
    sel.opt("field", str(s.field), "");
  }
  if (isMap(c.attach_metadata)) b.child("attach_metadata").opt("node", bool(c.attach_metadata.node), false);
}

function kuma(b: Block, c: YamlMap): void {
  b.opt("server", str(c.server), "");
  b.opt("refresh_interval", goDuration(c.refresh_interval, "15s"), "30s");
  b.opt("fetch_timeout", goDuration(c.fetch_timeout), "2m0s");
  appendHttpClient(b, c);
}

function linode(b: Block, c: YamlMap): void {
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  b.opt("tag_separator", str(c.tag_separator), ",");
  appendHttpClient(b, c);
}

function marathon(b: Block, c: YamlMap): void {
  b.opt("servers", strList(c.servers));
  b.opt("refresh_interval", goDuration(c.refresh_interval), "30s");
  b.opt("auth_token", str(c.auth_token), "");
  b.opt("auth_token_file", str(c.auth_token_file), "");
  appendHttpClient(b, c);
}

function zookeeper(b: Block, c: YamlMap): void {
  b.opt("servers", strList(c.servers));
  b.opt("paths", strList(c.paths));
  b.opt("timeout", goDuration(c.timeout), "10s");
}

function openstack(b: Block, c: YamlMap): void {
  for (const k of [
    "identity_endpoint", "username", "userid", "password", "project_name", "project_id", "domain_name", "domain_id",
    "application_credential_name", "application_credential_id", "application_credential_secret", "role", "region",
  ]) {
    b.opt(k, str(c[k]), "");
  }
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  b.opt("all_tenants", bool(c.all_tenants), false);
  appendTLS(b, c.tls_config);
  b.opt("availability", str(c.availability), "public");
}

function ovhcloud(b: Block, c: YamlMap): void {
  b.opt("endpoint", str(c.endpoint), "ovh-eu");
  b.opt("application_key", str(c.application_key), "");
  b.opt("application_secret", str(c.application_secret), "");
  b.opt("consumer_key", str(c.consumer_key), "");
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("service", str(c.service), "");
}

function scaleway(b: Block, c: YamlMap): void {
  b.opt("project_id", str(c.project_id), "");
  b.opt("role", str(c.role), "");
  b.opt("api_url", str(c.api_url), "https://api.scaleway.com");
  b.opt("zone", str(c.zone), "fr-par-1");
  b.opt("access_key", str(c.access_key), "");
  b.opt("secret_key", str(c.secret_key), "");
  b.opt("secret_key_file", str(c.secret_key_file), "");
  b.opt("name_filter", str(c.name_filter), "");
  b.opt("tags_filter", strList(c.tags_filter));
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("port", n(c.port), 80);
  appendHttpClient(b, c);
}

function triton(b: Block, c: YamlMap): void {
  b.opt("account", str(c.account), "");
  b.opt("role", str(c.role), "container");
  b.opt("dns_suffix", str(c.dns_suffix), "");
  b.opt("endpoint", str(c.endpoint), "");
  b.opt("groups", strList(c.groups));
  b.opt("port", n(c.port), 9163);
  b.opt("refresh_interval", goDuration(c.refresh_interval), "1m0s");
  b.opt("version", n(c.version), 1);
  appendTLS(b, c.tls_config);
}

/** YAML key → [Alloy component name, builder]. Keys are visited in sorted order, as Prometheus does. */
export const discoveries: Record<string, [string, SDBuilder]> = {
  azure_sd_configs: ["azure", azure],
  consul_sd_configs: ["consul", consul],
  digitalocean_sd_configs: ["digitalocean", digitalocean],
  dns_sd_configs: ["dns", dns],
  docker_sd_configs: ["docker", docker],
  dockerswarm_sd_configs: ["dockerswarm", dockerswarm],
  ec2_sd_configs: ["ec2", aws],
  file_sd_configs: ["file", file],
  gce_sd_configs: ["gce", gce],
  http_sd_configs: ["http", http],
  ionos_sd_configs: ["ionos", ionos],
  kubernetes_sd_configs: ["kubernetes", kubernetes],
  kuma_sd_configs: ["kuma", kuma],
  lightsail_sd_configs: ["lightsail", aws],
  linode_sd_configs: ["linode", linode],
  marathon_sd_configs: ["marathon", marathon],
  nerve_sd_configs: ["nerve", zookeeper],
  openstack_sd_configs: ["openstack", openstack],
  ovhcloud_sd_configs: ["ovhcloud", ovhcloud],
  scaleway_sd_configs: ["scaleway", scaleway],
  serverset_sd_configs: ["serverset", zookeeper],
  triton_sd_configs: ["triton", triton],
};

/** Service discoveries Prometheus knows but Alloy's converter cannot carry over. */
const unconvertible: Record<string, string> = {
  nomad_sd_configs: "nomad",
  eureka_sd_configs: "eureka",
  hetzner_sd_configs: "hetzner",
  puppetdb_sd_configs: "puppetdb",
  uyuni_sd_configs: "uyuni",
  vultr_sd_configs: "vultr",
  stackit_sd_configs: "stackit",
};

export function validateDiscovery(key: string, c: YamlMap, diags: Diagnostics): void {
  const bad = unconvertible[key];
  if (bad) {
    diags.add(Severity.Error, `The converter does not support converting the provided ${bad} service discovery.`);
    return;
  }
  const kind = discoveries[key]?.[0];
  if (kind === "digitalocean" && isMap(c.basic_auth)) unsupported(diags, "digitalocean_sd_configs basic_auth");
  if (kind) validateHttpClient(c, diags);
}

export function discoveryKeys(scrape: YamlMap): string[] {
  return Object.keys(scrape)
    .filter((k) => k.endsWith("_sd_configs"))
    .sort();
}
