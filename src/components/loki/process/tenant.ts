// stage.tenant: sets the `__tenant_id__` label loki.write sends as X-Scope-OrgID,
// from an extracted value, a label, or a fixed value.

import * as schema from "../../../syntax/schema/index.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { LabelSetter } from "./label_sets.ts";
import { getString } from "./values.ts";

export const TenantBlock = schema.block({
  label: schema.attr(schema.string, { default: "" }),
  source: schema.attr(schema.string, { default: "" }),
  value: schema.attr(schema.string, { default: "" }),
});

export const TENANT_LABEL = "__tenant_id__";

export function newTenantStage(args: schema.Infer<typeof TenantBlock>, ctx: StageContext): Stage {
  const { label, source, value } = args;
  if (source === "" && value === "" && label === "") throw new Error("label, source or value config are required");
  if ((source !== "" && value !== "") || (label !== "" && value !== "") || (source !== "" && label !== "")) {
    throw new Error("label, source and value are mutually exclusive: you should set source, value or label but not all");
  }
  const logger = ctx.logger.with({ stage: "tenant" });
  const setter = new LabelSetter([TENANT_LABEL]);
  return mutatingStage((e) => {
    let tenant: string | undefined;
    if (source !== "") {
      if (!(source in e.extracted)) logger.debug("the tenant source does not exist in the extracted data", { source });
      else tenant = getString(e.extracted[source]);
    } else if (label !== "") {
      tenant = e.entry.labels[label];
      if (tenant === undefined) logger.debug("the tenant source does not exist in the labels", { source: label });
    } else tenant = value;
    if (tenant) e.entry.labels = setter.apply(e.entry.labels, [tenant]);
  });
}
