// The detector blocks of otelcol.processor.resourcedetection: every detector Alloy documents,
// its arguments and its `resource_attributes` toggles (`<attr.name> { enabled = bool }`).

import * as schema from "../../../../syntax/schema/index.ts";

const Toggle = schema.block({ enabled: schema.attr(schema.bool) });

/** A resource_attributes block for these attributes; `on` lists those enabled by default. */
function toggles(all: string[], off: string[] = []): schema.BlockSchema {
  const fields: schema.Fields = {};
  for (const a of all) fields[a] = schema.block(Toggle, { default: () => ({ enabled: !off.includes(a) }) });
  return schema.block(fields);
}

function detector(fields: schema.Fields, attrs: schema.BlockSchema): schema.BlockSchema {
  return schema.block({ ...fields, resource_attributes: schema.block(attrs, { default: "defaults" }) });
}

const CLOUD = ["cloud.account.id", "cloud.availability_zone", "cloud.platform", "cloud.provider", "cloud.region", "host.id", "host.image.id", "host.name", "host.type"];
const failOnMissing = { fail_on_missing_metadata: schema.attr(schema.bool, { default: false }) };
const k8sClient = { auth_type: schema.attr(schema.string, { default: "none" }), context: schema.attr(schema.string, { default: "" }) };

export const SYSTEM_ATTRIBUTES = [
  "host.arch", "host.cpu.cache.l2.size", "host.cpu.family", "host.cpu.model.id", "host.cpu.model.name", "host.cpu.stepping",
  "host.cpu.vendor.id", "host.id", "host.ip", "host.mac", "host.name", "os.build.id", "os.description", "os.name", "os.type", "os.version",
];

export const DETECTOR_BLOCKS = {
  akamai: detector({}, toggles(CLOUD)),
  aks: detector({}, toggles(["cloud.platform", "cloud.provider", "k8s.cluster.name"], ["k8s.cluster.name"])),
  alibaba_ecs: detector(failOnMissing, toggles(CLOUD)),
  azure: detector(
    { tags: schema.attr(schema.list(schema.string), { default: [] }) },
    toggles(["azure.resourcegroup.name", "azure.vm.name", "azure.vm.scaleset.name", "azure.vm.size", "cloud.account.id", "cloud.platform", "cloud.provider", "cloud.region", "host.id", "host.name"]),
  ),
  consul: detector(
    {
      address: schema.attr(schema.string, { default: "" }),
      datacenter: schema.attr(schema.string, { default: "" }),
      meta: schema.attr(schema.list(schema.string), { default: [] }),
      namespace: schema.attr(schema.string, { default: "" }),
      token: schema.attr(schema.secret, { default: "" }),
    },
    toggles(["cloud.region", "host.id", "host.name"]),
  ),
  digitalocean: detector({}, toggles(CLOUD)),
  docker: detector({}, toggles(["host.name", "os.type"])),
  dynatrace: detector({}, toggles(["dt.entity.host", "host.name"])),
  ec2: detector(
    {
      max_attempts: schema.attr(schema.int, { default: 3 }),
      max_backoff: schema.attr(schema.duration, { default: "20s" }),
      tags_from_imds: schema.attr(schema.bool, { default: false }),
      tags: schema.attr(schema.list(schema.string), { default: [] }),
    },
    toggles(CLOUD),
  ),
  ecs: detector(
    {},
    toggles([
      "aws.ecs.cluster.arn", "aws.ecs.launchtype", "aws.ecs.task.arn", "aws.ecs.task.family", "aws.ecs.task.id", "aws.ecs.task.revision",
      "aws.log.group.arns", "aws.log.group.names", "aws.log.stream.arns", "aws.log.stream.names",
      "cloud.account.id", "cloud.availability_zone", "cloud.platform", "cloud.provider", "cloud.region",
    ]),
  ),
  eks: detector(
    { node_from_env_var: schema.attr(schema.string, { default: "K8S_NODE_NAME" }) },
    toggles(["cloud.account.id", "cloud.availability_zone", "cloud.platform", "cloud.provider", "cloud.region", "host.id", "k8s.cluster.name"], ["cloud.account.id", "cloud.availability_zone", "cloud.region", "host.id", "k8s.cluster.name"]),
  ),
  elasticbeanstalk: detector({}, toggles(["cloud.platform", "cloud.provider", "deployment.environment", "service.instance.id", "service.version"])),
  gcp: detector(
    {},
    toggles(
      [...CLOUD, "faas.id", "faas.instance", "faas.name", "faas.version", "gcp.cloud_run.job.execution", "gcp.cloud_run.job.task_index", "gcp.gce.instance.hostname", "gcp.gce.instance.name", "k8s.cluster.name"],
      ["gcp.gce.instance.hostname", "gcp.gce.instance.name"],
    ),
  ),
  heroku: detector({}, toggles(["cloud.provider", "heroku.app.id", "heroku.dyno.id", "heroku.release.commit", "heroku.release.creation_timestamp", "service.instance.id", "service.name", "service.version"])),
  hetzner: detector({}, toggles(CLOUD)),
  kubeadm: detector(k8sClient, toggles(["k8s.cluster.name", "k8s.cluster.uid"])),
  kubernetes_node: detector({ ...k8sClient, node_from_env_var: schema.attr(schema.string, { default: "K8S_NODE_NAME" }) }, toggles(["k8s.node.name", "k8s.node.uid"])),
  lambda: detector({}, toggles(["aws.log.group.names", "aws.log.stream.names", "cloud.platform", "cloud.provider", "cloud.region", "faas.instance", "faas.max_memory", "faas.name", "faas.version"])),
  nova: detector({ ...failOnMissing, labels: schema.attr(schema.list(schema.string), { default: [] }) }, toggles(CLOUD)),
  openshift: detector(
    { address: schema.attr(schema.string, { default: "" }), token: schema.attr(schema.string, { default: "" }), tls: schema.block(schema.block({ insecure: schema.attr(schema.bool, { default: false }), ca_file: schema.attr(schema.string, { default: "" }) }), { optional: true }) },
    toggles(["cloud.platform", "cloud.provider", "cloud.region", "k8s.cluster.name"]),
  ),
  oraclecloud: detector({}, toggles(CLOUD)),
  scaleway: detector({}, toggles(CLOUD)),
  system: detector(
    { hostname_sources: schema.attr(schema.list(schema.enumOf("os", "dns", "cname", "lookup")), { default: ["dns", "os"] }) },
    toggles(SYSTEM_ATTRIBUTES, SYSTEM_ATTRIBUTES.filter((a) => a !== "host.name" && a !== "os.type")),
  ),
  tencent_cvm: detector(failOnMissing, toggles(CLOUD)),
  upcloud: detector(failOnMissing, toggles(CLOUD)),
  vultr: detector(failOnMissing, toggles(CLOUD)),
} as const;

export type DetectorName = keyof typeof DETECTOR_BLOCKS | "env";
export const DETECTOR_NAMES: readonly string[] = ["env", ...Object.keys(DETECTOR_BLOCKS)];
