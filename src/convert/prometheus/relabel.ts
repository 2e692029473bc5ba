// Prometheus relabel_configs → Alloy `rule` blocks.

import { Block } from "../builder.ts";
import { isMap, list, str, strList } from "../common/yaml_values.ts";

export function appendRules(b: Block, blockName: string, configs: unknown): void {
  for (const c of list(configs)) {
    if (!isMap(c)) continue;
    const r = b.child(blockName);
    r.opt("source_labels", strList(c.source_labels));
    r.opt("separator", str(c.separator), ";");
    r.opt("regex", str(c.regex), "(.*)");
    r.opt("modulus", typeof c.modulus === "number" ? c.modulus : undefined, 0);
    r.opt("target_label", str(c.target_label), "");
    r.opt("replacement", str(c.replacement), "$1");
    r.opt("action", str(c.action)?.toLowerCase(), "replace");
  }
}
