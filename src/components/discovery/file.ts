// discovery.file: targets from JSON or YAML files (Prometheus's file_sd), found by
// glob patterns, re-read when the files' directories change and every
// refresh_interval. A file that cannot be read keeps its previous targets.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";

const PATTERN = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

export const Arguments = schema.block(
  {
    files: schema.attr(schema.list(schema.string)),
    refresh_interval: schema.attr(schema.duration, { default: "5m" }),
  },
  {
    validate: (a) => {
      if (a.files.length === 0) return "file service discovery config must contain at least one path name";
      for (const f of a.files) if (!PATTERN.test(f)) return `path name ${JSON.stringify(f)} is not valid for file discovery`;
      return undefined;
    },
  },
);
export const Exports = schema.block({ targets: schema.attr(schema.targets) });

export default defineComponent({
  name: "discovery.file",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./file_impl.ts"),
});
