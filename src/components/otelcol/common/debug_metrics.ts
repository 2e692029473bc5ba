// The `debug_metrics` block shared by otelcol components.

import * as schema from "../../../syntax/schema/index.ts";

export const DebugMetrics = schema.block({
  disable_high_cardinality_metrics: schema.attr(schema.bool, { default: true }),
  level: schema.attr(schema.enumOf("none", "basic", "normal", "detailed"), { default: "detailed" }),
});
