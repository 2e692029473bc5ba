// prometheus.exporter.self: a target for this process's own metrics, scraped
// in-process through the memory address. The component's handler answers
// `/metrics` with what the server's `/metrics` serves (build info, process,
// config, controller and component metrics), as Alloy's agent integration serves
// the default registry.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";

export const Arguments = schema.block({});
export const Exports = schema.block({ targets: schema.attr(schema.targets) });

export default defineComponent({
  name: "prometheus.exporter.self",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./exporter_self_impl.ts"),
});
